#include "embedding_table.h"

#include <cmath>
#include <stdexcept>

#include "drug_name.h"
#include "spec/table_file.h"

namespace rxflow::table_embeddings {
embedding::DrugTable parse_csv_embeddings(const std::string& text, const std::string& origin) {
  const TextTable table = parse_csv_table(text, origin);
  if (table.columns.empty() || table.columns[0] != "name" || table.columns.size() < 2) {
    throw std::runtime_error(origin +
                             ":1: expected a header `name,<column>,...` with at least "
                             "one vector column");
  }
  embedding::DrugTable drugs;
  drugs.width = static_cast<int>(table.columns.size() - 1);
  DrugNameSet names;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string where = origin + ":" + std::to_string(table.lines[r]);
    const std::vector<std::string>& row = table.rows[r];
    names.add(row[0], where, "line " + std::to_string(table.lines[r]));
    drugs.names.push_back(row[0]);
    for (std::size_t c = 1; c < row.size(); ++c) {
      const std::string& cell = row[c];
      std::size_t used = 0;
      double value = NAN;
      try {
        value = std::stod(cell, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (cell.empty() || used != cell.size() || !std::isfinite(value)) {
        throw std::runtime_error(where + ": column \"" + table.columns[c] +
                                 "\": expected a finite "
                                 "number, found \"" +
                                 cell + "\"");
      }
      drugs.vectors.push_back(value);
    }
  }
  return drugs;
}

embedding::DrugTable hdf5_embeddings(const std::vector<std::pair<std::string, Artifact>>& datasets,
                                     const std::string& origin) {
  const Artifact* names = nullptr;
  const Artifact* vectors = nullptr;
  for (const auto& [name, artifact] : datasets) {
    if (name == "names") names = &artifact;
    if (name == "vectors") vectors = &artifact;
  }
  if (!names || names->dtype() != DType::kString || names->shape.size() != 1 || !vectors ||
      vectors->dtype() != DType::kFloat64 || vectors->shape.size() != 2) {
    throw std::runtime_error(origin +
                             ": expected the datasets names (strings, n) and vectors "
                             "(numbers, n x width)");
  }
  if (names->shape[0] != vectors->shape[0]) {
    throw std::runtime_error(origin + ": " + std::to_string(names->shape[0]) + " names but " +
                             std::to_string(vectors->shape[0]) + " vectors");
  }
  embedding::DrugTable drugs;
  drugs.names = std::get<std::vector<std::string>>(names->values);
  drugs.vectors = std::get<std::vector<double>>(vectors->values);
  drugs.width = static_cast<int>(vectors->shape[1]);
  DrugNameSet check;
  for (std::size_t r = 0; r < drugs.names.size(); ++r)
    check.add(drugs.names[r], origin + ": row " + std::to_string(r), "row " + std::to_string(r));
  for (std::size_t i = 0; i < drugs.vectors.size(); ++i) {
    if (!std::isfinite(drugs.vectors[i])) {
      throw std::runtime_error(origin + ": vectors row " +
                               std::to_string(i / static_cast<std::size_t>(drugs.width)) +
                               " holds a non-finite value");
    }
  }
  return drugs;
}

}  // namespace rxflow::table_embeddings
