// FakeStageContext: a StageContext built by hand, for running one plugin
// with chosen inputs (NaN values, wrong widths) without a workflow file.
// Parameters not set take the plugin's defaults.
#pragma once

#include <map>
#include <stdexcept>

#include "rxflow/plugin.h"

namespace rxflow::testing {

class FakeStageContext final : public StageContext {
 public:
  FakeStageContext(const PluginInfo& info, std::uint64_t seed) : seed_(seed), rng_(seed) {
    for (const ParamSpec& spec : info.params) {
      if (spec.default_value) params[spec.name] = *spec.default_value;
    }
  }

  std::map<std::string, ParamValue, std::less<>> params;
  std::map<std::string, Artifact, std::less<>> inputs;
  std::vector<ParamRow> row_list;
  std::map<std::string, Artifact, std::less<>> outputs;
  RunInfo info;
  std::string folder;  // what output_dir() returns

  const std::string& stage_id() const override { return id_; }
  std::uint64_t seed() const override { return seed_; }
  Rng& rng() override { return rng_; }
  std::int64_t param_int(std::string_view name) const override { return get<std::int64_t>(name); }
  double param_float(std::string_view name) const override { return get<double>(name); }
  bool param_bool(std::string_view name) const override { return get<bool>(name); }
  const std::string& param_string(std::string_view name) const override {
    return get<std::string>(name);
  }
  const std::vector<double>& param_float_list(std::string_view name) const override {
    return get<std::vector<double>>(name);
  }
  const std::vector<std::string>& param_string_list(std::string_view name) const override {
    return get<std::vector<std::string>>(name);
  }
  std::string read_file_param(std::string_view) const override {
    throw std::logic_error("no files here");
  }
  std::vector<std::pair<std::string, Artifact>> read_tensor_file_param(
      std::string_view) const override {
    throw std::logic_error("no files here");
  }
  bool has_input(std::string_view port) const override { return inputs.count(port) > 0; }
  const Artifact& input(std::string_view port) const override { return inputs.find(port)->second; }
  const std::vector<ParamRow>& rows() const override { return row_list; }
  const RunInfo& run_info() const override { return info; }
  std::string output_dir() override { return folder; }
  void log(std::string_view) override {}
  void emit(std::string_view port, Artifact artifact) override {
    outputs[std::string(port)] = std::move(artifact);
  }
  void check_cancelled() const override {}

 private:
  template <typename T>
  const T& get(std::string_view name) const {
    return std::get<T>(params.find(name)->second);
  }

  std::string id_ = "stage";
  std::uint64_t seed_;
  Rng rng_;
};

}  // namespace rxflow::testing
