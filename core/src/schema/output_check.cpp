#include "schema/output_check.h"

#include <stdexcept>
#include <string>

namespace rxflow {

void check_output(const PluginInfo& info, std::string_view port, const Artifact& artifact) {
  const PortSpec* declared = nullptr;
  for (const PortSpec& output : info.outputs) {
    if (output.name == port) declared = &output;
  }
  const std::string what = "output \"" + std::string(port) + "\"";
  if (declared == nullptr) {
    throw std::logic_error("emitted " + what + ", which the plugin does not declare");
  }
  if (artifact.dtype() != declared->dtype ||
      (declared->rank >= 0 && static_cast<int>(artifact.shape.size()) != declared->rank)) {
    throw std::logic_error("emitted " + what + " as " + std::string(dtype_name(artifact.dtype())) +
                           " of rank " + std::to_string(artifact.shape.size()) + ", declared " +
                           declared->type_name());
  }
  try {
    check_consistent(artifact);
  } catch (const std::invalid_argument& error) {
    throw std::logic_error("emitted " + what + " inconsistent: " + error.what());
  }
  if (const auto* texts = std::get_if<std::vector<std::string>>(&artifact.values)) {
    for (const std::string& text : *texts) {
      if (text.find('\0') != std::string::npos) {
        throw std::logic_error("emitted " + what + " with a NUL character in a string");
      }
    }
  }
  if (declared->metrics &&
      (artifact.shape[0] != 1 || artifact.columns.size() != artifact.shape[1])) {
    throw std::logic_error("emitted the metrics " + what + " as " + shape_text(artifact.shape) +
                           " with " + std::to_string(artifact.columns.size()) +
                           " column names; expected one row and a name for each column");
  }
}

}  // namespace rxflow
