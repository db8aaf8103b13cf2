// Precomputed drug vectors (mol2vec, ChemBERTa, anything) as a table of
// name -> vector of any width: CSV with a header `name,<column>,...` and one
// row per drug, or the `names` (string[n]) and `vectors` (float64[n, width])
// datasets of an HDF5 file. Pure functions; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "embedding_output.h"
#include "rxflow/artifact.h"

namespace rxflow::table_embeddings {

// Throws std::runtime_error "origin:line: ..." for a row whose width differs
// from the header's, a value that is not a finite number, an empty or
// duplicate name (after canonicalization, naming both lines), or a header
// whose first column is not `name`.
embedding::DrugTable parse_csv_embeddings(const std::string& text, const std::string& origin);

// From the datasets of an HDF5 file; throws std::runtime_error naming the
// file for a missing dataset, a count mismatch, a non-finite value or a
// duplicate name (by row).
embedding::DrugTable hdf5_embeddings(const std::vector<std::pair<std::string, Artifact>>& datasets,
                                     const std::string& origin);

}  // namespace rxflow::table_embeddings
