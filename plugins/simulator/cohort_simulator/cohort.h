// The simulated cohort and its labels (seed paper, Sections 5.1 and 5.3).
// Patients: age uniform(18, 90); weight normal(mean, sd) clipped to
// [40, 150]; gender categorical; genetic marker uniform(0, 1) or beta(a, b);
// comorbidity the weighted sum of binary flags (weights drawn once, summing
// to 1); drug categorical over the embedding table. Labels follow eq. 1,
//   s = sigmoid(alpha <w_p, x> + beta <w_d, d> + b + eps), eps ~ normal(0, sigma),
// with an intercept b that sets the class balance (docs/plugins/
// cohort_simulator.md): none (b = 0, eq. 1 as printed), centred features
// (x and d minus their means, b = 0), or b solved so that the expected share
// of positive labels is the target prevalence.
// The order of draws is part of the contract (golden tests pin it).
#pragma once

#include <cstdint>
#include <vector>

#include "patient_features.h"
#include "rxflow/rng.h"

namespace rxflow::cohort {

enum class MarkerDistribution { kUniform, kBeta };
enum class Balance { kNone, kCentered, kPrevalence };
enum class LabelRule { kThreshold, kBernoulli };

struct CohortConfig {
  std::int64_t n = 200;
  double alpha = 0.6;
  double beta = 0.4;
  double noise_sigma = 0.1;
  double weight_mean = 70.0;
  double weight_sd = 15.0;
  std::vector<double> gender_probabilities{0.48, 0.48, 0.04};
  MarkerDistribution marker = MarkerDistribution::kUniform;
  double marker_beta_a = 2.0;
  double marker_beta_b = 5.0;
  int comorbidity_flags = 5;
  double comorbidity_flag_probability = 0.2;
  Balance balance = Balance::kPrevalence;
  double target_prevalence = 0.5;
  LabelRule label_rule = LabelRule::kThreshold;
  std::vector<double> drug_weights;  // one per row of the embedding table
};

struct Cohort {
  std::vector<double> patients;             // (n, kRawColumns)
  std::vector<double> features;             // (n, kFeatureColumns)
  std::vector<std::int64_t> drug;           // (n) row of the embedding table
  std::vector<double> w_p;                  // (kFeatureColumns)
  std::vector<double> w_d;                  // (dim)
  std::vector<double> comorbidity_weights;  // (flags)
  std::vector<double> s;                    // (n) success probability of eq. 1
  std::vector<std::int64_t> labels;         // (n) 0 or 1
  double intercept = 0;
  double prevalence = 0;  // share of labels equal to 1
};

// embeddings: (n_drugs, dim) row-major. REQUIRES: config validated
// (n >= 1, drug_weights.size() == n_drugs, probabilities non-negative).
Cohort simulate_cohort(const CohortConfig& config, const std::vector<double>& embeddings,
                       std::size_t dim, Rng& rng);

double sigmoid(double x);

}  // namespace rxflow::cohort
