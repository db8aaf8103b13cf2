#include "audit/verify.h"

#include <future>
#include <map>

#include "support/errors.h"
#include "store/provenance.h"
#include "rxflow/param.h"
#include "rxflow/seed.h"
#include "spec/spec.h"

namespace rxflow {
namespace {

constexpr std::size_t kBlockBytes = 8u << 20;

// The resolved workflow's parameters and seed against the stage records.
void check_against_resolved(const RunReader& reader, const std::vector<StoredStage>& stages,
                            std::vector<std::string>& problems) {
  Spec spec;
  try {
    spec = parse_spec_text(reader.resolved_workflow(), reader.path() + ":/workflow/resolved");
  } catch (const std::exception& error) {
    problems.push_back("the resolved workflow cannot be read: " + std::string(error.what()));
    return;
  }
  const std::string root_seed = reader.attribute("root_seed");
  if (!spec.seed || std::to_string(*spec.seed) != root_seed) {
    problems.push_back("root_seed is " + root_seed + " but the resolved workflow says " +
                       (spec.seed ? std::to_string(*spec.seed) : "nothing"));
  }
  std::map<std::string, const StageSpec*> by_id;
  for (const StageSpec& stage : spec.stages) by_id[stage.id] = &stage;
  for (const StoredStage& stored : stages) {
    const StageRecord& record = stored.record;
    const auto found = by_id.find(record.id);
    if (found == by_id.end()) {
      problems.push_back("stage " + record.id + ": not in the resolved workflow");
      continue;
    }
    if (spec.seed && record.seed != derive_seed(*spec.seed, record.id)) {
      problems.push_back("stage " + record.id + ": seed " + std::to_string(record.seed) +
                         " is not the one derived from root seed " + std::to_string(*spec.seed) +
                         " (" + std::to_string(derive_seed(*spec.seed, record.id)) + ")");
    }
    if (found->second->plugin != record.plugin) {
      problems.push_back("stage " + record.id + ": plugin " + record.plugin +
                         " in the record but " + found->second->plugin +
                         " in the resolved workflow");
    }
    const std::map<std::string, SpecValue>& resolved = found->second->params;
    for (const auto& [name, value] : record.params) {
      const auto param = resolved.find(name);
      const std::string expected =
          param == resolved.end() ? "nothing" : format_param_value(param->second.value);
      if (expected != value) {
        problems.push_back("stage " + record.id + ": parameter " + name + " is " + value +
                           " in the record but " + expected + " in the resolved workflow");
      }
    }
    if (resolved.size() != record.params.size()) {
      problems.push_back("stage " + record.id + ": " + std::to_string(record.params.size()) +
                         " parameters in the record, " + std::to_string(resolved.size()) +
                         " in the resolved workflow");
    }
  }
}

}  // namespace

std::string stored_artifact_sha256(const RunReader& reader, const std::string& stage,
                                   const std::string& name, std::uint64_t* value_bytes) {
  const ArtifactLayout layout = reader.artifact_layout(stage, name);
  if (layout.dtype == DType::kString) return artifact_sha256(reader.read_artifact(stage, name));
  ArtifactHasher hasher(layout.dtype, layout.shape, layout.columns);
  // Hash one block on another thread while the next one is read.
  std::future<void> hashing;
  reader.read_value_blocks(stage, name, kBlockBytes, [&](const void* values, std::size_t count) {
    if (hashing.valid()) hashing.get();
    if (count == 0) return;  // the end: the last block is hashed
    hashing = std::async(std::launch::async,
                         [&hasher, values, count] { hasher.update_fixed_width(values, count); });
    if (value_bytes) *value_bytes += 8 * count;
  });
  return hasher.finish();
}

VerifyResult verify_run(const RunReader& reader) {
  VerifyResult result;
  std::vector<std::string>& problems = result.problems;
  const std::string status = reader.attribute("status");
  if (status != "complete" && status != "failed") {
    problems.push_back("the run did not finish (status \"" + status + "\")");
  }
  const std::vector<StoredStage> stages = reader.stages();
  std::map<std::string, std::string> artifact_hashes;  // "stage.name" -> recorded hash
  std::vector<std::string> chain;
  for (const StoredStage& stored : stages) {
    const StageRecord& record = stored.record;
    for (const ArtifactRecord& output : record.outputs) {
      const std::string key = record.id + "." + output.name;
      artifact_hashes[key] = output.sha256;
      ++result.artifacts;
      try {
        const std::string content =
            stored_artifact_sha256(reader, record.id, output.name, &result.value_bytes);
        if (content != output.sha256) {
          problems.push_back("artifact " + key + ": its values hash to " + hash_prefix(content) +
                             " but " + hash_prefix(output.sha256) + " is recorded");
        }
      } catch (const std::exception& error) {
        problems.push_back("artifact " + key + ": cannot be read (" + error.what() + ")");
      }
    }
    const std::map<std::string, std::string> bindings(record.inputs.begin(), record.inputs.end());
    for (const auto& [port, hash] : record.input_hashes) {
      const std::string binding = bindings.count(port) ? bindings.at(port) : "";
      const auto upstream = artifact_hashes.find(binding);
      if (upstream == artifact_hashes.end()) {
        problems.push_back("stage " + record.id + ": input " + port + " reads " +
                           (binding.empty() ? "nothing recorded" : binding) +
                           ", which no earlier stage holds");
      } else if (upstream->second != hash) {
        problems.push_back("stage " + record.id + ": input " + port + " was recorded as " +
                           hash_prefix(hash) + " but " + binding + " is " +
                           hash_prefix(upstream->second));
      }
    }
    ++result.stages;
    const std::string recomputed = stage_record_sha256(record);
    if (recomputed != stored.record_sha256) {
      problems.push_back("stage " + record.id + ": its record (plugin, version, library hash, " +
                         "seed, parameters, inputs, files or artifact list) hashes to " +
                         hash_prefix(recomputed) + " but " + hash_prefix(stored.record_sha256) +
                         " is recorded");
    }
    if (record.plugin_kind != "reporter") chain.push_back(stored.record_sha256);
  }
  check_against_resolved(reader, stages, problems);
  const std::string identity =
      run_identity_sha256(reader.resolved_workflow(), reader.attribute("engine_version"),
                          reader.attribute("git_commit"));
  if (identity != reader.attribute("identity_sha256")) {
    problems.push_back("run identity (resolved workflow, engine version, git commit) hashes to " +
                       hash_prefix(identity) + " but " +
                       hash_prefix(reader.attribute("identity_sha256")) + " is recorded");
  }
  if (status == "complete") {
    result.root_hash = run_root_hash(identity, chain);
    if (result.root_hash != reader.attribute("root_hash")) {
      problems.push_back("root hash: the stage records chain to " + hash_prefix(result.root_hash) +
                         " but " + hash_prefix(reader.attribute("root_hash")) + " is recorded");
    }
  }
  return result;
}

}  // namespace rxflow
