// The cohort_simulator plugin: simulated patients with eq. 1 labels, and
// the requests' patients normalized by the same transform.
#include <map>

#include "cohort.h"
#include "drug_name.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::cohort {
namespace {

// Equal weights over the table, or the named drugs with their weights.
// Checked when the plan is made (the table is then known from the embedding
// stage) and used when the stage runs.
std::vector<double> drug_weights(const StageParams& ctx, const std::vector<std::string>& table) {
  const std::vector<std::string>& drugs = ctx.param_string_list("drugs");
  const std::vector<double>& weights = ctx.param_float_list("drug_weights");
  if (drugs.empty()) {
    if (!weights.empty()) throw std::runtime_error("drug_weights is given but drugs is empty");
    return std::vector<double>(table.size(), 1.0);
  }
  if (!weights.empty() && weights.size() != drugs.size()) {
    throw std::runtime_error("drug_weights has " + std::to_string(weights.size()) +
                             " values but drugs names " + std::to_string(drugs.size()));
  }
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < table.size(); ++i) row_of[canonical_drug_name(table[i])] = i;
  std::vector<double> result(table.size(), 0.0);
  for (std::size_t i = 0; i < drugs.size(); ++i) {
    const auto found = row_of.find(canonical_drug_name(drugs[i]));
    if (found == row_of.end()) {
      throw std::runtime_error("parameter drugs names \"" + drugs[i] +
                               "\", which is not in the embedding table (" +
                               std::to_string(table.size()) + " drugs, e.g. \"" +
                               (table.empty() ? std::string() : table.front()) + "\")");
    }
    result[found->second] += weights.empty() ? 1.0 : weights[i];
  }
  double total = 0.0;
  for (double w : result) total += w;
  if (total <= 0.0) throw std::runtime_error("drug_weights sum to zero");
  return result;
}

// The requests' patients normalized as the cohort's. Throws
// std::runtime_error for a table that is not the requests' patient table.
Artifact request_features(const Artifact& table) {
  const auto& values = std::get<std::vector<double>>(table.values);
  if (table.shape[1] != kRawColumns) {
    throw std::runtime_error("input request_patients has " + std::to_string(table.shape[1]) +
                             " columns, expected " + std::to_string(kRawColumns) +
                             " (age, weight_kg, gender, genetic_marker, comorbidity)");
  }
  std::vector<double> features;
  for (std::uint64_t r = 0; r < table.shape[0]; ++r) {
    const double* row = values.data() + r * kRawColumns;
    const std::optional<patients::Gender> gender = patients::gender_from_code(row[2]);
    if (!gender) {
      throw std::runtime_error("input request_patients row " + std::to_string(r + 1) +
                               ": gender code must be 0, 1 or 2");
    }
    const auto x = normalize_patient(row[0], row[1], *gender, row[3], row[4]);
    features.insert(features.end(), x.begin(), x.end());
  }
  return Artifact::matrix(table.shape[0], kFeatureColumns, std::move(features),
                          feature_column_names());
}

void check_gender_probabilities(const StageParams& ctx) {
  const std::vector<double>& p = ctx.param_float_list("gender_probabilities");
  if (p[0] + p[1] + p[2] <= 0.0) {
    throw std::runtime_error("parameter gender_probabilities sums to zero");
  }
}

class CohortSimulatorStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    return {
        "cohort_simulator",
        kinds::simulator(),
        "0.1.0",
        "simulated patients and eq. 1 treatment-response labels (seed paper, Sections 5.1, 5.3)",
        {{"drug_names", DType::kString, 1, "drug of each embedding row", false},
         {"embeddings", DType::kFloat64, 2, "drug embedding table (n_drugs, dim)", false},
         {"request_patients", DType::kFloat64, 2,
          "the requests' patients (age, weight_kg, gender code, genetic_marker, comorbidity)",
          true}},
        {{"patients", DType::kFloat64, 2, "raw patient table (n, 5) with column names", false},
         {"features", DType::kFloat64, 2, "normalized patient features x (n, 7)", false},
         {"drug", DType::kInt64, 1, "embedding row of each patient's drug (n)", false},
         {"w_p", DType::kFloat64, 1, "patient weight vector of eq. 1 (7)", false},
         {"w_d", DType::kFloat64, 1, "drug weight vector of eq. 1 (dim)", false},
         {"comorbidity_weights", DType::kFloat64, 1, "weights of the comorbidity flags", false},
         {"s", DType::kFloat64, 1, "success probability of eq. 1 (n)", false},
         {"labels", DType::kInt64, 1, "treatment success 0/1 (n)", false},
         {"intercept", DType::kFloat64, 0, "intercept b added to eq. 1 for class balance", false},
         {"prevalence", DType::kFloat64, 0, "achieved share of positive labels", false},
         {"request_features", DType::kFloat64, 2, "the requests, normalized alike (n_requests, 7)",
          false}},
        {ParamSpec::integer("n", 200, 1, 100'000'000, "number of simulated patients"),
         ParamSpec::real("alpha", 0.6, 0.0, 100.0, "weight of patient features in eq. 1"),
         ParamSpec::real("beta", 0.4, 0.0, 100.0, "weight of the drug embedding in eq. 1"),
         ParamSpec::real("noise_sigma", 0.1, 0.0, 100.0, "standard deviation of eq. 1's noise eps"),
         ParamSpec::real("weight_mean", 70.0, 40.0, 150.0, "mean body weight (kg) before clipping"),
         ParamSpec::real("weight_sd", 15.0, 0.0, 100.0,
                         "sd of body weight (kg) before clipping to [40, 150]"),
         ParamSpec::real_list("gender_probabilities", {0.48, 0.48, 0.04}, 0.0, 1.0,
                              "probabilities of male, female, other", 3),
         ParamSpec::choice("genetic_marker", "uniform", {"uniform", "beta"},
                           "distribution of the genetic marker score on [0, 1]"),
         ParamSpec::real("genetic_marker_beta_a", 2.0, 0.01, 1000.0, "a of the beta distribution"),
         ParamSpec::real("genetic_marker_beta_b", 5.0, 0.01, 1000.0, "b of the beta distribution"),
         ParamSpec::integer("comorbidity_flags", 5, 1, 100,
                            "binary flags summed into the comorbidity score"),
         ParamSpec::real("comorbidity_flag_probability", 0.2, 0.0, 1.0, "probability of each flag"),
         ParamSpec::text_list("drugs", {},
                              "drugs the cohort takes (empty: every drug of the table)"),
         ParamSpec::real_list("drug_weights", {}, 0.0, 1e9,
                              "relative frequency of each of drugs (empty: equal)"),
         ParamSpec::choice("balance", "prevalence", {"none", "centered", "prevalence"},
                           "class balance: none (eq. 1 as printed), centered features, or an "
                           "intercept solved for target_prevalence"),
         ParamSpec::real("target_prevalence", 0.5, 0.01, 0.99,
                         "share of positive labels with balance = \"prevalence\""),
         ParamSpec::choice("label_rule", "threshold", {"threshold", "bernoulli"},
                           "label = s > 0.5 (the paper), or a Bernoulli draw with probability s")},
    };
  }

  void check(PlanCheck& ctx) const override {
    check_gender_probabilities(ctx);
    if (const Artifact* names = ctx.known_input("drug_names")) {
      drug_weights(ctx, std::get<std::vector<std::string>>(names->values));
    }
    if (const Artifact* requests = ctx.known_input("request_patients")) request_features(*requests);
  }

  void run(StageContext& ctx) override {
    const Artifact& names = ctx.input("drug_names");
    const Artifact& embeddings = ctx.input("embeddings");
    const auto& table = std::get<std::vector<std::string>>(names.values);
    if (embeddings.shape[0] != table.size() || table.empty()) {
      throw std::runtime_error("input embeddings has " + std::to_string(embeddings.shape[0]) +
                               " rows but drug_names has " + std::to_string(table.size()) +
                               " names");
    }
    CohortConfig config;
    config.n = ctx.param_int("n");
    config.alpha = ctx.param_float("alpha");
    config.beta = ctx.param_float("beta");
    config.noise_sigma = ctx.param_float("noise_sigma");
    config.weight_mean = ctx.param_float("weight_mean");
    config.weight_sd = ctx.param_float("weight_sd");
    check_gender_probabilities(ctx);
    config.gender_probabilities = ctx.param_float_list("gender_probabilities");
    config.marker = ctx.param_string("genetic_marker") == "beta" ? MarkerDistribution::kBeta
                                                                 : MarkerDistribution::kUniform;
    config.marker_beta_a = ctx.param_float("genetic_marker_beta_a");
    config.marker_beta_b = ctx.param_float("genetic_marker_beta_b");
    config.comorbidity_flags = static_cast<int>(ctx.param_int("comorbidity_flags"));
    config.comorbidity_flag_probability = ctx.param_float("comorbidity_flag_probability");
    const std::string& balance = ctx.param_string("balance");
    config.balance = balance == "none"       ? Balance::kNone
                     : balance == "centered" ? Balance::kCentered
                                             : Balance::kPrevalence;
    config.target_prevalence = ctx.param_float("target_prevalence");
    config.label_rule = ctx.param_string("label_rule") == "bernoulli" ? LabelRule::kBernoulli
                                                                      : LabelRule::kThreshold;
    config.drug_weights = drug_weights(ctx, table);

    const std::size_t dim = embeddings.shape[1];
    Cohort cohort =
        simulate_cohort(config, std::get<std::vector<double>>(embeddings.values), dim, ctx.rng());
    ctx.log("prevalence of positive labels " + std::to_string(cohort.prevalence) + " (intercept " +
            std::to_string(cohort.intercept) + ")");

    const auto n = static_cast<std::uint64_t>(config.n);
    ctx.emit("patients", Artifact::matrix(n, kRawColumns, std::move(cohort.patients),
                                          patients::patient_columns()));
    ctx.emit("features", Artifact::matrix(n, kFeatureColumns, std::move(cohort.features),
                                          feature_column_names()));
    ctx.emit("drug", Artifact::vector(std::move(cohort.drug)));
    ctx.emit("w_p", Artifact::vector(std::move(cohort.w_p)));
    ctx.emit("w_d", Artifact::vector(std::move(cohort.w_d)));
    ctx.emit("comorbidity_weights", Artifact::vector(std::move(cohort.comorbidity_weights)));
    ctx.emit("s", Artifact::vector(std::move(cohort.s)));
    ctx.emit("labels", Artifact::vector(std::move(cohort.labels)));
    ctx.emit("intercept", Artifact::scalar(cohort.intercept));
    ctx.emit("prevalence", Artifact::scalar(cohort.prevalence));
    ctx.emit("request_features",
             ctx.has_input("request_patients")
                 ? request_features(ctx.input("request_patients"))
                 : Artifact::matrix(0, kFeatureColumns, {}, feature_column_names()));
  }
};

}  // namespace
}  // namespace rxflow::cohort

RXFLOW_PLUGIN(rxflow::cohort::CohortSimulatorStage)
