#include "synthetic_embeddings.h"

#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

#include "rxflow/drug_name.h"
#include "rxflow/rng.h"
#include "rxflow/seed.h"

namespace rxflow::synthetic_embeddings {

std::vector<double> embedding_for(std::string_view canonical_name, std::uint64_t table_seed,
                                  int dim) {
  Rng rng(derive_seed(table_seed, canonical_name));
  const double sd = 1.0 / std::sqrt(static_cast<double>(dim));
  std::vector<double> vector(static_cast<std::size_t>(dim));
  for (double& value : vector) value = rng.normal(0.0, sd);
  return vector;
}

std::vector<std::string> parse_dictionary(const std::string& text, const std::string& origin) {
  std::vector<std::string> names;
  std::map<std::string, int> first_line;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string name = line.substr(0, line.find('#'));
    const std::string canonical = canonical_drug_name(name);
    if (canonical.empty()) continue;
    const auto [it, inserted] = first_line.emplace(canonical, number);
    if (!inserted) {
      throw std::runtime_error(origin + ":" + std::to_string(number) + ": drug \"" + canonical +
                               "\" is already listed on line " + std::to_string(it->second));
    }
    names.push_back(
        name.substr(name.find_first_not_of(" \t"),
                    name.find_last_not_of(" \t\r") - name.find_first_not_of(" \t") + 1));
  }
  if (names.empty()) throw std::runtime_error(origin + ": the dictionary lists no drugs");
  return names;
}

}  // namespace rxflow::synthetic_embeddings
