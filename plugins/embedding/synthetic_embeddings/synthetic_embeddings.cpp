#include "synthetic_embeddings.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "drug_name.h"
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
  DrugNameSet seen;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string name = line.substr(0, line.find('#'));
    if (canonical_drug_name(name).empty()) continue;
    const auto first = name.find_first_not_of(" \t\r");
    const std::string trimmed = name.substr(first, name.find_last_not_of(" \t\r") - first + 1);
    seen.add(trimmed, origin + ":" + std::to_string(number), "line " + std::to_string(number));
    names.push_back(trimmed);
  }
  if (names.empty()) throw std::runtime_error(origin + ": the dictionary lists no drugs");
  return names;
}

}  // namespace rxflow::synthetic_embeddings
