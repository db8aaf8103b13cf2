// Ports: the named inputs a stage consumes and the named outputs it emits.
// An input is bound in the experiment file to "other_stage.output".
#pragma once

#include <string>

#include "rxflow/artifact.h"

namespace rxflow {

struct PortSpec {
  std::string name;
  DType dtype = DType::kFloat64;
  int rank = -1;  // number of dimensions; -1 accepts any
  std::string help;
  bool optional = false;  // inputs only: may be left unbound

  // "float64[2]" style: dtype and rank ("float64[*]" for any rank).
  std::string type_name() const;
};

}  // namespace rxflow
