// The eq. 1 response of patients the cohort did not simulate (the
// requests). The cohort's s_i = sigmoid(alpha <w_p, x_i> + beta <w_d, d_i>
// + b + eps_i), where the balance setting may also shift every logit by a
// constant (centred features). Given the cohort's x, d, s, w_p and w_d,
//   logit(s_i) = a P_i + c D_i + k + eps_i,  P_i = <w_p, x_i>, D_i = <w_d, d_i>,
// is fitted by least squares (a = alpha, c = beta and k = b plus the
// centring constant, exactly when noise_sigma = 0), and a request's
// response is sigmoid(a P + c D + k): eq. 1 without its noise. Rows whose
// s is within 1e-9 of 0 or 1 (a logit rounding cannot tell) are left out.
// When every patient's D is the same (one drug), c cannot be told from k:
// c = 0. Plain loops in a fixed order; pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rxflow::phantom {

struct ResponseFit {
  double patient_coefficient = 0;  // a
  double drug_coefficient = 0;     // c
  double offset = 0;               // k
  double rms_residual = 0;         // of the fitted logits (the noise's sd when the model holds)
  std::size_t rows = 0;            // rows used
};

// The cohort's terms of eq. 1: w_p (k), w_d (dim).
struct ResponseWeights {
  const std::vector<double>& w_p;
  const std::vector<double>& w_d;
};

// features (n, w_p.size()) row-major; embeddings (n_drugs, w_d.size());
// drug[i] a row of embeddings. Throws std::runtime_error when fewer than 3
// rows have 1e-9 < s < 1 - 1e-9. REQUIRES: shapes consistent, drug rows valid.
ResponseFit fit_response(const ResponseWeights& weights, const std::vector<double>& features,
                         const std::vector<double>& embeddings,
                         const std::vector<std::int64_t>& drug, const std::vector<double>& s);

// sigmoid(a <w_p, x> + c <w_d, d> + k); x has w_p.size() values, d w_d.size().
double predict_response(const ResponseFit& fit, const ResponseWeights& weights, const double* x,
                        const double* d);

}  // namespace rxflow::phantom
