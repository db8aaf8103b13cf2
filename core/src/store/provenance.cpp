#include "store/provenance.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "store/run_file.h"
#include "support/sha256.h"

namespace rxflow {
namespace {

// Sorted by name: the order a file lists them in is not part of the identity.
void update_named_text(Sha256& hash, NamedText items) {
  std::sort(items.begin(), items.end());
  hash.update_u64(items.size());
  for (const auto& [name, text] : items) hash.update_framed(name).update_framed(text);
}

}  // namespace

ArtifactHasher::ArtifactHasher(DType dtype, const std::vector<std::uint64_t>& shape,
                               const std::vector<std::string>& columns) {
  hash_.update_framed("rxflow-artifact-v1").update_framed(dtype_name(dtype));
  hash_.update_u64(shape.size());
  for (std::uint64_t extent : shape) hash_.update_u64(extent);
  hash_.update_u64(columns.size());
  for (const std::string& column : columns) hash_.update_framed(column);
}

// 8-byte values in little-endian order, in blocks so large artifacts hash
// at memory speed.
void ArtifactHasher::update_fixed_width(const void* values, std::size_t count) {
  if constexpr (std::endian::native == std::endian::little) {
    hash_.update(values, count * 8);
  } else {
    const auto* bytes = static_cast<const unsigned char*>(values);
    for (std::size_t i = 0; i < count; ++i) {
      std::uint64_t bits;
      std::memcpy(&bits, bytes + 8 * i, sizeof bits);
      hash_.update_u64(bits);
    }
  }
}

void ArtifactHasher::update_string(const std::string& value) { hash_.update_framed(value); }

std::string ArtifactHasher::finish() { return to_hex(hash_.finish()); }

std::string artifact_sha256(const Artifact& artifact) {
  ArtifactHasher hasher(artifact.dtype(), artifact.shape, artifact.columns);
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          for (const std::string& value : values) hasher.update_string(value);
        } else {
          static_assert(sizeof(T) == 8);
          hasher.update_fixed_width(values.data(), values.size());
        }
      },
      artifact.values);
  return hasher.finish();
}

std::string stage_record_sha256(const StageRecord& record, std::uint64_t format_version) {
  Sha256 hash;
  hash.update_framed(format_version == 1 ? "rxflow-stage-v1" : "rxflow-stage-v2");
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
  if (format_version >= 2) {
    hash.update_u64(record.renders ? 1 : 0);
    hash.update_u64(record.rows.size());
    for (const std::string& row : record.rows) hash.update_framed(row);
  }
  return to_hex(hash.finish());
}

std::string stage_reuse_key(const StageRecord& record, const std::string& engine_version,
                            const std::string& git_commit) {
  StageRecord identity = record;
  identity.id.clear();
  identity.inputs.clear();
  identity.outputs.clear();
  return to_hex(Sha256()
                    .update_framed("rxflow-reuse-v1")
                    .update_framed(stage_record_sha256(identity, kRunFormatVersion))
                    .update_framed(engine_version)
                    .update_framed(git_commit)
                    .finish());
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

std::string hash_prefix(const std::string& hash) {
  return hash.empty() ? "(none)" : hash.substr(0, 12);
}

}  // namespace rxflow
