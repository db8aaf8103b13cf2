// SweepSpec: a workflow's [sweep] table (or the sweep given on the command
// line), exactly as written: the axes of the grid, the lists that advance
// together, how many repeats each point gets and how their seeds are drawn.
// The sweep's points and their seeds are sweep/sweep_points.h's. Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/spec_value.h"

namespace rxflow {

// One swept parameter: "stage.param" and the values it takes.
struct SweepAxis {
  std::string stage;
  std::string param;
  std::vector<SpecValue> values;  // each with where it was written
  SourceLocation where;

  std::string name() const { return stage + "." + param; }
};

enum class SweepSeeds {
  // Every point of one repeat gets the repeat's seed (common random numbers:
  // points differ only by their parameters, which is what a comparison wants).
  kShared,
  // Every point and repeat its own seed.
  kIndependent,
};

struct SweepSpec {
  std::vector<SweepAxis> grid;  // every combination, first axis slowest
  std::vector<SweepAxis> zip;   // advance together (one value of each per point); equal lengths
  std::uint64_t repeats = 1;
  SweepSeeds seeds = SweepSeeds::kShared;
  std::string name = "sweep";  // names the folder results/<workflow>/<name>/
  SourceLocation where;
};

}  // namespace rxflow
