// Checking a sweep before anything runs (rxflow validate, rxflow sweep):
// its size, and the plan of every distinct combination of its values (the
// repeats of a combination differ only by seed, which no plan check reads),
// so a value out of a parameter's range, an unknown parameter or a sweep
// over something that is not a parameter is bad input naming the sweep
// entry that wrote it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loader/plugin_loader.h"
#include "spec/spec.h"

namespace rxflow {

inline constexpr std::uint64_t kLargeSweep = 1'000'000;

struct SweepSize {
  std::uint64_t points = 0;
  std::uint64_t combinations = 0;  // points / repeats
};

// Throws InputError. REQUIRES: base.sweep.
SweepSize check_sweep(const Spec& base, PluginLoader& loader,
                      const std::vector<std::string>& data_path, bool allow_large);

}  // namespace rxflow
