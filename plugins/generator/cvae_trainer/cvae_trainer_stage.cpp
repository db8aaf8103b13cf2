// The cvae_trainer plugin: trains a conditional VAE (conditional_vae.h) on
// the phantom_simulator's phantoms and conditions, and emits the trained
// Section 6.2 decoder's state_dict as "decoder.<name>" tensors that the
// conv_decoder stage binds by name. Kind generator_trainer, a kind of its
// own (docs/decisions.md says why not generator).
#include <stdexcept>
#include <string>

#include "cvae_training.h"
#include "nn/tensor_check.h"
#include "rxflow/plugin_registration.h"

namespace rxflow::cvae {
namespace {

// The decoder's state_dict names and ranks (ConvDecoder::state()).
const std::vector<std::pair<std::string, int>>& decoder_tensors() {
  static const std::vector<std::pair<std::string, int>> tensors{
      {"0.weight", 2}, {"0.bias", 1}, {"2.weight", 4}, {"2.bias", 1},
      {"4.weight", 4}, {"4.bias", 1}, {"6.weight", 4}, {"6.bias", 1}};
  return tensors;
}

KindContract generator_trainer() {
  KindContract contract{"generator_trainer", {}, {}};
  for (const auto& [name, rank] : decoder_tensors()) {
    contract.outputs.push_back(
        {"decoder." + name, DType::kFloat64, rank, "the trained Section 6.2 decoder's " + name});
  }
  contract.outputs.push_back({"quality", DType::kFloat64, 2, "quality per epoch, untrained first"});
  return contract;
}

const std::vector<std::string>& loss_columns() {
  static const std::vector<std::string> columns{"reconstruction_bce", "kl", "total"};
  return columns;
}
const std::vector<std::string>& quality_columns() {
  static const std::vector<std::string> columns{"reconstruction_mse", "condition_spread"};
  return columns;
}

// An input's float64 values as an (rows, cols) matrix; throws naming the
// port unless all are finite and within T's range.
template <typename T>
nn::Matrix<double> input_matrix(const StageContext& ctx, const std::string& port,
                                std::uint64_t cols) {
  const Artifact& artifact = ctx.input(port);
  nn::require_finite<T>(artifact, "input \"" + port + "\"");
  const auto& values = std::get<std::vector<double>>(artifact.values);
  const auto rows = static_cast<Eigen::Index>(artifact.shape[0]);
  return Eigen::Map<const nn::Matrix<double>>(values.data(), rows, static_cast<Eigen::Index>(cols));
}

class CvaeTrainerStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{
        "cvae_trainer",
        generator_trainer(),
        "0.2.0",
        "trains the Section 6.2 decoder as a conditional VAE's decoder on phantoms "
        "(docs/plugins/cvae_trainer.md)",
        {{"phantoms", DType::kFloat64, 3, "training images (n, 64, 64) in [0, 1]", false},
         {"conditions", DType::kFloat64, 2, "each image's condition (n, k): features, embedding",
          false}},
        {},
        {ParamSpec::integer("epochs", 5, 1, 1000, "passes over the phantoms"),
         ParamSpec::integer("batch_size", 32, 2, 4096, "phantoms per Adam step"),
         ParamSpec::real("learning_rate", 1e-3, 1e-6, 1.0, "Adam's learning rate"),
         ParamSpec::integer("latent_dim", 16, 1, 4096,
                            "latent length; the conv_decoder stage's latent_dim must equal it"),
         ParamSpec::real("beta", 1.0, 0.0, 100.0, "weight of the KL term"),
         ParamSpec::choice("dtype", "float64", {"float64", "float32"},
                           "compute type (the outputs are float64 either way)"),
         ParamSpec::integer("evaluation_rows", 64, 1, 100000,
                            "first phantoms whose reconstructions the quality measures")},
    };
    info.outputs = info.kind.outputs;
    info.outputs.push_back(
        {"losses", DType::kFloat64, 2, "per epoch: mean reconstruction BCE, KL, total", false});
    info.outputs.push_back({"training_metrics", DType::kFloat64, 2,
                            "the last epoch's losses and quality, and the untrained MSE", false,
                            true});
    return info;
  }

