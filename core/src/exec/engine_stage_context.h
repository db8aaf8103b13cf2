// EngineStageContext: the engine's StageContext for one planned stage. It
// serves the stage's resolved parameters and bound inputs, and checks every
// emitted artifact against the plugin's declared outputs (name, dtype, rank,
// consistency) so a faulty plugin fails its own stage with a clear message.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "rxflow/stage_context.h"

namespace rxflow {

class EngineStageContext final : public StageContext {
 public:
  using LogSink = std::function<void(const std::string& stage, const std::string& line)>;

  // inputs: port -> artifact, owned by the executor for the stage's run.
  // output_dir: the folder output_dir() creates on demand.
  EngineStageContext(const PlannedStage& stage, std::map<std::string, const Artifact*> inputs,
                     const std::vector<Request>& requests, const RunInfo& run_info,
                     std::string output_dir, LogSink log_sink);

  const std::string& stage_id() const override { return stage_.id; }
  std::uint64_t seed() const override { return stage_.seed; }
  Rng& rng() override { return rng_; }
  std::int64_t param_int(std::string_view name) const override;
  double param_float(std::string_view name) const override;
  bool param_bool(std::string_view name) const override;
  const std::string& param_string(std::string_view name) const override;
  const std::vector<double>& param_float_list(std::string_view name) const override;
  const std::vector<std::string>& param_string_list(std::string_view name) const override;
  std::string read_file_param(std::string_view name) const override;
  std::vector<std::pair<std::string, Artifact>> read_tensor_file_param(
      std::string_view name) const override;
  bool has_input(std::string_view port) const override;
  const Artifact& input(std::string_view port) const override;
  const std::vector<Request>& requests() const override { return requests_; }
  const RunInfo& run_info() const override { return run_info_; }
  std::string output_dir() override;
  void log(std::string_view message) override;
  void emit(std::string_view port, Artifact artifact) override;

  // The emitted outputs, in declaration order. Throws std::runtime_error
  // naming the first declared output that was never emitted.
  std::vector<std::pair<std::string, Artifact>> take_outputs();
  const std::vector<std::string>& log_lines() const { return log_lines_; }

 private:
  const ResolvedParam& param(std::string_view name, ParamType type) const;
  // The resolved path of a file parameter. REQUIRES: it names a file.
  const std::string& file_path(std::string_view name) const;

  const PlannedStage& stage_;
  std::map<std::string, const Artifact*> inputs_;
  const std::vector<Request>& requests_;
  const RunInfo& run_info_;
  std::string output_dir_;
  LogSink log_sink_;
  Rng rng_;
  std::map<std::string, Artifact, std::less<>> outputs_;
  std::vector<std::string> log_lines_;
};

}  // namespace rxflow
