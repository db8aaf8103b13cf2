#include "rxflow/drug_name.h"

#include <cctype>

namespace rxflow {

std::string canonical_drug_name(std::string_view name) {
  std::string canonical;
  bool pending_space = false;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !canonical.empty();
      continue;
    }
    if (pending_space) canonical.push_back(' ');
    pending_space = false;
    canonical.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return canonical;
}

}  // namespace rxflow
