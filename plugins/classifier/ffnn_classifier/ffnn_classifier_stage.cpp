// The ffnn_classifier plugin: assembles [x; d] rows, retrains the Section
// 6.1 network from the stage's seed (or loads given weights), and predicts
// the validation and test folds and every request's p0.
#include <numeric>
#include <sstream>

#include "input_checks.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"
#include "training.h"

namespace rxflow::ffnn {
namespace {

const std::vector<double>& floats(const Artifact& artifact) {
  return std::get<std::vector<double>>(artifact.values);
}
const std::vector<std::int64_t>& ints(const Artifact& artifact) {
  return std::get<std::vector<std::int64_t>>(artifact.values);
}

// Rows [x_i; d_row(i)]: for patients the row of their drug, for requests their own.
nn::Matrix<double> assemble(const Artifact& features, const Artifact& embeddings,
                            const std::vector<std::int64_t>& drug_rows) {
  const auto n = static_cast<Eigen::Index>(features.shape[0]);
  const auto x_cols = static_cast<Eigen::Index>(features.shape[1]);
  const auto d_cols = static_cast<Eigen::Index>(embeddings.shape[1]);
  nn::Matrix<double> rows(n, x_cols + d_cols);
  const double* x = floats(features).data();
  const double* d = floats(embeddings).data();
  for (Eigen::Index i = 0; i < n; ++i) {
    std::copy(x + i * x_cols, x + (i + 1) * x_cols, rows.row(i).data());
    const auto drug = static_cast<Eigen::Index>(drug_rows[static_cast<std::size_t>(i)]);
    std::copy(d + drug * d_cols, d + (drug + 1) * d_cols, rows.row(i).data() + x_cols);
  }
  return rows;
}

Artifact table(const nn::Matrix<double>& m, const std::vector<std::string>& columns) {
  return Artifact::matrix(static_cast<std::uint64_t>(m.rows()),
                          static_cast<std::uint64_t>(m.cols()),
                          std::vector<double>(m.data(), m.data() + m.size()), columns);
}

// A float column widens exactly.
template <typename T>
Artifact column(const nn::Matrix<T>& m) {
  return Artifact::vector(std::vector<double>(m.data(), m.data() + m.size()));
}

Artifact labels_of(const std::vector<std::int64_t>& labels, const std::vector<std::size_t>& rows) {
  std::vector<std::int64_t> picked;
  for (std::size_t row : rows) picked.push_back(labels[row]);
  return Artifact::vector(std::move(picked));
}

// T is the compute type the values will be rounded to.
template <typename T>
void check_inputs(const StageContext& ctx) {
  for (const char* port : {"features", "embeddings", "request_features", "request_embeddings"}) {
    nn::require_finite<T>(ctx.input(port), "input \"" + std::string(port) + "\"");
  }
  const Artifact& features = ctx.input("features");
  const std::uint64_t n = features.shape[0];
  const auto& labels = checks::binary_labels(ctx, "labels");
  const auto& drug = ints(ctx.input("drug"));
  if (labels.size() != n || drug.size() != n) {
    throw std::runtime_error("inputs disagree on the number of patients: features " +
                             std::to_string(n) + ", labels " + std::to_string(labels.size()) +
                             ", drug " + std::to_string(drug.size()));
  }
  const std::uint64_t n_drugs = ctx.input("embeddings").shape[0];
  for (std::size_t i = 0; i < n; ++i) {
    if (drug[i] < 0 || static_cast<std::uint64_t>(drug[i]) >= n_drugs) {
      throw std::runtime_error("input \"drug\" holds row " + std::to_string(drug[i]) + " at [" +
                               std::to_string(i) + "], but embeddings has " +
                               std::to_string(n_drugs) + " rows");
    }
  }
  const Artifact& requests = ctx.input("request_features");
  const Artifact& request_embeddings = ctx.input("request_embeddings");
  if (requests.shape[1] != features.shape[1]) {
    throw std::runtime_error("input \"request_features\" has " + std::to_string(requests.shape[1]) +
                             " columns, \"features\" has " + std::to_string(features.shape[1]));
  }
  if (request_embeddings.shape[1] != ctx.input("embeddings").shape[1] ||
      request_embeddings.shape[0] != requests.shape[0]) {
    throw std::runtime_error("input \"request_embeddings\" is " +
                             std::to_string(request_embeddings.shape[0]) + " x " +
                             std::to_string(request_embeddings.shape[1]) + ", expected " +
                             std::to_string(requests.shape[0]) + " x " +
                             std::to_string(ctx.input("embeddings").shape[1]));
  }
}

std::string format_losses(const std::vector<double>& losses) {
  std::ostringstream out;
  out.precision(4);
  out << losses.front() << " -> " << losses.back();
  return out.str();
}

class FfnnClassifierStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    PluginInfo info{
        "ffnn_classifier",
        kinds::classifier(),
        "0.4.0",
        "retrain-on-request feed-forward classifier (seed paper, Section 6.1), PyTorch-equivalent",
        {{"features", DType::kFloat64, 2, "normalized patient features (n, k)", false},
         {"labels", DType::kInt64, 1, "0/1 outcome per patient (n)", false},
         {"drug", DType::kInt64, 1, "embedding row of each patient's drug (n)", false},
         {"embeddings", DType::kFloat64, 2, "drug embedding table (n_drugs, dim)", false},
         {"request_features", DType::kFloat64, 2, "normalized requests (n_requests, k)", false},
         {"request_embeddings", DType::kFloat64, 2,
          "each request's drug embedding (n_requests, dim)", false},
         checks::request_ids_input()},
        {},
        {ParamSpec::integer("hidden1", 128, 1, 4096,
                            "units of the first dense layer (with BatchNorm)"),
         ParamSpec::integer("hidden2", 32, 1, 4096, "units of the second dense layer"),
         ParamSpec::real("dropout", 0.2, 0.0, 0.95, "dropout probability after the first layer"),
         ParamSpec::real("learning_rate", 1e-3, 1e-7, 1.0, "Adam learning rate"),
         ParamSpec::integer("batch_size", 16, 2, 65536, "rows per mini-batch"),
         ParamSpec::integer("epochs", 10, 1, 1000, "passes over the training fold (paper: 8-15)"),
         ParamSpec::real("train_fraction", 0.6, 0.01, 0.98, "share of rows that train"),
         ParamSpec::real("validation_fraction", 0.2, 0.01, 0.98,
                         "share of rows that validate (and calibrate); the rest test"),
         ParamSpec::choice("dtype", nn::type_name<double>(),
                           {nn::type_name<double>(), nn::type_name<float>()},
                           "compute type of the network (float32 is PyTorch's default); "
                           "artifacts are float64 either way"),
         ParamSpec::file(
             "weights", "",
             "HDF5 file of state_dict tensors to use instead of training (empty: train)")},
    };
    // One output per state_dict tensor; ranks do not depend on the sizes.
    FfnnClassifier<double> layout((FfnnShape()));
    for (const nn::NamedTensor<double>& tensor : layout.state()) {
      info.outputs.push_back({"state." + tensor.name, DType::kFloat64,
                              static_cast<int>(tensor.shape.size()),
                              "state_dict tensor " + tensor.name, false});
    }
    const std::vector<PortSpec> rest{
        {"train_loss", DType::kFloat64, 1, "mean training BCE per epoch", false},
        {"validation_loss", DType::kFloat64, 1, "validation BCE per epoch (eval mode)", false},
        {"validation_inputs", DType::kFloat64, 2, "assembled rows [x; d] of the validation fold",
         false},
        {"validation_labels", DType::kInt64, 1, "labels of the validation fold", false},
        {"validation_probabilities", DType::kFloat64, 1, "predicted probabilities, validation fold",
         false},
        {"test_inputs", DType::kFloat64, 2, "assembled rows [x; d] of the test fold", false},
        {"test_labels", DType::kInt64, 1, "labels of the test fold", false},
        {"test_probabilities", DType::kFloat64, 1, "predicted probabilities, test fold", false},
        {"request_inputs", DType::kFloat64, 2, "assembled rows [x; d] of the requests", false},
        {"p0", DType::kFloat64, 1, "predicted success probability of each request", false}};
    info.outputs.insert(info.outputs.end(), rest.begin(), rest.end());
    return info;
  }