  void run(StageContext& ctx) override {
    const Artifact& phantoms = ctx.input("phantoms");
    const Artifact& conditions_artifact = ctx.input("conditions");
    if (phantoms.shape[1] != decoder::kImageSize || phantoms.shape[2] != decoder::kImageSize) {
      throw std::runtime_error("input \"phantoms\": expected images of 64 x 64, found " +
                               shape_text(phantoms.shape));
    }
    if (conditions_artifact.shape[0] != phantoms.shape[0] || phantoms.shape[0] == 0) {
      throw std::runtime_error(
          "inputs \"phantoms\" and \"conditions\" must have the same, "
          "nonzero number of rows, found " +
          shape_text(phantoms.shape) + " and " + shape_text(conditions_artifact.shape));
    }
    TrainingOptions options;
    options.epochs = static_cast<int>(ctx.param_int("epochs"));
    options.batch_size = static_cast<int>(ctx.param_int("batch_size"));
    options.beta = ctx.param_float("beta");
    options.adam.lr = ctx.param_float("learning_rate");
    options.evaluation_rows = static_cast<int>(ctx.param_int("evaluation_rows"));
    options.after_epoch = [&ctx] { ctx.check_cancelled(); };
    if (ctx.param_string("dtype") == "float32") {
      train_and_emit<float>(ctx, options);
    } else {
      train_and_emit<double>(ctx, options);
    }
  }

 private:
  template <typename T>
  static void train_and_emit(StageContext& ctx, const TrainingOptions& options) {
    const nn::Matrix<double> images = input_matrix<T>(ctx, "phantoms", kPixels);
    const nn::Matrix<double> conditions =
        input_matrix<T>(ctx, "conditions", ctx.input("conditions").shape[1]);
    ConditionalVae<T> model(static_cast<int>(conditions.cols()),
                            static_cast<int>(ctx.param_int("latent_dim")));
    const TrainingLog log = train(model, images, conditions, options, ctx.rng());

    std::vector<double> losses, quality;
    for (std::size_t e = 0; e < log.quality.size(); ++e) {
      quality.push_back(log.quality[e].reconstruction_mse);
      quality.push_back(log.quality[e].condition_spread);
      if (e == 0) continue;
      const LossTerms& terms = log.epochs[e - 1];
      losses.insert(losses.end(), {terms.reconstruction, terms.kl, terms.total});
      ctx.log("epoch " + std::to_string(e) + ": reconstruction BCE " +
              std::to_string(terms.reconstruction) + ", KL " + std::to_string(terms.kl) +
              ", reconstruction MSE " + std::to_string(log.quality[e].reconstruction_mse) +
              ", condition spread " + std::to_string(log.quality[e].condition_spread));
    }
    for (auto& [name, tensor] : nn::state_dict_artifacts(model.decoder().state())) {
      ctx.emit("decoder." + name, std::move(tensor));
    }
    const LossTerms& last = log.epochs.back();
    ctx.emit("training_metrics",
             Artifact::matrix(
                 1, 5,
                 {last.reconstruction, last.kl, log.quality.back().reconstruction_mse,
                  log.quality.front().reconstruction_mse, log.quality.back().condition_spread},
                 {"reconstruction_bce", "kl", "reconstruction_mse", "untrained_reconstruction_mse",
                  "condition_spread"}));
    ctx.emit("losses", Artifact::matrix(log.epochs.size(), 3, std::move(losses), loss_columns()));
    ctx.emit("quality",
             Artifact::matrix(log.quality.size(), 2, std::move(quality), quality_columns()));
  }
};

}  // namespace
}  // namespace rxflow::cvae

RXFLOW_PLUGIN(rxflow::cvae::CvaeTrainerStage)
