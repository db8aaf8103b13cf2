#include "provenance.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "sha256.h"

namespace rxflow {
namespace {

// 8-byte values in little-endian order, in blocks so large artifacts hash
// at memory speed.
template <typename T>
void update_fixed_width(Sha256& hash, const std::vector<T>& values) {
  static_assert(sizeof(T) == 8);
  if constexpr (std::endian::native == std::endian::little) {
    hash.update(values.data(), values.size() * sizeof(T));
  } else {
    for (const T& value : values) {
      std::uint64_t bits;
      std::memcpy(&bits, &value, sizeof bits);
      hash.update_u64(bits);
    }
  }
}

// Sorted by name: the order a file lists them in is not part of the identity.
void update_named_text(Sha256& hash, NamedText items) {
  std::sort(items.begin(), items.end());
  hash.update_u64(items.size());
  for (const auto& [name, text] : items) hash.update_framed(name).update_framed(text);
}

}  // namespace

std::string artifact_sha256(const Artifact& artifact) {
  Sha256 hash;
  hash.update_framed("rxflow-artifact-v1").update_framed(dtype_name(artifact.dtype()));
  hash.update_u64(artifact.shape.size());
  for (std::uint64_t extent : artifact.shape) hash.update_u64(extent);
  hash.update_u64(artifact.columns.size());
  for (const std::string& column : artifact.columns) hash.update_framed(column);
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          for (const std::string& value : values) hash.update_framed(value);
        } else {
          update_fixed_width(hash, values);
        }
      },
      artifact.values);
  return to_hex(hash.finish());
}

std::string stage_record_sha256(const StageRecord& record) {
  Sha256 hash;
  hash.update_framed("rxflow-stage-v1");
  for (const std::string* field : {&record.id, &record.plugin, &record.plugin_kind,
                                   &record.plugin_version, &record.plugin_sha256}) {
    hash.update_framed(*field);
  }
  hash.update_u64(record.seed);
  update_named_text(hash, record.params);
  update_named_text(hash, record.inputs);
  update_named_text(hash, record.input_hashes);
  update_named_text(hash, record.files);
  NamedText outputs;
  for (const ArtifactRecord& output : record.outputs)
    outputs.emplace_back(output.name, output.sha256);
  update_named_text(hash, std::move(outputs));
  return to_hex(hash.finish());
}

std::string run_identity_sha256(const std::string& resolved_workflow,
                                const std::string& engine_version, const std::string& git_commit) {
  return to_hex(Sha256()
                    .update_framed("rxflow-run-v1")
                    .update_framed(resolved_workflow)
                    .update_framed(engine_version)
                    .update_framed(git_commit)
                    .finish());
}

std::string run_root_hash(const std::string& identity_sha256,
                          const std::vector<std::string>& stage_record_hashes) {
  std::string chain = identity_sha256;
  for (const std::string& record : stage_record_hashes) {
    chain = to_hex(Sha256()
                       .update_framed("rxflow-chain-v1")
                       .update_framed(chain)
                       .update_framed(record)
                       .finish());
  }
  return chain;
}

}  // namespace rxflow
