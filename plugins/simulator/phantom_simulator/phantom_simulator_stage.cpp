// The phantom_simulator plugin: one synthetic 64 x 64 phantom per cohort
// patient and per request, with the condition vector ([x, d]: features,
// then the drug's embedding) an image generator learns it from. Each
// phantom draws from a generator seeded with derive_seed(stage seed, key),
// key "row <i>" for cohort row i and "request <id>\x1f<canonical drug>" for
// a request, so a phantom does not depend on the order or number of the
// others. Kind image_simulator, a kind of its own (docs/decisions.md says
// why not simulator).
#include <cmath>
#include <stdexcept>
#include <string>

#include "drug_name.h"
#include "patient_features.h"
#include "phantom.h"
#include "response_fit.h"
#include "rxflow/plugin_registration.h"
#include "rxflow/seed.h"

namespace rxflow::phantom {
namespace {

KindContract image_simulator() {
  return {"image_simulator",
          {},
          {{"phantoms", DType::kFloat64, 3, "one image per simulated patient (n, height, width)"},
           {"conditions", DType::kFloat64, 2, "what each image is conditioned on (n, k)"},
           {"request_phantoms", DType::kFloat64, 3, "one image per request"},
           {"request_conditions", DType::kFloat64, 2, "each request's condition (n_requests, k)"}}};
}

const std::vector<std::string>& lesion_columns() {
  static const std::vector<std::string> columns{"response", "severity", "radius_px", "contrast"};
  return columns;
}

// The float64 values of a bound input of `rank` dimensions, `cols` columns
// when rank 2 and cols > 0; throws naming the port unless all are finite.
const std::vector<double>& values_of(const StageContext& ctx, const std::string& port,
                                     std::uint64_t cols = 0) {
  const Artifact& artifact = ctx.input(port);
  if (cols > 0 && artifact.shape[1] != cols) {
    throw std::runtime_error("input " + port + " has " + std::to_string(artifact.shape[1]) +
                             " columns, expected " + std::to_string(cols));
  }
  const auto& values = std::get<std::vector<double>>(artifact.values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw std::runtime_error("input " + port + " holds a non-finite value at flat index " +
                               std::to_string(i));
    }
  }
  return values;
}

// Features must be the cohort's columns: drivers_of reads them by position.
void require_feature_columns(const StageContext& ctx, const std::string& port) {
  const std::vector<std::string>& columns = ctx.input(port).columns;
  if (!columns.empty() && columns != cohort::feature_column_names()) {
    throw std::runtime_error("input " + port + " has columns " + columns.front() +
                             ", ...; expected the cohort's (age_norm, weight_norm, gender_male, "
                             "gender_female, gender_other, genetic_marker, comorbidity)");
  }
}

void require_rows(const std::string& port, std::uint64_t rows, std::uint64_t expected,
                  const std::string& other) {
  if (rows != expected) {
    throw std::runtime_error("input " + port + " has " + std::to_string(rows) + " rows but " +
                             other + " has " + std::to_string(expected));
  }
}

void check_ranges(const StageParams& ctx) {
  for (const char* what : {"radius", "contrast"}) {
    const std::string low = std::string("lesion_min_") + what;
    const std::string high = std::string("lesion_max_") + what;
    if (ctx.param_float(low) > ctx.param_float(high)) {
      throw std::runtime_error("parameter " + low + " (" + std::to_string(ctx.param_float(low)) +
                               ") must not exceed " + high + " (" +
                               std::to_string(ctx.param_float(high)) + ")");
    }
  }
}

// What the phantoms of one group (the cohort, or the requests) come out as.
struct PhantomSet {
  std::vector<double> images, conditions, lesions;
};

// Appends the phantom of one patient (features x, embedding d) to `set`.
void add_phantom(const double* x, const double* d, std::size_t dim, double response,
                 const PhantomConfig& config, std::uint64_t seed, PhantomSet& set) {
  const PhantomDrivers drivers = drivers_of(x, response);
  Rng rng(seed);
  const std::vector<double> image = simulate_phantom(drivers, config, rng);
  set.images.insert(set.images.end(), image.begin(), image.end());
  set.conditions.insert(set.conditions.end(), x, x + cohort::kFeatureColumns);
  set.conditions.insert(set.conditions.end(), d, d + dim);
  const Lesion lesion = lesion_of(drivers, config.lesion);
  set.lesions.insert(set.lesions.end(),
                     {drivers.response, lesion.severity, lesion.radius, lesion.contrast});
}

void emit_set(StageContext& ctx, const std::string& prefix, std::uint64_t n,
              const std::vector<std::string>& condition_columns, PhantomSet set) {
  ctx.emit(prefix + "phantoms", Artifact{{n, kImageSize, kImageSize}, std::move(set.images), {}});
  ctx.emit(prefix + "conditions", Artifact::matrix(n, condition_columns.size(),
                                                   std::move(set.conditions), condition_columns));
  ctx.emit(prefix + "lesions",
           Artifact::matrix(n, lesion_columns().size(), std::move(set.lesions), lesion_columns()));
}

class PhantomSimulatorStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    return {
        "phantom_simulator",
        image_simulator(),
        "0.1.0",
        "synthetic 64x64 phantoms (not medical images) whose lesion follows the patient's "
        "features and eq. 1 response",
        {{"features", DType::kFloat64, 2, "the cohort's normalized features (n, 7)", false},
         {"s", DType::kFloat64, 1, "the cohort's eq. 1 response (n)", false},
         {"drug", DType::kInt64, 1, "embedding row of each patient's drug (n)", false},
         {"embeddings", DType::kFloat64, 2, "drug embedding table (n_drugs, dim)", false},
         {"w_p", DType::kFloat64, 1, "eq. 1's patient weights (7)", false},
         {"w_d", DType::kFloat64, 1, "eq. 1's drug weights (dim)", false},
         {"request_features", DType::kFloat64, 2, "the requests, normalized (n_requests, 7)",
          false},
         {"request_embeddings", DType::kFloat64, 2, "each request's drug embedding", false},
         {"request_ids", DType::kString, 1, "patient id of each request (seeds its phantom)", true},
         {"request_drugs", DType::kString, 1, "drug of each request (seeds its phantom)", true}},
        {{"phantoms", DType::kFloat64, 3, "one phantom per cohort patient (n, 64, 64) in [0, 1]",
          false},
         {"conditions", DType::kFloat64, 2, "[features, drug embedding] of each patient", false},
         {"lesions", DType::kFloat64, 2,
          "each patient's response, lesion severity, radius (pixels) and contrast", false},
         {"request_phantoms", DType::kFloat64, 3, "one phantom per request (n_requests, 64, 64)",
          false},
         {"request_conditions", DType::kFloat64, 2, "[features, drug embedding] of each request",
          false},
         {"request_lesions", DType::kFloat64, 2, "each request's response and lesion", false},
         {"response_fit", DType::kFloat64, 2,
          "eq. 1 fitted to the cohort for the requests: a, c, k, rms residual", false}},
        {ParamSpec::real("noise_sd", 0.02, 0.0, 0.5, "sd of the Gaussian noise on every pixel"),
         ParamSpec::real("lesion_min_radius", 2.0, 0.0, 20.0,
                         "lesion radius (pixels) at severity 0"),
         ParamSpec::real("lesion_max_radius", 9.0, 0.0, 20.0,
                         "lesion radius (pixels) at severity 1"),
         ParamSpec::real("lesion_min_contrast", 0.15, 0.0, 1.0,
                         "intensity the lesion adds at the lowest contrast"),
         ParamSpec::real("lesion_max_contrast", 0.6, 0.0, 1.0,
                         "intensity the lesion adds at the highest contrast")},
    };
  }

  void check(PlanCheck& ctx) const override { check_ranges(ctx); }

  void run(StageContext& ctx) override {
    check_ranges(ctx);
    PhantomConfig config;
    config.noise_sd = ctx.param_float("noise_sd");
    config.lesion = {ctx.param_float("lesion_min_radius"), ctx.param_float("lesion_max_radius"),
                     ctx.param_float("lesion_min_contrast"),
                     ctx.param_float("lesion_max_contrast")};

    const auto& features = values_of(ctx, "features", cohort::kFeatureColumns);
    require_feature_columns(ctx, "features");
    const auto& s = values_of(ctx, "s");
    const auto& drug = std::get<std::vector<std::int64_t>>(ctx.input("drug").values);
    const auto& embeddings = values_of(ctx, "embeddings");
    const std::uint64_t dim = ctx.input("embeddings").shape[1];
    const std::uint64_t n_drugs = ctx.input("embeddings").shape[0];
    const auto& w_p = values_of(ctx, "w_p");
    const auto& w_d = values_of(ctx, "w_d");
    const std::uint64_t n = ctx.input("features").shape[0];
    require_rows("s", s.size(), n, "features");
    require_rows("drug", drug.size(), n, "features");
    if (w_p.size() != cohort::kFeatureColumns || w_d.size() != dim) {
      throw std::runtime_error("inputs w_p and w_d have " + std::to_string(w_p.size()) + " and " +
                               std::to_string(w_d.size()) + " values, expected " +
                               std::to_string(cohort::kFeatureColumns) + " and " +
                               std::to_string(dim) + " (the embeddings' width)");
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (drug[i] < 0 || static_cast<std::uint64_t>(drug[i]) >= n_drugs) {
        throw std::runtime_error("input drug row " + std::to_string(i) + " names embedding row " +
                                 std::to_string(drug[i]) + ", but embeddings has " +
                                 std::to_string(n_drugs) + " rows");
      }
      if (s[i] < 0.0 || s[i] > 1.0) {
        throw std::runtime_error("input s row " + std::to_string(i) + " is " +
                                 std::to_string(s[i]) + ", outside [0, 1]");
      }
    }
    const auto& request_features = values_of(ctx, "request_features", cohort::kFeatureColumns);
    require_feature_columns(ctx, "request_features");
    const auto& request_embeddings = values_of(ctx, "request_embeddings", dim);
    const std::uint64_t n_requests = ctx.input("request_features").shape[0];
    require_rows("request_embeddings", ctx.input("request_embeddings").shape[0], n_requests,
                 "request_features");

    std::vector<std::string> condition_columns = cohort::feature_column_names();
    for (std::uint64_t j = 0; j < dim; ++j) {
      condition_columns.push_back("embedding_" + std::to_string(j));
    }

    PhantomSet cohort_set;
    for (std::uint64_t i = 0; i < n; ++i) {
      add_phantom(&features[i * cohort::kFeatureColumns],
                  &embeddings[static_cast<std::uint64_t>(drug[i]) * dim], dim, s[i], config,
                  derive_seed(ctx.seed(), "row " + std::to_string(i)), cohort_set);
    }

    const ResponseWeights weights{w_p, w_d};
    const ResponseFit fit = fit_response(weights, features, embeddings, drug, s);
    ctx.log("eq. 1 fitted to " + std::to_string(fit.rows) + " patients for the requests: a " +
            std::to_string(fit.patient_coefficient) + ", c " +
            std::to_string(fit.drug_coefficient) + ", k " + std::to_string(fit.offset) +
            ", rms residual " + std::to_string(fit.rms_residual));
    PhantomSet request_set;
    if (n_requests > 0) {
      if (!ctx.has_input("request_ids") || !ctx.has_input("request_drugs")) {
        throw std::runtime_error(
            "there are requests, so the inputs request_ids and request_drugs must be bound "
            "(they seed each request's phantom)");
      }
      const auto& ids = std::get<std::vector<std::string>>(ctx.input("request_ids").values);
      const auto& drugs = std::get<std::vector<std::string>>(ctx.input("request_drugs").values);
      require_rows("request_ids", ids.size(), n_requests, "request_features");
      require_rows("request_drugs", drugs.size(), n_requests, "request_features");
      for (std::uint64_t r = 0; r < n_requests; ++r) {
        const double* x = &request_features[r * cohort::kFeatureColumns];
        const double* d = &request_embeddings[r * dim];
        add_phantom(
            x, d, dim, predict_response(fit, weights, x, d), config,
            derive_seed(ctx.seed(), "request " + ids[r] + '\x1f' + canonical_drug_name(drugs[r])),
            request_set);
      }
    }
    emit_set(ctx, "", n, condition_columns, std::move(cohort_set));
    emit_set(ctx, "request_", n_requests, condition_columns, std::move(request_set));
    ctx.emit(
        "response_fit",
        Artifact::matrix(
            1, 4, {fit.patient_coefficient, fit.drug_coefficient, fit.offset, fit.rms_residual},
            {"patient_coefficient", "drug_coefficient", "offset", "rms_residual"}));
  }
};

}  // namespace
}  // namespace rxflow::phantom

RXFLOW_PLUGIN(rxflow::phantom::PhantomSimulatorStage)