  void run(StageContext& ctx) override {
    if (ctx.param_string("dtype") == nn::type_name<float>()) {
      run_in<float>(ctx);
    } else {
      run_in<double>(ctx);
    }
  }

 private:
  // The stage with the network computing in T.
  template <typename T>
  void run_in(StageContext& ctx) {
    check_inputs<T>(ctx);
    const Artifact& features = ctx.input("features");
    const Artifact& embeddings = ctx.input("embeddings");
    const nn::Matrix<double> inputs = assemble(features, embeddings, ints(ctx.input("drug")));
    const nn::Matrix<T> rows = inputs.cast<T>();  // the network's inputs, rounded to T once
    const auto& label_values = ints(ctx.input("labels"));
    nn::Matrix<T> labels(static_cast<Eigen::Index>(label_values.size()), 1);
    for (std::size_t i = 0; i < label_values.size(); ++i)
      labels(static_cast<Eigen::Index>(i), 0) = static_cast<T>(label_values[i]);

    std::vector<std::string> columns = features.columns;
    if (columns.size() != features.shape[1]) {
      columns.clear();
      for (std::uint64_t j = 0; j < features.shape[1]; ++j)
        columns.push_back("x" + std::to_string(j));
    }
    for (std::uint64_t j = 0; j < embeddings.shape[1]; ++j)
      columns.push_back("d" + std::to_string(j));

    FfnnShape shape{static_cast<int>(inputs.cols()), static_cast<int>(ctx.param_int("hidden1")),
                    static_cast<int>(ctx.param_int("hidden2")), ctx.param_float("dropout")};
    FfnnClassifier<T> model(shape);
    Rng& rng = ctx.rng();
    model.reset_parameters(rng);
    const Folds folds =
        split_folds(static_cast<std::size_t>(inputs.rows()), ctx.param_float("train_fraction"),
                    ctx.param_float("validation_fraction"), rng);
    TrainingLog log;
    if (const std::string& weights = ctx.param_string("weights"); !weights.empty()) {
      nn::load_state_dict(model.state(), ctx.read_tensor_file_param("weights"), weights);
      ctx.log("loaded weights from " + weights + "; not trained");
    } else {
      TrainingOptions options;
      options.epochs = static_cast<int>(ctx.param_int("epochs"));
      options.batch_size = static_cast<int>(ctx.param_int("batch_size"));
      options.adam.lr = ctx.param_float("learning_rate");
      log = train_classifier(model, rows, labels, folds, options, rng);
      ctx.log("trained " + std::to_string(options.epochs) + " epochs on " +
              std::to_string(folds.train.size()) + " rows in " + ctx.param_string("dtype") +
              ": train loss " + format_losses(log.train_loss) + ", validation loss " +
              format_losses(log.validation_loss));
    }

    const nn::Matrix<double> validation_inputs = gather_rows(inputs, folds.validation);
    const nn::Matrix<double> test_inputs = gather_rows(inputs, folds.test);
    std::vector<std::int64_t> own_row(ctx.input("request_features").shape[0]);
    std::iota(own_row.begin(), own_row.end(), 0);
    const nn::Matrix<double> request_inputs =
        assemble(ctx.input("request_features"), ctx.input("request_embeddings"), own_row);
    const nn::Matrix<T> validation_p = predict(model, gather_rows(rows, folds.validation));
    const nn::Matrix<T> test_p = predict(model, gather_rows(rows, folds.test));
    const nn::Matrix<T> p0 = request_inputs.rows() > 0
                                 ? predict(model, nn::Matrix<T>(request_inputs.cast<T>()))
                                 : nn::Matrix<T>(0, 1);
    for (Eigen::Index i = 0; i < p0.rows(); ++i) {
      ctx.log("p0 = " + std::to_string(p0(i, 0)) + " for " +
              checks::request_name(ctx, static_cast<std::size_t>(i)));
    }

    for (auto& [name, tensor] : nn::state_dict_artifacts(model.state()))
      ctx.emit("state." + name, std::move(tensor));
    ctx.emit("train_loss", Artifact::vector(log.train_loss));
    ctx.emit("validation_loss", Artifact::vector(log.validation_loss));
    ctx.emit("validation_inputs", table(validation_inputs, columns));
    ctx.emit("validation_labels", labels_of(label_values, folds.validation));
    ctx.emit("validation_probabilities", column(validation_p));
    ctx.emit("test_inputs", table(test_inputs, columns));
    ctx.emit("test_labels", labels_of(label_values, folds.test));
    ctx.emit("test_probabilities", column(test_p));
    ctx.emit("request_inputs", table(request_inputs, columns));
    ctx.emit("p0", column(p0));
  }
};

}  // namespace
}  // namespace rxflow::ffnn

RXFLOW_PLUGIN(rxflow::ffnn::FfnnClassifierStage)
