// KindContract: what a kind of stage is. A kind is a name and a contract
// that every plugin of the kind keeps: the ports it declares (name, dtype,
// rank), so that one plugin can replace another of the same kind without
// touching the stages around it, and whether its stages render the run.
// The contract travels in the plugin's description; the engine checks each
// plugin against its own kind's contract and all plugins of one kind against
// each other, so a new kind needs no change to the engine
// (docs/plugins.md). Plain values; safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "rxflow/port.h"

namespace rxflow {

struct KindContract {
  std::string name;               // an identifier: "embedding", "classifier", ...
  std::vector<PortSpec> inputs;   // every plugin of the kind declares these inputs
  std::vector<PortSpec> outputs;  // and these outputs (same name, dtype and rank)
  // A rendering stage shows the finished computation to people (a report):
  // it runs after every other stage, feeds no other stage, and its record
  // stays out of the run's root hash, which it may display.
  bool renders = false;
};

}  // namespace rxflow
