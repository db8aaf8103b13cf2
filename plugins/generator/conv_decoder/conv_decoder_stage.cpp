// The conv_decoder plugin: one 64 x 64 grayscale image per request, from a
// latent drawn with a seed derived from the request's patient id and drug
// (seed paper, Section 12.2 step 8). Its weights are the seeded default
// initialisation, a weights file, or a trainer's "decoder.<name>" outputs
// bound as inputs (all eight or none). With grid_steps, also the first
// request's images across patient features (feature_grid.h). dtype picks
// the compute type (float64 or float32); the artifacts are float64 either way.
#include "conv_decoder.h"
#include "drug_name.h"
#include "feature_grid.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"
#include "rxflow/seed.h"

namespace rxflow::decoder {
namespace {

// The state_dict tensors a trainer may bind, with their ranks.
const std::vector<std::pair<std::string, int>>& weight_inputs() {
  static const std::vector<std::pair<std::string, int>> tensors{
      {"0.weight", 2}, {"0.bias", 1}, {"2.weight", 4}, {"2.bias", 1},
      {"4.weight", 4}, {"4.bias", 1}, {"6.weight", 4}, {"6.bias", 1}};
  return tensors;
}

// The bound "decoder.*" inputs as (state_dict name, tensor); empty when none
// is bound. Throws when some but not all are, naming the missing ones.
std::vector<std::pair<std::string, Artifact>> bound_weights(const StageContext& ctx) {
  std::vector<std::pair<std::string, Artifact>> given;
  std::string missing;
  for (const auto& [name, rank] : weight_inputs()) {
    if (ctx.has_input("decoder." + name)) {
      given.emplace_back(name, ctx.input("decoder." + name));
    } else {
      missing += (missing.empty() ? "" : ", ") + ("decoder." + name);
    }
  }
  if (!given.empty() && !missing.empty()) {
    throw std::runtime_error("the trained weights are bound only in part: inputs " + missing +
                             " are unbound (bind all eight decoder.* inputs or none)");
  }
  return given;
}

// A grid varies the condition, so it needs one; a grid of one value shows nothing.
void check_grid(const StageParams& ctx) {
  const std::int64_t steps = ctx.param_int("grid_steps");
  if (steps == 1) {
    throw std::runtime_error("parameter grid_steps must be 0 (no grid) or at least 2, got 1");
  }
  if (steps > 0 && !ctx.param_bool("condition")) {
    throw std::runtime_error("parameter grid_steps = " + std::to_string(steps) +
                             " varies the condition, so it needs condition = true");
  }
}

// A matrix's values in its storage order, widened exactly to double.
template <typename T>
std::vector<double> widened(const nn::Matrix<T>& m) {
  return std::vector<double>(m.data(), m.data() + m.size());
}

class ConvDecoderStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{
        "conv_decoder",
        kinds::generator(),
        "0.5.0",
        "convolutional decoder: latent -> 64x64 grayscale image (seed paper, Section 6.2)",
        {{"request_ids", DType::kString, 1, "patient id of each request (seeds its latent)", false},
         {"request_drugs", DType::kString, 1, "drug of each request (seeds its latent)", false},
         {"request_features", DType::kFloat64, 2, "normalized requests, for condition = true",
          true},
         {"request_embeddings", DType::kFloat64, 2,
          "each request's drug embedding, for condition = true", true}},
        {{"latents", DType::kFloat64, 2, "the decoder input of each request (n_requests, inputs)",
          false},
         {"images", DType::kFloat64, 3,
          "one image per request (n_requests, 64, 64), values in [0, 1]", false},
         {"grid_images", DType::kFloat64, 4,
          "the first request across patient features (features, grid_steps, 64, 64); "
          "none without grid_steps",
          false},
         {"grid_labels", DType::kString, 1, "the feature and value of each grid image", false}},
        {ParamSpec::integer("latent_dim", 100, 1, 4096, "length of the random latent vector"),
         ParamSpec::choice("output", "sigmoid", {"sigmoid", "tanh"},
                           "last activation: sigmoid, or tanh rescaled to [0, 1]"),
         ParamSpec::boolean("condition", false,
                            "append the request's features and drug embedding to the latent"),
         ParamSpec::file("weights", "",
                         "HDF5 file of state_dict tensors (empty: seeded default init)"),
         ParamSpec::choice("dtype", "float64", {"float64", "float32"},
                           "compute type (the outputs are float64 either way)"),
         ParamSpec::integer("grid_steps", 0, 0, 9,
                            "values per feature in the grid of images across patient features "
                            "(0: no grid, else 2 or more; needs condition = true)")},
    };
    for (const auto& [name, rank] : weight_inputs()) {
      info.inputs.push_back({"decoder." + name, DType::kFloat64, rank,
                             "trained tensor " + name + " (e.g. cvae_trainer's); all or none",
                             true});
    }
    return info;
  }

  void check(PlanCheck& ctx) const override { check_grid(ctx); }

