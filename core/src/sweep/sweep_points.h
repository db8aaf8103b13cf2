// The points of a sweep: every combination of the grid's values, times each
// row of the zipped lists, times each repeat. A point is the base workflow
// with its values set (recorded as overrides) and its own root seed:
//   shared seeds:      derive_seed(root_seed, "rxflow-sweep-repeat/" + repeat)
//   independent seeds: derive_seed(root_seed, "rxflow-sweep-point/" + key +
//                                              "/repeat/" + repeat)
// each with its top bit cleared (kSeedMask: a workflow's seed is a TOML
// integer, signed 64-bit), where key is the point's values as "stage.param=<TOML value>" sorted by
// name and joined by ";". Neither depends on the other points, so adding a
// value, an axis entry or a repeat shifts no other point's seed
// (docs/sweeps.md). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "spec/spec.h"

namespace rxflow {

inline constexpr std::uint64_t kSeedMask = 0x7fffffffffffffffULL;

struct SweepPoint {
  std::uint64_t index = 0;
  // (axis name, value), axes in the sweep's order: grid, then zip.
  std::vector<std::pair<std::string, SpecValue>> values;
  std::uint64_t repeat = 0;
  std::uint64_t seed = 0;
  std::string key;  // the values as "stage.param=value;..." (sorted); "" for no axes
};

// How many points the sweep has; nullopt when the count passes 2^63.
std::optional<std::uint64_t> sweep_size(const SweepSpec& sweep);

// REQUIRES: index < sweep_size(sweep). Repeats vary fastest, then the zip
// rows, then the grid's last axis, ..., its first axis slowest.
SweepPoint sweep_point(const SweepSpec& sweep, std::uint64_t index, std::uint64_t root_seed);

// The point run at `position` of the run order, repeat by repeat: every
// combination of repeat 0, then of repeat 1, ... (points of one repeat share
// stages). REQUIRES: size == sweep_size(sweep), position < size.
std::uint64_t sweep_point_at(const SweepSpec& sweep, std::uint64_t size, std::uint64_t position);

// The base spec with the point's values set and its seed (the sweep
// itself removed): what the point's plan is made from.
Spec point_spec(const Spec& base, const SweepPoint& point);

}  // namespace rxflow
