// The ffnn_classifier plugin: assembles [x; d] rows, retrains the Section
// 6.1 network from the stage's seed (or loads given weights), and predicts
// the validation and test folds and every request's p0.
#include <numeric>
#include <sstream>

#include "input_checks.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"
#include "rxflow/seed.h"
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

std::vector<std::int64_t> labels_at(const std::vector<std::int64_t>& labels,
                                    const std::vector<std::size_t>& rows) {
  std::vector<std::int64_t> picked;
  picked.reserve(rows.size());
  for (std::size_t row : rows) picked.push_back(labels[row]);
  return picked;
}

Artifact int_matrix(std::uint64_t rows, std::uint64_t cols, std::vector<std::int64_t> values) {
  Artifact artifact;
  artifact.shape = {rows, cols};
  artifact.values = std::move(values);
  return artifact;
}

// A float column widens exactly.
template <typename T>
std::vector<double> doubles(const nn::Matrix<T>& m) {
  return std::vector<double>(m.data(), m.data() + m.size());
}

template <typename V>
void append(std::vector<V>& to, const std::vector<V>& values) {
  to.insert(to.end(), values.begin(), values.end());
}

// The rows every repeat trains and predicts on, rounded to T once.
template <typename T>
struct TrainingData {
  nn::Matrix<T> rows;      // [x; d] per patient (n, k + dim)
  nn::Matrix<T> labels;    // (n, 1)
  nn::Matrix<T> requests;  // [x; d] per request
  const std::vector<std::int64_t>& label_values;
};

struct Settings {
  FfnnShape shape;
  double train_fraction = 0, validation_fraction = 0;
  TrainingOptions options;
  int cv = 0;           // 0: the validation fold calibrates; k >= 2: cross-fitting
  std::string weights;  // empty: train
};

Settings read_settings(const StageContext& ctx, int width) {
  Settings s;
  s.shape = {width, static_cast<int>(ctx.param_int("hidden1")),
             static_cast<int>(ctx.param_int("hidden2")), ctx.param_float("dropout")};
  s.train_fraction = ctx.param_float("train_fraction");
  s.validation_fraction = ctx.param_float("validation_fraction");
  s.options.epochs = static_cast<int>(ctx.param_int("epochs"));
  s.options.batch_size = static_cast<int>(ctx.param_int("batch_size"));
  s.options.adam.lr = ctx.param_float("learning_rate");
  s.options.after_epoch = [&ctx] { ctx.check_cancelled(); };
  s.cv = static_cast<int>(ctx.param_int("cv"));
  if (s.cv == 1) {
    throw std::runtime_error(
        "parameter \"cv\" is 1, which holds every row out of its one fold model; use 0 (the "
        "validation fold calibrates) or 2 to 20 folds");
  }
  s.weights = ctx.param_string("weights");
  return s;
}

// What one repeat of the procedure yields, widened to float64.
struct RepeatResult {
  Folds folds;
  TrainingLog log;  // of the repeat's model
  // The rows calibrators fit on (the validation fold; with cv the train and
  // validation folds), each predicted by a model that did not train on it.
  std::vector<std::size_t> calibration_rows;
  std::vector<double> calibration_probabilities;
  std::vector<std::int64_t> calibration_fold;
  std::vector<double> test_probabilities, p0;  // the repeat's model
  // (folds, rows), row-major: each fold model's; without cv the model's alone.
  std::vector<double> fold_test_probabilities, fold_p0;
};

