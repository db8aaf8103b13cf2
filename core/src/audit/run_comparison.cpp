#include "audit/run_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

#include "audit/verify.h"

namespace rxflow {
namespace {

struct Entry {
  std::string stage;
  std::string name;
  std::string sha256;  // of the stored values
  bool altered;        // they do not match the recorded hash
};

std::vector<Entry> entries_of(const RunReader& reader) {
  std::vector<Entry> entries;
  for (const StoredStage& stored : reader.stages()) {
    for (const ArtifactRecord& output : stored.record.outputs) {
      const std::string content = stored_artifact_sha256(reader, stored.record.id, output.name);
      entries.push_back({stored.record.id, output.name, content, content != output.sha256});
    }
  }
  return entries;
}

bool same_bits(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; }

void compare_values(const Artifact& a, const Artifact& b, ArtifactComparison& entry) {
  if (a.dtype() != b.dtype()) {
    entry.mismatch =
        "dtype " + std::string(dtype_name(a.dtype())) + " vs " + std::string(dtype_name(b.dtype()));
    return;
  }
  if (a.shape != b.shape) {
    entry.mismatch = "shape " + shape_text(a.shape) + " vs " + shape_text(b.shape);
    return;
  }
  if (a.columns != b.columns) entry.mismatch = "column names differ";
  std::visit(
      [&](const auto& left) {
        using Values = std::decay_t<decltype(left)>;
        const Values& right = std::get<Values>(b.values);
        entry.count = left.size();
        for (std::size_t i = 0; i < left.size(); ++i) {
          using T = typename Values::value_type;
          if constexpr (std::is_same_v<T, double>) {
            if (same_bits(left[i], right[i])) continue;
            const double gap = std::abs(left[i] - right[i]);
            entry.max_abs_diff = std::isfinite(gap) ? std::max(entry.max_abs_diff, gap) : HUGE_VAL;
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            if (left[i] == right[i]) continue;
            entry.max_abs_diff =
                std::max(entry.max_abs_diff,
                         std::abs(static_cast<double>(left[i]) - static_cast<double>(right[i])));
          } else {
            if (left[i] == right[i]) continue;
          }
          ++entry.differing;
        }
      },
      a.values);
}

}  // namespace

std::vector<ArtifactComparison> compare_artifacts(const RunReader& a, const RunReader& b) {
  const std::vector<Entry> left = entries_of(a), right = entries_of(b);
  std::map<std::pair<std::string, std::string>, const Entry*> in_b;
  for (const Entry& entry : right) in_b[{entry.stage, entry.name}] = &entry;
  std::vector<ArtifactComparison> result;
  for (const Entry& entry : left) {
    ArtifactComparison compared;
    compared.stage = entry.stage;
    compared.name = entry.name;
    compared.altered_in_a = entry.altered;
    const auto match = in_b.find({entry.stage, entry.name});
    if (match == in_b.end()) {
      compared.status = Comparison::kOnlyInA;
    } else {
      compared.altered_in_b = match->second->altered;
      if (match->second->sha256 != entry.sha256) {
        compared.status = Comparison::kDifferent;
        compare_values(a.read_artifact(entry.stage, entry.name),
                       b.read_artifact(entry.stage, entry.name), compared);
      }
      in_b.erase(match);
    }
    result.push_back(std::move(compared));
  }
  for (const Entry& entry : right) {
    if (!in_b.count({entry.stage, entry.name})) continue;
    ArtifactComparison compared;
    compared.stage = entry.stage;
    compared.name = entry.name;
    compared.status = Comparison::kOnlyInB;
    compared.altered_in_b = entry.altered;
    result.push_back(std::move(compared));
  }
  return result;
}

const char* comparison_name(Comparison status) {
  switch (status) {
    case Comparison::kIdentical:
      return "identical";
    case Comparison::kDifferent:
      return "different";
    case Comparison::kOnlyInA:
      return "only in A";
    case Comparison::kOnlyInB:
      return "only in B";
  }
  return "";
}

std::string difference_text(const ArtifactComparison& entry) {
  if (!entry.mismatch.empty() && entry.count == 0) return entry.mismatch;
  char text[160];
  std::snprintf(text, sizeof text, "max |diff| %.3g, %llu of %llu values%s%s", entry.max_abs_diff,
                static_cast<unsigned long long>(entry.differing),
                static_cast<unsigned long long>(entry.count), entry.mismatch.empty() ? "" : "; ",
                entry.mismatch.c_str());
  return text;
}

}  // namespace rxflow
