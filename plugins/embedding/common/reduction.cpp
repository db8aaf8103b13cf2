#include "reduction.h"

#include <Eigen/SVD>
#include <cmath>
#include <stdexcept>

#include "rxflow/rng.h"

namespace rxflow::embedding {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Matrix as_matrix(const std::vector<double>& x, std::size_t rows, std::size_t columns) {
  return Eigen::Map<const Matrix>(x.data(), static_cast<Eigen::Index>(rows),
                                  static_cast<Eigen::Index>(columns));
}

std::vector<double> as_vector(const Matrix& m) { return {m.data(), m.data() + m.size()}; }

}  // namespace

std::vector<double> fold(const std::vector<double>& x, std::size_t rows, std::size_t columns,
                         std::size_t dim) {
  std::vector<double> out(rows * dim, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < columns; ++j) out[r * dim + j % dim] += x[r * columns + j];
  }
  return out;
}

std::vector<double> random_projection(const std::vector<double>& x, std::size_t rows,
                                      std::size_t columns, std::size_t dim, std::uint64_t seed) {
  Rng rng(seed);
  Matrix r(static_cast<Eigen::Index>(columns), static_cast<Eigen::Index>(dim));
  for (Eigen::Index i = 0; i < r.rows(); ++i) {
    for (Eigen::Index j = 0; j < r.cols(); ++j) r(i, j) = rng.bernoulli(0.5) ? 1.0 : -1.0;
  }
  const Matrix projected = (as_matrix(x, rows, columns) * r) / std::sqrt(static_cast<double>(dim));
  return as_vector(projected);
}

std::vector<double> pca_scores(const std::vector<double>& x, std::size_t rows, std::size_t columns,
                               std::size_t dim) {
  const std::size_t most = std::min(rows == 0 ? 0 : rows - 1, columns);
  if (dim > most) {
    throw std::runtime_error("pca: " + std::to_string(rows) + " drugs and " +
                             std::to_string(columns) + " columns give at most " +
                             std::to_string(most) + " components, " + std::to_string(dim) +
                             " requested (lower dim or use fold or projection)");
  }
  Matrix centered = as_matrix(x, rows, columns);
  centered.rowwise() -= centered.colwise().mean();
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centered, Eigen::ComputeThinU | Eigen::ComputeThinV);
  Eigen::MatrixXd u = svd.matrixU().leftCols(static_cast<Eigen::Index>(dim));
  for (Eigen::Index j = 0; j < u.cols(); ++j) {
    Eigen::Index largest = 0;
    for (Eigen::Index i = 1; i < u.rows(); ++i) {
      if (std::abs(u(i, j)) > std::abs(u(largest, j))) largest = i;
    }
    if (u(largest, j) < 0) u.col(j) *= -1.0;
    u.col(j) *= svd.singularValues()(j);
  }
  return as_vector(Matrix(u));
}

std::vector<double> reduce(const std::string& method, const std::vector<double>& x,
                           std::size_t rows, std::size_t columns, std::size_t dim,
                           std::uint64_t seed) {
  if (method == "fold") return fold(x, rows, columns, dim);
  if (method == "projection") return random_projection(x, rows, columns, dim, seed);
  if (method == "pca") return pca_scores(x, rows, columns, dim);
  return x;
}

void normalize_rows(std::vector<double>& x, std::size_t rows, std::size_t columns) {
  for (std::size_t r = 0; r < rows; ++r) {
    double sum = 0;
    for (std::size_t c = 0; c < columns; ++c) sum += x[r * columns + c] * x[r * columns + c];
    if (sum == 0) continue;
    const double norm = std::sqrt(sum);
    for (std::size_t c = 0; c < columns; ++c) x[r * columns + c] /= norm;
  }
}

std::vector<double> standardize_columns(const std::vector<double>& x, std::size_t rows,
                                        std::size_t columns) {
  Matrix m = as_matrix(x, rows, columns);
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    const double mean = m.col(c).mean();
    const double sd = std::sqrt((m.col(c).array() - mean).square().mean());
    m.col(c) =
        sd > 0 ? Eigen::VectorXd((m.col(c).array() - mean) / sd) : Eigen::VectorXd::Zero(m.rows());
  }
  return as_vector(m);
}

std::vector<double> append_columns(const std::vector<double>& a, std::size_t a_columns,
                                   const std::vector<double>& b, std::size_t b_columns,
                                   std::size_t rows) {
  std::vector<double> out;
  out.reserve(rows * (a_columns + b_columns));
  for (std::size_t r = 0; r < rows; ++r) {
    out.insert(out.end(), a.begin() + static_cast<std::ptrdiff_t>(r * a_columns),
               a.begin() + static_cast<std::ptrdiff_t>((r + 1) * a_columns));
    out.insert(out.end(), b.begin() + static_cast<std::ptrdiff_t>(r * b_columns),
               b.begin() + static_cast<std::ptrdiff_t>((r + 1) * b_columns));
  }
  return out;
}

}  // namespace rxflow::embedding
