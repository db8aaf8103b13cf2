// Reducing drug vectors (fingerprint bits, or the columns of an embedding
// table) to the requested dimension, deterministically (docs/plugins/
// rdkit_embeddings.md gives the formulas):
// - fold: output i is the sum of the input columns j with j mod dim == i;
// - projection: X R / sqrt(dim), R (columns x dim) of +-1 entries drawn row
//   by row from Rng(seed), +1 when bernoulli(0.5);
// - pca: scores on the first dim principal components of the centered
//   table, as scikit-learn's PCA(svd_solver="full") computes them, with its
//   sign convention (each component's largest |score| is positive);
// then, optionally, each row scaled to unit Euclidean norm (a zero row stays
// zero), and standardized extra columns (z-scores over the table, with the
// population standard deviation; a constant column becomes 0) appended.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rxflow::embedding {

// x is row-major (rows, columns). Each returns row-major (rows, dim).
std::vector<double> fold(const std::vector<double>& x, std::size_t rows, std::size_t columns,
                         std::size_t dim);
std::vector<double> random_projection(const std::vector<double>& x, std::size_t rows,
                                      std::size_t columns, std::size_t dim, std::uint64_t seed);
// Throws std::runtime_error when dim > min(rows - 1, columns).
std::vector<double> pca_scores(const std::vector<double>& x, std::size_t rows, std::size_t columns,
                               std::size_t dim);

// Applies the reduction named by method ("none", "fold", "projection",
// "pca"); "none" returns x unchanged.
std::vector<double> reduce(const std::string& method, const std::vector<double>& x,
                           std::size_t rows, std::size_t columns, std::size_t dim,
                           std::uint64_t seed);

void normalize_rows(std::vector<double>& x, std::size_t rows, std::size_t columns);

std::vector<double> standardize_columns(const std::vector<double>& x, std::size_t rows,
                                        std::size_t columns);

// Row-major concatenation [a | b] of (rows, a_columns) and (rows, b_columns).
std::vector<double> append_columns(const std::vector<double>& a, std::size_t a_columns,
                                   const std::vector<double>& b, std::size_t b_columns,
                                   std::size_t rows);

}  // namespace rxflow::embedding
