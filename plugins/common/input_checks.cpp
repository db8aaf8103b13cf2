#include "input_checks.h"

#include <stdexcept>

namespace rxflow::checks {

const std::vector<double>& probabilities(const StageContext& ctx, const std::string& port) {
  const auto& values = std::get<std::vector<double>>(ctx.input(port).values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] >= 0.0 && values[i] <= 1.0)) {
      throw std::runtime_error("input \"" + port + "\" must hold probabilities in [0, 1], found " +
                               std::to_string(values[i]) + " at [" + std::to_string(i) + "]");
    }
  }
  return values;
}

const std::vector<std::int64_t>& binary_labels(const StageContext& ctx, const std::string& port) {
  const auto& values = std::get<std::vector<std::int64_t>>(ctx.input(port).values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] != 0 && values[i] != 1) {
      throw std::runtime_error("input \"" + port + "\" must hold 0 or 1, found " +
                               std::to_string(values[i]) + " at [" + std::to_string(i) + "]");
    }
  }
  return values;
}

PortSpec request_ids_input() {
  return {"request_ids", DType::kString, 1, "the id of each request, for log lines", true};
}

std::string request_name(const StageContext& ctx, std::size_t i) {
  if (ctx.has_input("request_ids")) {
    const auto& ids = std::get<std::vector<std::string>>(ctx.input("request_ids").values);
    if (i < ids.size()) return "request \"" + ids[i] + "\"";
  }
  return "request " + std::to_string(i + 1);
}

}  // namespace rxflow::checks
