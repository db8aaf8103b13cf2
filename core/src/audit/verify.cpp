#include "audit/verify.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include "rxflow/seed.h"
#include "spec/spec.h"
#include "store/provenance.h"

namespace rxflow {
namespace {

constexpr std::size_t kBlockBytes = 8u << 20;

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "none" : text;
}

// The records against the stages of the resolved workflow: plugin,
// parameters, bindings, rows and seed.
void check_record(const StageRecord& record, const StageSpec& planned, std::uint64_t root_seed,
                  std::uint64_t format_version, std::vector<std::string>& problems) {
  const std::string what = "stage " + record.id + ": ";
  if (record.seed != derive_seed(root_seed, record.id)) {
    problems.push_back(what + "seed " + std::to_string(record.seed) +
                       " is not the one derived from root seed " + std::to_string(root_seed) +
                       " (" + std::to_string(derive_seed(root_seed, record.id)) + ")");
  }
  if (planned.plugin != record.plugin) {
    problems.push_back(what + "plugin " + record.plugin + " in the record but " + planned.plugin +
                       " in the resolved workflow");
  }
  for (const auto& [name, value] : record.params) {
    const auto param = planned.params.find(name);
    const std::string expected =
        param == planned.params.end() ? "nothing" : format_param_value(param->second.value);
    if (expected != value) {
      problems.push_back(what + "parameter " + name + " is " + value + " in the record but " +
                         expected + " in the resolved workflow");
    }
  }
  if (planned.params.size() != record.params.size()) {
    problems.push_back(what + std::to_string(record.params.size()) + " parameters in the record, " +
                       std::to_string(planned.params.size()) + " in the resolved workflow");
  }
  std::map<std::string, std::string> bindings;
  for (const auto& [port, binding] : planned.inputs) {
    bindings[port] = binding.stage + "." + binding.output;
  }
  if (std::map<std::string, std::string>(record.inputs.begin(), record.inputs.end()) != bindings) {
    problems.push_back(what + "its inputs are not bound as the resolved workflow binds them");
  }
  if (format_version >= 2) {
    std::vector<std::string> rows;
    for (const SpecRow& row : planned.rows) {
      ParamRow values;
      for (const auto& [name, value] : row.values) values.values.emplace_back(name, value.value);
      rows.push_back(format_param_row(values));
    }
    if (rows != record.rows) {
      problems.push_back(what + "its " + std::to_string(record.rows.size()) +
                         " rows are not the resolved workflow's " + std::to_string(rows.size()));
    }
  }
}

// Completeness: the recorded order against the groups present and the plan.
void check_order(const RunReader& reader, const std::vector<std::string>& order,
                 const std::vector<std::string>& planned, const std::string& status,
                 std::vector<std::string>& problems) {
  const std::vector<std::string> groups = reader.stage_groups();
  const std::set<std::string> in_order(order.begin(), order.end());
  const std::set<std::string> present(groups.begin(), groups.end());
  for (const std::string& group : groups) {
    if (!in_order.count(group)) {
      problems.push_back("stage " + group + ": a record that is not in the recorded stage order");
    }
  }
  for (const std::string& id : order) {
    if (!present.count(id))
      problems.push_back("stage " + id + ": in the order, but its record is missing");
  }
  if (order.empty()) {
    problems.push_back("the file records no stage order (expected " + joined(planned) + ")");
    return;
  }
  const bool prefix =
      order.size() <= planned.size() && std::equal(order.begin(), order.end(), planned.begin());
  if (status == "complete" && order != planned) {
    problems.push_back("the recorded stages (" + joined(order) +
                       ") are not the resolved workflow's stages in run order (" + joined(planned) +
                       ")");
  } else if (status == "failed" && !prefix) {
    problems.push_back("the recorded stages (" + joined(order) +
                       ") are not the first stages of the resolved workflow (" + joined(planned) +
                       ")");
  }
}

}  // namespace

std::string stored_artifact_sha256(const RunReader& reader, const std::string& stage,
                                   const std::string& name, std::uint64_t* value_bytes) {
  const ArtifactLayout layout = reader.artifact_layout(stage, name);
  if (layout.dtype == DType::kString) return artifact_sha256(reader.read_artifact(stage, name));
  const ValueRows rows = reader.value_rows(stage, name);
  ArtifactHasher hasher(layout.dtype, layout.shape, layout.columns);
  const std::uint64_t row_bytes = std::max<std::uint64_t>(8 * rows.row_values(), 8);
  const std::uint64_t rows_per_block = std::max<std::uint64_t>(kBlockBytes / row_bytes, 1);
  // One block is hashed on another thread while the next is read. The
  // future is declared after the buffers, so it is joined before they are
  // freed, also when a read throws.
  if (rows.rows() <= rows_per_block) {  // one block: no second thread to start
    std::vector<std::uint64_t> values(rows.rows() * rows.row_values());
    rows.read(0, rows.rows(), values.data());
    hasher.update_fixed_width(values.data(), values.size());
    if (value_bytes) *value_bytes += 8 * values.size();
    return hasher.finish();
  }
  std::vector<std::uint64_t> buffers[2];
  std::future<void> hashing;
  int which = 0;
  for (std::uint64_t first = 0; first < rows.rows() && rows.row_values() > 0;
       first += rows_per_block, which ^= 1) {
    const std::uint64_t count = std::min(rows_per_block, rows.rows() - first);
    std::vector<std::uint64_t>& buffer = buffers[which];
    buffer.resize(count * rows.row_values());
    rows.read(first, count, buffer.data());
    if (hashing.valid()) hashing.get();
    hashing = std::async(std::launch::async, [&hasher, &buffer] {
      hasher.update_fixed_width(buffer.data(), buffer.size());
    });
    if (value_bytes) *value_bytes += 8 * buffer.size();
  }
  if (hashing.valid()) hashing.get();
  return hasher.finish();
}

