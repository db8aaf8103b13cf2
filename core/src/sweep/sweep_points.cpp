#include "sweep/sweep_points.h"

#include <algorithm>

#include "rxflow/seed.h"

namespace rxflow {

std::optional<std::uint64_t> sweep_size(const SweepSpec& sweep) {
  std::uint64_t count = sweep.repeats;
  for (const SweepAxis& axis : sweep.grid) {
    if (__builtin_mul_overflow(count, axis.values.size(), &count)) return std::nullopt;
  }
  if (!sweep.zip.empty() &&
      __builtin_mul_overflow(count, sweep.zip.front().values.size(), &count)) {
    return std::nullopt;
  }
  if (count > (std::uint64_t{1} << 63)) return std::nullopt;
  return count;
}

SweepPoint sweep_point(const SweepSpec& sweep, std::uint64_t index, std::uint64_t root_seed) {
  SweepPoint point;
  point.index = index;
  std::uint64_t rest = index;
  point.repeat = rest % sweep.repeats;
  rest /= sweep.repeats;
  std::vector<std::pair<std::string, SpecValue>> zipped;
  if (!sweep.zip.empty()) {
    const std::size_t rows = sweep.zip.front().values.size();
    const std::size_t row = rest % rows;
    rest /= rows;
    for (const SweepAxis& axis : sweep.zip) zipped.emplace_back(axis.name(), axis.values[row]);
  }
  std::vector<std::pair<std::string, SpecValue>> grid(sweep.grid.size());
  for (std::size_t a = sweep.grid.size(); a-- > 0;) {
    const SweepAxis& axis = sweep.grid[a];
    grid[a] = {axis.name(), axis.values[rest % axis.values.size()]};
    rest /= axis.values.size();
  }
  point.values = std::move(grid);
  point.values.insert(point.values.end(), zipped.begin(), zipped.end());
  std::vector<std::string> parts;
  for (const auto& [name, value] : point.values) {
    parts.push_back(name + "=" + format_param_value(value.value));
  }
  std::sort(parts.begin(), parts.end());
  for (const std::string& part : parts) point.key += (point.key.empty() ? "" : ";") + part;
  const std::string repeat = std::to_string(point.repeat);
  // 63 bits, as a workflow's seed is a TOML integer (signed 64-bit).
  point.seed =
      kSeedMask &
      (sweep.seeds == SweepSeeds::kShared
           ? derive_seed(root_seed, "rxflow-sweep-repeat/" + repeat)
           : derive_seed(root_seed, "rxflow-sweep-point/" + point.key + "/repeat/" + repeat));
  return point;
}

Spec point_spec(const Spec& base, const SweepPoint& point) {
  Spec spec = base;
  spec.sweep.reset();
  spec.seed = point.seed;
  for (const auto& [name, value] : point.values) {
    const auto dot = name.find('.');
    set_param(spec, name.substr(0, dot), name.substr(dot + 1), value.value);
    // Errors about the value point at the sweep entry that wrote it.
    for (StageSpec& stage : spec.stages) {
      if (stage.id == name.substr(0, dot)) stage.params[name.substr(dot + 1)].where = value.where;
    }
  }
  return spec;
}

std::uint64_t sweep_point_at(const SweepSpec& sweep, std::uint64_t size, std::uint64_t position) {
  const std::uint64_t combinations = size / sweep.repeats;
  return (position % combinations) * sweep.repeats + position / combinations;
}

}  // namespace rxflow
