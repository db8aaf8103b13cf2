// Ports: the named inputs a stage consumes and the named outputs it emits.
// An input is bound to an upstream output of the same name (or, in the
// experiment file, to "other_stage.output"). Plain values.
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
  // Outputs only: a table of headline numbers, float64 (1, k) with a name
  // for each column, that `rxflow log`, `diff` and sweep indexes show by
  // column name.
  bool metrics = false;

  // "float64[2-d]" style: dtype and rank ("float64[*]" for any rank).
  std::string type_name() const;
};

}  // namespace rxflow
