// libFuzzer target: the body of rxflow serve's form POST, as the server
// reads it: the urlencoded fields (parse_form_fields), the typed request
// row and tunable parameters they make (set_request_row,
// set_tunable_params) and the plan that checks them (make_plan), on the
// case study. Bad input must end in InputError with a one-line
// message, which the server shows in the page.
#include <cstdint>
#include <string>

#include "loader/plugin_loader.h"
#include "one_line.h"
#include "plan/plan.h"
#include "serve/http_server.h"
#include "serve/request_form.h"
#include "spec/spec.h"
#include "support/errors.h"
#include "support/install_paths.h"

namespace {

struct Workflow {
  rxflow::PluginLoader loader{rxflow::default_plugin_path({})};
  rxflow::Spec spec = rxflow::parse_spec_file(RXFLOW_SOURCE_DIR "/workflows/case_study.toml");
  rxflow::RequestForm form = rxflow::request_form_of(
      rxflow::make_plan(spec, loader, {std::nullopt, {rxflow::builtin_data_dir()}}));
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Workflow workflow;
  const std::string body(reinterpret_cast<const char*>(data), size);
  try {
    rxflow::Spec spec = workflow.spec;
    const auto fields = rxflow::parse_form_fields(body);
    rxflow::set_request_row(spec, workflow.form, fields);
    rxflow::set_tunable_params(spec, workflow.form, fields);
    rxflow::make_plan(std::move(spec), workflow.loader,
                      {std::nullopt, {rxflow::builtin_data_dir()}});
  } catch (const rxflow::InputError& error) {
    rxflow::fuzz::require_one_line(error.what());
  }
  return 0;
}
