// libFuzzer target: a workflow file's text through the parser, the planner
// (with the built-in plugins) and, for a sweep, the sweep check of every
// point. Bad input must end in InputError with a one-line message; any
// other way out (a crash, a sanitizer report, another exception, a message
// of several lines) is a finding.
#include <cstdint>
#include <string>

#include "loader/plugin_loader.h"
#include "one_line.h"
#include "plan/plan.h"
#include "spec/spec.h"
#include "support/errors.h"
#include "support/install_paths.h"
#include "sweep/sweep_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static rxflow::PluginLoader loader(rxflow::default_plugin_path({}));
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    rxflow::Spec spec = rxflow::parse_spec_text(text, "fuzz.toml");
    if (spec.sweep) {
      rxflow::check_sweep(spec, loader, {rxflow::builtin_data_dir()}, false);
    } else {
      rxflow::make_plan(std::move(spec), loader, {std::nullopt, {rxflow::builtin_data_dir()}});
    }
  } catch (const rxflow::InputError& error) {
    rxflow::fuzz::require_one_line(error.what());
  }
  return 0;
}
