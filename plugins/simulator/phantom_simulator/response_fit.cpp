#include "response_fit.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace rxflow::phantom {
namespace {

constexpr double kSaturated = 1e-9;

double dot(const std::vector<double>& w, const double* x) {
  double sum = 0.0;
  for (std::size_t i = 0; i < w.size(); ++i) sum += w[i] * x[i];
  return sum;
}

}  // namespace

ResponseFit fit_response(const ResponseWeights& weights, const std::vector<double>& features,
                         const std::vector<double>& embeddings,
                         const std::vector<std::int64_t>& drug, const std::vector<double>& s) {
  const std::size_t k = weights.w_p.size(), dim = weights.w_d.size();
  std::vector<double> p, d, y;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!(s[i] > kSaturated && s[i] < 1.0 - kSaturated)) continue;
    p.push_back(dot(weights.w_p, features.data() + i * k));
    d.push_back(dot(weights.w_d, embeddings.data() + static_cast<std::size_t>(drug[i]) * dim));
    y.push_back(std::log(s[i] / (1.0 - s[i])));
  }
  const std::size_t n = y.size();
  if (n < 3) {
    throw std::runtime_error("input s has " + std::to_string(n) +
                             " patients with 0 < s < 1 (away from rounding); eq. 1 needs at "
                             "least 3 to be fitted for the requests");
  }
  double p_mean = 0, d_mean = 0, y_mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    p_mean += p[i];
    d_mean += d[i];
    y_mean += y[i];
  }
  p_mean /= static_cast<double>(n);
  d_mean /= static_cast<double>(n);
  y_mean /= static_cast<double>(n);
  double spp = 0, sdd = 0, spd = 0, spy = 0, sdy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double cp = p[i] - p_mean, cd = d[i] - d_mean, cy = y[i] - y_mean;
    spp += cp * cp;
    sdd += cd * cd;
    spd += cp * cd;
    spy += cp * cy;
    sdy += cd * cy;
  }
  ResponseFit fit;
  fit.rows = n;
  const double determinant = spp * sdd - spd * spd;
  // The drug term is kept when D varies and is not a multiple of P.
  if (sdd > 1e-12 * static_cast<double>(n) && determinant > 1e-9 * spp * sdd) {
    fit.patient_coefficient = (spy * sdd - sdy * spd) / determinant;
    fit.drug_coefficient = (sdy * spp - spy * spd) / determinant;
  } else if (spp > 0) {
    fit.patient_coefficient = spy / spp;
  }
  fit.offset = y_mean - fit.patient_coefficient * p_mean - fit.drug_coefficient * d_mean;
  double squares = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double residual =
        y[i] - (fit.patient_coefficient * p[i] + fit.drug_coefficient * d[i] + fit.offset);
    squares += residual * residual;
  }
  fit.rms_residual = std::sqrt(squares / static_cast<double>(n));
  return fit;
}

double predict_response(const ResponseFit& fit, const ResponseWeights& weights, const double* x,
                        const double* d) {
  const double logit = fit.patient_coefficient * dot(weights.w_p, x) +
                       fit.drug_coefficient * dot(weights.w_d, d) + fit.offset;
  return 1.0 / (1.0 + std::exp(-logit));
}

}  // namespace rxflow::phantom
