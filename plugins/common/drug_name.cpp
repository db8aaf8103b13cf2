#include "drug_name.h"

#include <cctype>
#include <stdexcept>

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

void DrugNameSet::add(std::string_view name, const std::string& where, const std::string& place) {
  const std::string canonical = canonical_drug_name(name);
  if (canonical.empty()) throw std::runtime_error(where + ": a drug without a name");
  const auto [first, fresh] = places_.emplace(canonical, place);
  if (!fresh) {
    throw std::runtime_error(where + ": drug \"" + std::string(name) + "\" is already on " +
                             first->second);
  }
}

}  // namespace rxflow
