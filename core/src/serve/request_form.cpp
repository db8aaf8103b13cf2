#include "serve/request_form.h"

#include <charconv>
#include <cmath>

#include "support/errors.h"

namespace rxflow {
namespace {

// What the field says, typed as the column expects when it can be read so.
ParamValue typed_value(const ParamSpec& column, const std::string& text) {
  if (column.type == ParamType::kInt || column.type == ParamType::kFloat) {
    const char* first = text.data();
    const char* last = text.data() + text.size();
    std::int64_t whole = 0;
    if (auto [end, error] = std::from_chars(first, last, whole);
        error == std::errc() && end == last) {
      return whole;
    }
    double real = 0;
    if (auto [end, error] = std::from_chars(first, last, real, std::chars_format::general);
        error == std::errc() && end == last && std::isfinite(real)) {
      return real;
    }
  }
  if (column.type == ParamType::kBool && (text == "true" || text == "false")) {
    return text == "true";
  }
  return text;
}

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::string form_text(const ParamValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* real = std::get_if<double>(&value)) {
    // The shortest text that reads back the same: 0.72, 60.
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, *real);
    if (error == std::errc()) return std::string(buffer, end);
  }
  return format_param_value(value);
}

RequestForm request_form_of(const Plan& plan) {
  RequestForm form;
  for (const PlannedStage& stage : plan.stages) {
    const PluginInfo& info = stage.plugin->info;
    if (info.kind.name == "requests" && !info.row_schema.empty() && form.stage_id.empty()) {
      form.stage_id = stage.id;
      form.columns = info.row_schema;
      if (!stage.rows.empty()) {
        for (const auto& [name, value] : stage.rows.front().values) {
          form.initial[name] = form_text(value);
        }
      }
    }
    if (plan.spec.serve) {
      for (const TunableParam& tunable : plan.spec.serve->tunable) {
        if (tunable.stage != stage.id) continue;
        for (const ResolvedParam& param : stage.params) {
          if (param.spec.name != tunable.param) continue;
          form.tunables.push_back({tunable.name(), stage.id, param.spec});
          form.initial[tunable.name()] = form_text(param.value);
        }
      }
    }
    if (info.kind.name == "embedding" && form.drugs.empty()) {
      if (const Artifact* names = stage.declared_output("drug_names")) {
        if (const auto* list = std::get_if<std::vector<std::string>>(&names->values)) {
          form.drugs = *list;
        }
      }
    }
  }
  if (form.stage_id.empty()) {
    throw InputError(plan.spec.path +
                     ": rxflow serve needs a stage of kind \"requests\" that takes rows (such "
                     "as plugin patient_requests), for the form's fields; the workflow has none");
  }
  return form;
}

void set_request_row(Spec& spec, const RequestForm& form,
                     const std::vector<std::pair<std::string, std::string>>& fields) {
  ParamRow row;
  for (const ParamSpec& column : form.columns) {
    for (const auto& [name, raw] : fields) {
      if (name != column.name) continue;
      const std::string text = column.type == ParamType::kString ? raw : trimmed(raw);
      if (!text.empty()) row.values.emplace_back(column.name, typed_value(column, text));
      break;
    }
  }
  set_row(spec, form.stage_id, row, kFormOrigin);
}

void set_tunable_params(Spec& spec, const RequestForm& form,
                        const std::vector<std::pair<std::string, std::string>>& fields) {
  for (const TunableField& tunable : form.tunables) {
    for (const auto& [name, raw] : fields) {
      if (name != tunable.name) continue;
      const std::string text = tunable.param.type == ParamType::kString ? raw : trimmed(raw);
      const auto initial = form.initial.find(tunable.name);
      if (text.empty() || (initial != form.initial.end() && initial->second == text)) break;
      set_param(spec, tunable.stage, tunable.param.name, typed_value(tunable.param, text));
      break;
    }
  }
}

}  // namespace rxflow