  void run(StageContext& ctx) override {
    check_grid(ctx);
    if (ctx.param_string("dtype") == "float32") {
      draw<float>(ctx);
    } else {
      draw<double>(ctx);
    }
  }

 private:
  // Everything from the latents on in T; the artifacts are T's values widened.
  template <typename T>
  static void draw(StageContext& ctx) {
    const int latent_dim = static_cast<int>(ctx.param_int("latent_dim"));
    const bool condition = ctx.param_bool("condition");
    const auto& ids = std::get<std::vector<std::string>>(ctx.input("request_ids").values);
    const auto& drugs = std::get<std::vector<std::string>>(ctx.input("request_drugs").values);
    if (ids.size() != drugs.size()) {
      throw std::runtime_error("inputs request_ids and request_drugs differ in length (" +
                               std::to_string(ids.size()) + " and " + std::to_string(drugs.size()) +
                               ")");
    }
    const auto n = static_cast<Eigen::Index>(ids.size());
    const Artifact* features = nullptr;
    const Artifact* embeddings = nullptr;
    Eigen::Index extra = 0;
    if (condition) {
      if (!ctx.has_input("request_features") || !ctx.has_input("request_embeddings")) {
        throw std::runtime_error(
            "condition = true needs the inputs request_features and request_embeddings bound");
      }
      features = &ctx.input("request_features");
      embeddings = &ctx.input("request_embeddings");
      for (const Artifact* input : {features, embeddings}) {
        if (input->shape[0] != ids.size()) {
          throw std::runtime_error("a conditioning input has " + std::to_string(input->shape[0]) +
                                   " rows for " + std::to_string(ids.size()) + " requests");
        }
      }
      nn::require_finite<T>(*features, "input \"request_features\"");
      nn::require_finite<T>(*embeddings, "input \"request_embeddings\"");
      extra = static_cast<Eigen::Index>(features->shape[1] + embeddings->shape[1]);
    }
    // The draws are doubles, rounded to T as they go in.
    nn::Matrix<T> latents(n, latent_dim + extra);
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto r = static_cast<std::size_t>(i);
      Rng latent_rng(derive_seed(ctx.seed(), ids[r] + '\x1f' + canonical_drug_name(drugs[r])));
      for (int j = 0; j < latent_dim; ++j) latents(i, j) = static_cast<T>(latent_rng.normal());
      if (condition) {
        Eigen::Index j = latent_dim;
        for (const Artifact* input : {features, embeddings}) {
          const auto cols = static_cast<Eigen::Index>(input->shape[1]);
          const double* row = std::get<std::vector<double>>(input->values).data() + i * cols;
          for (Eigen::Index k = 0; k < cols; ++k) latents(i, j++) = static_cast<T>(row[k]);
        }
      }
    }

    ConvDecoder<T> decoder(static_cast<int>(latents.cols()), ctx.param_string("output") == "tanh"
                                                                 ? OutputActivation::kTanh
                                                                 : OutputActivation::kSigmoid);
    decoder.reset_parameters(ctx.rng());
    const std::vector<std::pair<std::string, Artifact>> trained = bound_weights(ctx);
    const std::string& weights = ctx.param_string("weights");
    if (!trained.empty() && !weights.empty()) {
      throw std::runtime_error(
          "parameter \"weights\" and the decoder.* inputs both give weights; use one");
    }
    if (!trained.empty()) {
      nn::load_state_dict(decoder.state(), trained,
                          "inputs decoder.* (latent_dim + condition width must be the trainer's)");
    } else if (!weights.empty()) {
      nn::load_state_dict(decoder.state(), ctx.read_tensor_file_param("weights"), weights);
    }
    const nn::Matrix<T> images =
        n > 0 ? decoder.forward(latents) : nn::Matrix<T>(0, kImageSize * kImageSize);
    ctx.emit("latents",
             Artifact::matrix(static_cast<std::uint64_t>(n),
                              static_cast<std::uint64_t>(latents.cols()), widened(latents)));
    ctx.emit(
        "images",
        Artifact{{static_cast<std::uint64_t>(n), kImageSize, kImageSize}, widened(images), {}});
    const int steps = static_cast<int>(ctx.param_int("grid_steps"));
    const FeatureGrid<T> grid = steps > 0 && n > 0 ? feature_grid<T>(latents.topRows(1), latent_dim,
                                                                     features->columns, steps)
                                                   : FeatureGrid<T>{};
    const nn::Matrix<T> grid_images =
        grid.labels.empty() ? nn::Matrix<T>() : decoder.forward(grid.inputs);
    ctx.emit("grid_images",
             Artifact{{static_cast<std::uint64_t>(grid.features),
                       static_cast<std::uint64_t>(grid.steps), kImageSize, kImageSize},
                      widened(grid_images),
                      {}});
    ctx.emit("grid_labels", Artifact::vector(grid.labels));
  }
};

}  // namespace
}  // namespace rxflow::decoder

RXFLOW_PLUGIN(rxflow::decoder::ConvDecoderStage)
