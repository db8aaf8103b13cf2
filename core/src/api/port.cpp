#include "rxflow/port.h"

namespace rxflow {

std::string PortSpec::type_name() const {
  std::string name(dtype_name(dtype));
  if (rank < 0) return name + "[*]";
  return name + "[" + std::to_string(rank) + "-d]";
}

}  // namespace rxflow