VerifyResult verify_run(const RunReader& reader) {
  VerifyResult result;
  std::vector<std::string>& problems = result.problems;
  const std::uint64_t version = reader.format_version();
  const std::string status = reader.attribute("status");
  if (status != "complete" && status != "failed") {
    problems.push_back("the run did not finish (status \"" + status + "\")");
  }
  Spec spec;
  bool have_spec = false;
  try {
    spec = parse_spec_text(reader.resolved_workflow(), reader.path() + ":/workflow/resolved",
                           version == 1 ? SpecDialect::kFormat1 : SpecDialect::kCurrent);
    have_spec = true;
  } catch (const std::exception& error) {
    problems.push_back("the resolved workflow cannot be read: " + std::string(error.what()));
  }
  std::map<std::string, const StageSpec*> planned_by_id;
  std::vector<std::string> planned;
  if (have_spec) {
    for (const StageSpec& stage : spec.stages) {
      planned_by_id[stage.id] = &stage;
      planned.push_back(stage.id);
    }
    const std::string root_seed = reader.attribute("root_seed");
    if (!spec.seed || std::to_string(*spec.seed) != root_seed) {
      problems.push_back("root_seed is " + root_seed + " but the resolved workflow says " +
                         (spec.seed ? std::to_string(*spec.seed) : "nothing"));
    }
    if (spec.name != reader.attribute("workflow")) {
      problems.push_back("workflow is \"" + reader.attribute("workflow") +
                         "\" but the resolved workflow names \"" + spec.name + "\"");
    }
  }
  const std::vector<std::string> order = reader.stage_order();
  if (status == "complete" || status == "failed") {
    check_order(reader, order, planned, status, problems);
  }
  std::map<std::string, std::string> artifact_hashes;  // "stage.name" -> recorded hash
  std::vector<std::string> chain;
  bool rendering_seen = false;
  for (std::size_t index = 0; index < order.size(); ++index) {
    const std::string& id = order[index];
    StoredStage stored;
    try {
      stored = reader.read_stage(id);
    } catch (const std::exception& error) {
      problems.push_back("stage " + id + ": the record cannot be read (" + error.what() + ")");
      continue;
    }
    const StageRecord& record = stored.record;
    const bool last = index + 1 == order.size();
    const std::string expected_status = status == "failed" && last ? "failed" : "complete";
    if (record.status != expected_status) {
      problems.push_back("stage " + id + ": status \"" + record.status + "\", expected \"" +
                         expected_status + "\" in a " + status + " run");
    }
    if (status == "failed" && last && reader.attribute("failed_stage") != id) {
      problems.push_back("failed_stage is \"" + reader.attribute("failed_stage") +
                         "\" but the last recorded stage is " + id);
    }
    if (rendering_seen && !record.renders) {
      problems.push_back("stage " + id + ": runs after a rendering stage but renders nothing");
    }
    rendering_seen |= record.renders;
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
    const std::string recomputed = stage_record_sha256(record, version);
    if (recomputed != stored.record_sha256) {
      problems.push_back("stage " + record.id + ": its record (plugin, version, library hash, " +
                         "seed, parameters, inputs, files, rows or artifact list) hashes to " +
                         hash_prefix(recomputed) + " but " + hash_prefix(stored.record_sha256) +
                         " is recorded");
    }
    if (const auto found = planned_by_id.find(id); found != planned_by_id.end()) {
      check_record(record, *found->second, *spec.seed, version, problems);
    }
    if (!record.renders && record.status == "complete") chain.push_back(stored.record_sha256);
  }
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
  if (version == 1) {
    result.notes.push_back(
        "run-file format 1 has no seal: its run id, status, error, stage order and overrides "
        "are recorded but not hashed");
  } else if (status == "complete" || status == "failed") {
    std::string seal;
    try {
      seal = metadata_sha256(reader.metadata_tree(), "seal_sha256");
    } catch (const std::exception& error) {
      problems.push_back("the file's metadata cannot be read for the seal (" +
                         std::string(error.what()) + ")");
    }
    if (!seal.empty() && seal != reader.attribute("seal_sha256")) {
      problems.push_back("seal: what the file records (run id, status, errors, stage order, "
                         "records, logs, times) hashes to " + hash_prefix(seal) + " but " +
                         hash_prefix(reader.attribute("seal_sha256")) + " is recorded");
    }
  }
  return result;
}

}  // namespace rxflow
