// PlannedParams<Base>: the StageParams part of a stage's view (its id,
// parameters, rows and files) served from its PlannedStage, shared by the
// plan check (Base = PlanCheck) and the running stage (Base = StageContext).
// Reading a parameter under the wrong type or name is a bug in the plugin
// and throws std::logic_error. Holds a reference to the stage; not
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace rxflow {

// The resolved parameter `name` of `stage`, read as `type`.
const ResolvedParam& planned_param(const PlannedStage& stage, std::string_view name,
                                   ParamType type);
// The contents and the tensors of the file a kFile parameter names.
std::string read_planned_file(const PlannedStage& stage, std::string_view name);
std::vector<std::pair<std::string, Artifact>> read_planned_tensor_file(const PlannedStage& stage,
                                                                       std::string_view name);

template <typename Base>
class PlannedParams : public Base {
 public:
  explicit PlannedParams(const PlannedStage& stage) : stage_(stage) {}

  const std::string& stage_id() const override { return stage_.id; }
  std::int64_t param_int(std::string_view name) const override {
    return std::get<std::int64_t>(planned_param(stage_, name, ParamType::kInt).value);
  }
  double param_float(std::string_view name) const override {
    return std::get<double>(planned_param(stage_, name, ParamType::kFloat).value);
  }
  bool param_bool(std::string_view name) const override {
    return std::get<bool>(planned_param(stage_, name, ParamType::kBool).value);
  }
  const std::string& param_string(std::string_view name) const override {
    return std::get<std::string>(planned_param(stage_, name, ParamType::kString).value);
  }
  const std::vector<double>& param_float_list(std::string_view name) const override {
    return std::get<std::vector<double>>(planned_param(stage_, name, ParamType::kFloatList).value);
  }
  const std::vector<std::string>& param_string_list(std::string_view name) const override {
    return std::get<std::vector<std::string>>(
        planned_param(stage_, name, ParamType::kStringList).value);
  }
  std::string read_file_param(std::string_view name) const override {
    return read_planned_file(stage_, name);
  }
  std::vector<std::pair<std::string, Artifact>> read_tensor_file_param(
      std::string_view name) const override {
    return read_planned_tensor_file(stage_, name);
  }
  const std::vector<ParamRow>& rows() const override { return stage_.rows; }

 protected:
  const PlannedStage& stage_;
};

}  // namespace rxflow
