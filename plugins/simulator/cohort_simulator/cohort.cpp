#include "cohort.h"

#include <algorithm>
#include <cmath>

namespace rxflow::cohort {
namespace {

// Mean of each column of a row-major (rows, cols) table.
std::vector<double> column_means(const std::vector<double>& table, std::size_t cols) {
  std::vector<double> means(cols, 0.0);
  const std::size_t rows = table.size() / cols;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) means[c] += table[r * cols + c];
  }
  for (double& mean : means) mean /= static_cast<double>(rows);
  return means;
}

double dot(const double* a, const double* b, const double* b_offset, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * (b[i] - (b_offset ? b_offset[i] : 0.0));
  return sum;
}

// Intercept for the target share of positives. Threshold rule: the midpoint
// between the two logits that straddle the target rank. Bernoulli rule: the
// b with mean(sigmoid(z + b)) = target, by 200 bisection steps on [-100, 100].
double solve_intercept(const std::vector<double>& logits, double target, LabelRule rule) {
  const std::size_t n = logits.size();
  if (rule == LabelRule::kThreshold) {
    std::vector<double> sorted = logits;
    std::sort(sorted.begin(), sorted.end());
    const auto negatives =
        static_cast<std::size_t>(std::llround(static_cast<double>(n) * (1.0 - target)));
    if (negatives == 0) return 1.0 - sorted.front();
    if (negatives >= n) return -1.0 - sorted.back();
    return -0.5 * (sorted[negatives - 1] + sorted[negatives]);
  }
  double lo = -100.0, hi = 100.0;
  for (int step = 0; step < 200; ++step) {
    const double mid = 0.5 * (lo + hi);
    double mean = 0.0;
    for (double z : logits) mean += sigmoid(z + mid);
    mean /= static_cast<double>(n);
    (mean < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

Cohort simulate_cohort(const CohortConfig& config, const std::vector<double>& embeddings,
                       std::size_t dim, Rng& rng) {
  const auto n = static_cast<std::size_t>(config.n);
  Cohort cohort;
  cohort.w_p.resize(kFeatureColumns);
  for (double& w : cohort.w_p) w = rng.normal();
  cohort.w_d.resize(dim);
  for (double& w : cohort.w_d) w = rng.normal();
  cohort.comorbidity_weights.resize(static_cast<std::size_t>(config.comorbidity_flags));
  double weight_sum = 0.0;
  for (double& w : cohort.comorbidity_weights) weight_sum += (w = rng.uniform());
  for (double& w : cohort.comorbidity_weights) w /= weight_sum;

  cohort.patients.resize(n * kRawColumns);
  cohort.features.resize(n * kFeatureColumns);
  cohort.drug.resize(n);
  std::vector<double> noise(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double age = rng.uniform(patients::kMinAge, patients::kMaxAge);
    const double weight = std::clamp(rng.normal(config.weight_mean, config.weight_sd),
                                     patients::kMinWeightKg, patients::kMaxWeightKg);
    const auto gender = static_cast<patients::Gender>(rng.categorical(config.gender_probabilities));
    const double marker = config.marker == MarkerDistribution::kUniform
                              ? rng.uniform()
                              : rng.beta(config.marker_beta_a, config.marker_beta_b);
    double comorbidity = 0.0;
    for (double w : cohort.comorbidity_weights) {
      if (rng.bernoulli(config.comorbidity_flag_probability)) comorbidity += w;
    }
    comorbidity = std::min(comorbidity, 1.0);
    cohort.drug[i] = static_cast<std::int64_t>(rng.categorical(config.drug_weights));
    noise[i] = rng.normal(0.0, config.noise_sigma);
    const double raw[kRawColumns] = {age, weight, static_cast<double>(gender), marker, comorbidity};
    std::copy(raw, raw + kRawColumns,
              cohort.patients.begin() + static_cast<std::ptrdiff_t>(i * kRawColumns));
    const auto x = normalize_patient(age, weight, gender, marker, comorbidity);
    std::copy(x.begin(), x.end(),
              cohort.features.begin() + static_cast<std::ptrdiff_t>(i * kFeatureColumns));
  }

  std::vector<double> x_mean, d_mean;
  if (config.balance == Balance::kCentered) {
    x_mean = column_means(cohort.features, kFeatureColumns);
    d_mean = column_means(embeddings, dim);
  }
  std::vector<double> logits(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double* x = &cohort.features[i * kFeatureColumns];
    const double* d = &embeddings[static_cast<std::size_t>(cohort.drug[i]) * dim];
    logits[i] =
        config.alpha *
            dot(cohort.w_p.data(), x, x_mean.empty() ? nullptr : x_mean.data(), kFeatureColumns) +
        config.beta * dot(cohort.w_d.data(), d, d_mean.empty() ? nullptr : d_mean.data(), dim) +
        noise[i];
  }
  if (config.balance == Balance::kPrevalence) {
    cohort.intercept = solve_intercept(logits, config.target_prevalence, config.label_rule);
  }
  cohort.s.resize(n);
  cohort.labels.resize(n);
  std::int64_t positives = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cohort.s[i] = sigmoid(logits[i] + cohort.intercept);
    const bool positive =
        config.label_rule == LabelRule::kThreshold ? cohort.s[i] > 0.5 : rng.bernoulli(cohort.s[i]);
    cohort.labels[i] = positive ? 1 : 0;
    positives += cohort.labels[i];
  }
  cohort.prevalence = static_cast<double>(positives) / static_cast<double>(n);
  return cohort;
}

}  // namespace rxflow::cohort
