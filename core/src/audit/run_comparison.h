// Artifact-by-artifact comparison of two run files, for `rxflow replay` and
// `rxflow diff`. Each artifact's content hash is recomputed from the values
// stored in the file (never taken from the recorded hash, which a changed
// file may no longer match): equal hashes mean identical; otherwise both
// artifacts are read and compared value by value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/run_reader.h"

namespace rxflow {

enum class Comparison { kIdentical, kDifferent, kOnlyInA, kOnlyInB };

struct ArtifactComparison {
  std::string stage;
  std::string name;
  Comparison status = Comparison::kIdentical;
  // kDifferent only. When dtype and shape agree: how many values differ
  // (bit for bit) and the largest absolute difference of numeric values
  // (infinite when a NaN or infinity is on one side only). Otherwise what
  // differs ("shape 200 x 32 vs 100 x 32").
  std::uint64_t differing = 0;
  std::uint64_t count = 0;
  double max_abs_diff = 0;
  std::string mismatch;
  // The stored values no longer match the hash recorded for them (the file
  // was changed after it was written), in A or in B.
  bool altered_in_a = false;
  bool altered_in_b = false;
};

// In A's stage and artifact order; what only B has comes last.
std::vector<ArtifactComparison> compare_artifacts(const RunReader& a, const RunReader& b);

// "identical", "different", "only in A", "only in B".
const char* comparison_name(Comparison status);

// One line for a kDifferent entry: "max |diff| 0.25, 12 of 200 values".
std::string difference_text(const ArtifactComparison& entry);

}  // namespace rxflow