// Trains `model` (unless weights were loaded) and, with cv = k >= 2, k fold
// models, as scikit-learn's CalibratedClassifierCV(cv=k): the model trains
// on the whole pool (train and validation folds) and predicts the test fold
// and the requests; fold model i (initialised from rng) trains on the pool
// without fold i and predicts fold i (out of fold), the test fold and the
// requests. Draws after the split: the fold assignment, the model's
// training, then each fold model's initialisation and training.
template <typename T>
RepeatResult fit_repeat(FfnnClassifier<T>& model, const TrainingData<T>& data, const Folds& folds,
                        const Settings& settings, Rng& rng) {
  RepeatResult result;
  result.folds = folds;
  const nn::Matrix<T> test_rows = gather_rows(data.rows, folds.test);
  const auto predict_all = [&](FfnnClassifier<T>& m, std::vector<double>& test,
                               std::vector<double>& requests) {
    append(test, doubles(predict(m, test_rows)));
    if (data.requests.rows() > 0) append(requests, doubles(predict(m, data.requests)));
  };
  if (settings.cv == 0) {
    if (settings.weights.empty()) {
      result.log = train_classifier(model, data.rows, data.labels, folds, settings.options, rng);
    }
    result.calibration_rows = folds.validation;
    result.calibration_probabilities =
        doubles(predict(model, gather_rows(data.rows, folds.validation)));
    result.calibration_fold.assign(folds.validation.size(), 0);
    predict_all(model, result.test_probabilities, result.p0);
    result.fold_test_probabilities = result.test_probabilities;
    result.fold_p0 = result.p0;
    return result;
  }
  std::vector<std::size_t> pool = folds.train;
  append(pool, folds.validation);
  result.calibration_rows = pool;
  result.calibration_fold = stratified_folds(labels_at(data.label_values, pool), settings.cv, rng);
  result.log = train_classifier(model, data.rows, data.labels, {pool, {}, folds.test},
                                settings.options, rng);
  predict_all(model, result.test_probabilities, result.p0);
  result.calibration_probabilities.resize(pool.size());
  for (int fold = 0; fold < settings.cv; ++fold) {
    Folds fold_split{{}, {}, folds.test};
    std::vector<std::size_t> positions;  // of the fold's rows in the pool
    for (std::size_t j = 0; j < pool.size(); ++j) {
      if (result.calibration_fold[j] == fold) {
        fold_split.validation.push_back(pool[j]);
        positions.push_back(j);
      } else {
        fold_split.train.push_back(pool[j]);
      }
    }
    FfnnClassifier<T> fold_model(settings.shape);
    fold_model.reset_parameters(rng);
    train_classifier(fold_model, data.rows, data.labels, fold_split, settings.options, rng);
    const std::vector<double> held_out =
        doubles(predict(fold_model, gather_rows(data.rows, fold_split.validation)));
    for (std::size_t i = 0; i < positions.size(); ++i)
      result.calibration_probabilities[positions[i]] = held_out[i];
    predict_all(fold_model, result.fold_test_probabilities, result.fold_p0);
  }
  return result;
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
        "0.5.0",
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
         ParamSpec::integer("cv", 0, 0, 20,
                            "0: calibrators fit on the validation fold; k >= 2: k stratified "
                            "folds of the train and validation rows give out-of-fold "
                            "predictions (scikit-learn's CalibratedClassifierCV(cv=k))"),
         ParamSpec::integer("repeats", 1, 1, 1000,
                            "retrains from derived seeds (repeat 0 is the stage's own), for "
                            "the spread of p0 (seed paper, 9.1)"),
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
        {"validation_probabilities", DType::kFloat64, 1,
         "predicted probabilities, validation fold (with cv: out of fold, train and validation "
         "rows)",
         false},
        {"validation_fold", DType::kInt64, 1,
         "fold whose model predicted each validation row (0 without cv)", false},
        {"test_inputs", DType::kFloat64, 2, "assembled rows [x; d] of the test fold", false},
        {"test_labels", DType::kInt64, 1, "labels of the test fold", false},
        {"test_probabilities", DType::kFloat64, 1, "predicted probabilities, test fold", false},
        {"fold_test_probabilities", DType::kFloat64, 2,
         "each fold model's test-fold probabilities (folds, n_test)", false},
        {"request_inputs", DType::kFloat64, 2, "assembled rows [x; d] of the requests", false},
        {"p0", DType::kFloat64, 1, "predicted success probability of each request", false},
        {"fold_p0", DType::kFloat64, 2, "each fold model's p0 (folds, n_requests)", false},
        {"repeat_validation_probabilities", DType::kFloat64, 2,
         "validation_probabilities of each repeat (repeats, n_validation)", false},
        {"repeat_validation_labels", DType::kInt64, 2, "validation_labels of each repeat", false},
        {"repeat_validation_fold", DType::kInt64, 2, "validation_fold of each repeat", false},
        {"repeat_fold_p0", DType::kFloat64, 2,
         "fold_p0 of each repeat, stacked (repeats x folds, n_requests)", false},
        {"repeat_p0", DType::kFloat64, 2, "p0 of each repeat (repeats, n_requests)", false}};
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
    std::vector<std::int64_t> own_row(ctx.input("request_features").shape[0]);
    std::iota(own_row.begin(), own_row.end(), 0);
    const nn::Matrix<double> request_inputs =
        assemble(ctx.input("request_features"), ctx.input("request_embeddings"), own_row);
    const auto& label_values = ints(ctx.input("labels"));
    TrainingData<T> data{inputs.cast<T>(), nn::Matrix<T>(inputs.rows(), 1),
                         request_inputs.cast<T>(), label_values};
    for (std::size_t i = 0; i < label_values.size(); ++i)
      data.labels(static_cast<Eigen::Index>(i), 0) = static_cast<T>(label_values[i]);

    const Settings settings = read_settings(ctx, static_cast<int>(inputs.cols()));
    const auto repeats = static_cast<int>(ctx.param_int("repeats"));
    if (!settings.weights.empty() && (settings.cv > 0 || repeats > 1)) {
      throw std::runtime_error(
          "parameter \"weights\" loads one trained network; it cannot be "
          "combined with cv = " +
          std::to_string(settings.cv) + " or repeats = " + std::to_string(repeats) +
          ", which retrain (set cv = 0 and repeats = 1)");
    }
    std::vector<RepeatResult> results;
    for (int r = 0; r < repeats; ++r) {
      // Repeat 0 is the stage's own fit; the others draw from derived seeds.
      Rng repeat_rng(derive_seed(ctx.seed(), "repeat " + std::to_string(r)));
      Rng& rng = r == 0 ? ctx.rng() : repeat_rng;
      FfnnClassifier<T> model(settings.shape);
      model.reset_parameters(rng);
      const Folds folds = split_folds(static_cast<std::size_t>(inputs.rows()),
                                      settings.train_fraction, settings.validation_fraction, rng);
      if (!settings.weights.empty()) {
        nn::load_state_dict(model.state(), ctx.read_tensor_file_param("weights"), settings.weights);
        ctx.log("loaded weights from " + settings.weights + "; not trained");
      }
      results.push_back(fit_repeat(model, data, folds, settings, rng));
      if (r == 0) {
        for (auto& [name, tensor] : nn::state_dict_artifacts(model.state()))
          ctx.emit("state." + name, std::move(tensor));
      }
    }
    const RepeatResult& fit = results.front();
    if (settings.weights.empty()) {
      ctx.log(
          "trained " + std::to_string(settings.options.epochs) + " epochs on " +
          std::to_string(settings.cv > 0 ? fit.calibration_rows.size() : fit.folds.train.size()) +
          " rows in " + ctx.param_string("dtype") + ": train loss " +
          format_losses(fit.log.train_loss) +
          (fit.log.validation_loss.empty()
               ? std::string()
               : ", validation loss " + format_losses(fit.log.validation_loss)) +
          (settings.cv > 0
               ? "; and " + std::to_string(settings.cv) + " fold models for out-of-fold predictions"
               : std::string()));
    }
    for (std::size_t i = 0; i < fit.p0.size(); ++i) {
      ctx.log("p0 = " + std::to_string(fit.p0[i]) + " for " + checks::request_name(ctx, i));
    }

    std::vector<std::string> columns = features.columns;
    if (columns.size() != features.shape[1]) {
      columns.clear();
      for (std::uint64_t j = 0; j < features.shape[1]; ++j)
        columns.push_back("x" + std::to_string(j));
    }
    for (std::uint64_t j = 0; j < embeddings.shape[1]; ++j)
      columns.push_back("d" + std::to_string(j));

    const std::uint64_t folds = static_cast<std::uint64_t>(std::max(settings.cv, 1));
    ctx.emit("train_loss", Artifact::vector(fit.log.train_loss));
    ctx.emit("validation_loss", Artifact::vector(fit.log.validation_loss));
    ctx.emit("validation_inputs", table(gather_rows(inputs, fit.calibration_rows), columns));
    ctx.emit("validation_labels", Artifact::vector(labels_at(label_values, fit.calibration_rows)));
    ctx.emit("validation_probabilities", Artifact::vector(fit.calibration_probabilities));
    ctx.emit("validation_fold", Artifact::vector(fit.calibration_fold));
    ctx.emit("test_inputs", table(gather_rows(inputs, fit.folds.test), columns));
    ctx.emit("test_labels", Artifact::vector(labels_at(label_values, fit.folds.test)));
    ctx.emit("test_probabilities", Artifact::vector(fit.test_probabilities));
    ctx.emit("fold_test_probabilities",
             Artifact::matrix(folds, fit.folds.test.size(), fit.fold_test_probabilities));
    ctx.emit("request_inputs", table(request_inputs, columns));
    ctx.emit("p0", Artifact::vector(fit.p0));
    ctx.emit("fold_p0", Artifact::matrix(folds, fit.p0.size(), fit.fold_p0));

    std::vector<double> probabilities, fold_p0, p0;
    std::vector<std::int64_t> labels, fold;
    for (const RepeatResult& result : results) {
      append(probabilities, result.calibration_probabilities);
      append(labels, labels_at(label_values, result.calibration_rows));
      append(fold, result.calibration_fold);
      append(fold_p0, result.fold_p0);
      append(p0, result.p0);
    }
    const auto k = static_cast<std::uint64_t>(repeats);
    const std::uint64_t n = fit.calibration_rows.size();
    ctx.emit("repeat_validation_probabilities", Artifact::matrix(k, n, std::move(probabilities)));
    ctx.emit("repeat_validation_labels", int_matrix(k, n, std::move(labels)));
    ctx.emit("repeat_validation_fold", int_matrix(k, n, std::move(fold)));
    ctx.emit("repeat_fold_p0", Artifact::matrix(k * folds, fit.p0.size(), std::move(fold_p0)));
    ctx.emit("repeat_p0", Artifact::matrix(k, fit.p0.size(), std::move(p0)));
  }
};

}  // namespace
}  // namespace rxflow::ffnn

RXFLOW_PLUGIN(rxflow::ffnn::FfnnClassifierStage)
