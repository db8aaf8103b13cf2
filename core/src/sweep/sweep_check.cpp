#include "sweep/sweep_check.h"

#include "plan/plan.h"
#include "support/errors.h"
#include "sweep/sweep_points.h"

namespace rxflow {

SweepSize check_sweep(const Spec& base, PluginLoader& loader,
                      const std::vector<std::string>& data_path, bool allow_large) {
  const SweepSpec& sweep = *base.sweep;
  const std::optional<std::uint64_t> points = sweep_size(sweep);
  if (!points || (*points > kLargeSweep && !allow_large)) {
    fail_at(sweep.where, "the sweep has " +
                             (points ? std::to_string(*points) : std::string("more than 2^63")) +
                             " points, more than " + std::to_string(kLargeSweep) +
                             " (pass --allow-large to run it anyway)");
  }
  const SweepSize size{*points, *points / sweep.repeats};
  for (std::uint64_t combination = 0; combination < size.combinations; ++combination) {
    // Repeats vary fastest: repeat 0 of each combination.
    const SweepPoint point = sweep_point(sweep, combination * sweep.repeats, 0);
    make_plan(point_spec(base, point), loader, PlanOptions{std::nullopt, data_path});
  }
  return size;
}

}  // namespace rxflow
