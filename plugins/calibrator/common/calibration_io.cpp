#include "calibration_io.h"

#include <stdexcept>

#include "input_checks.h"

namespace rxflow::calibration {
namespace {

const std::vector<std::int64_t>& ints(const StageContext& ctx, const std::string& port) {
  return std::get<std::vector<std::int64_t>>(ctx.input(port).values);
}

std::uint64_t rows_of(const StageContext& ctx, const std::string& port) {
  const Artifact& artifact = ctx.input(port);
  return artifact.shape.empty() ? 1 : artifact.shape[0];
}

// Input `port`'s values as `rows` rows of `cols`; throws naming both shapes.
std::vector<std::vector<double>> rows_of_matrix(const StageContext& ctx, const std::string& port,
                                                std::uint64_t rows, std::uint64_t cols) {
  const Artifact& artifact = ctx.input(port);
  if (artifact.shape != std::vector<std::uint64_t>{rows, cols}) {
    throw std::runtime_error("input \"" + port + "\" is " + shape_text(artifact.shape) +
                             ", expected " + shape_text({rows, cols}));
  }
  const std::vector<double>& values = checks::probabilities(ctx, port);
  std::vector<std::vector<double>> out;
  for (std::uint64_t r = 0; r < rows; ++r) {
    out.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(r * cols),
                     values.begin() + static_cast<std::ptrdiff_t>((r + 1) * cols));
  }
  return out;
}

// Checks labels and folds against the probabilities; `what` names the rows.
HeldOut held_out(std::vector<double> probabilities, const std::vector<std::int64_t>& labels,
                 std::vector<std::int64_t> fold, std::size_t folds, const std::string& what) {
  if (labels.size() != probabilities.size() || fold.size() != probabilities.size()) {
    throw std::runtime_error(what + ": " + std::to_string(probabilities.size()) +
                             " probabilities, " + std::to_string(labels.size()) + " labels and " +
                             std::to_string(fold.size()) + " folds; expected as many of each");
  }
  HeldOut out{std::move(probabilities), {}, std::move(fold), folds};
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out.labels.push_back(static_cast<double>(labels[i]));
    if (out.fold[i] < 0 || static_cast<std::size_t>(out.fold[i]) >= folds) {
      throw std::runtime_error(what + ": fold " + std::to_string(out.fold[i]) + " at [" +
                               std::to_string(i) + "] is outside [0, " + std::to_string(folds) +
                               ")");
    }
  }
  return out;
}

bool all_bound(const StageContext& ctx, const std::vector<std::string>& ports) {
  std::size_t bound = 0;
  for (const std::string& port : ports) bound += ctx.has_input(port) ? 1 : 0;
  if (bound != 0 && bound != ports.size()) {
    std::string names;
    for (const std::string& port : ports) names += (names.empty() ? "" : ", ") + port;
    throw std::runtime_error("inputs " + names + " go together: bind all of them or none");
  }
  return bound != 0;
}

void check_fit_rows(const FitRows& rows, const std::string& method, const std::string& which) {
  std::size_t positives = 0;
  for (double label : rows.labels) positives += label == 1.0 ? 1 : 0;
  if (rows.labels.size() < 2 || positives == 0 || positives == rows.labels.size()) {
    throw std::runtime_error(method + " calibration needs " + which +
                             " with both classes; it has " +
                             std::to_string(rows.labels.size() - positives) + " negative and " +
                             std::to_string(positives) +
                             " positive rows (simulate more patients or change the class "
                             "balance)");
  }
}

// One map per fold (ensemble) or one; `what` follows the fold in messages (" (repeat 3)").
std::vector<Map> fit_maps(const HeldOut& held_out, bool ensemble, const FitMap& fit, bool primary,
                          const std::string& method, const std::string& what) {
  std::vector<Map> maps;
  const std::vector<FitRows> sets = fit_sets(held_out, ensemble);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    check_fit_rows(
        sets[i], method,
        (sets.size() == 1 ? "a validation fold" : "cross-fitting fold " + std::to_string(i)) +
            what);
    maps.push_back(fit(sets[i], primary));
  }
  return maps;
}

}  // namespace

std::vector<PortSpec> calibrator_inputs() {
  return {
      {"validation_probabilities", DType::kFloat64, 1,
       "classifier output on the rows it held out (validation fold, or out of fold)", false},
      {"validation_labels", DType::kInt64, 1, "labels of those rows", false},
      {"validation_fold", DType::kInt64, 1, "fold model that predicted each of those rows", true},
      {"test_probabilities", DType::kFloat64, 1, "classifier output on the test fold", false},
      {"fold_test_probabilities", DType::kFloat64, 2,
       "each fold model's test-fold output (folds, n_test)", true},
      {"p0", DType::kFloat64, 1, "classifier output for each request", false},
      {"fold_p0", DType::kFloat64, 2, "each fold model's p0 (folds, n_requests)", true},
      {"repeat_validation_probabilities", DType::kFloat64, 2,
       "validation_probabilities of each repeat", true},
      {"repeat_validation_labels", DType::kInt64, 2, "validation_labels of each repeat", true},
      {"repeat_validation_fold", DType::kInt64, 2, "validation_fold of each repeat", true},
      {"repeat_fold_p0", DType::kFloat64, 2, "fold_p0 of each repeat, stacked", true},
      {"repeat_p0", DType::kFloat64, 2, "p0 of each repeat (repeats, n_requests)", true},
      checks::request_ids_input()};
}

std::vector<PortSpec> calibrated_outputs() {
  return {
      {"calibrated_validation_probabilities", DType::kFloat64, 1,
       "calibrated held-out rows (each by its fold's map)", false},
      {"calibrated_test_probabilities", DType::kFloat64, 1, "calibrated, test fold", false},
      {"calibrated_p0", DType::kFloat64, 1, "calibrated probability of each request (p')", false},
      {"calibrated_repeat_p0", DType::kFloat64, 2,
       "calibrated p0 of each repeat (repeats, n_requests; no rows without repeat_* inputs)",
       false}};
}

std::vector<ParamSpec> calibrator_params() {
  return {ParamSpec::boolean(
      "ensemble", true,
      "with a cross-fitted classifier: one map per fold, predictions averaged (true), or one "
      "map on all out-of-fold rows (false); CalibratedClassifierCV's ensemble")};
}

CalibrationInputs read_calibration_inputs(const StageContext& ctx, const std::string& method) {
  CalibrationInputs inputs;
  inputs.method = method;
  inputs.ensemble = ctx.param_bool("ensemble");
  const std::vector<double>& validation = checks::probabilities(ctx, "validation_probabilities");
  inputs.test.own = checks::probabilities(ctx, "test_probabilities");
  inputs.p0.own = checks::probabilities(ctx, "p0");
  const auto& labels = checks::binary_labels(ctx, "validation_labels");
  std::size_t folds = 1;
  std::vector<std::int64_t> fold(validation.size(), 0);
  if (all_bound(ctx, {"validation_fold", "fold_test_probabilities", "fold_p0"})) {
    folds = rows_of(ctx, "fold_test_probabilities");
    fold = ints(ctx, "validation_fold");
    inputs.test.by_fold =
        rows_of_matrix(ctx, "fold_test_probabilities", folds, inputs.test.own.size());
    inputs.p0.by_fold = rows_of_matrix(ctx, "fold_p0", folds, inputs.p0.own.size());
  } else {
    inputs.test.by_fold = {inputs.test.own};
    inputs.p0.by_fold = {inputs.p0.own};
  }
  inputs.validation = held_out(validation, labels, std::move(fold), folds, "the validation rows");

  if (all_bound(ctx, {"repeat_validation_probabilities", "repeat_validation_labels",
                      "repeat_validation_fold", "repeat_fold_p0", "repeat_p0"})) {
    const std::uint64_t repeats = rows_of(ctx, "repeat_p0");
    const Artifact& probabilities = ctx.input("repeat_validation_probabilities");
    const std::uint64_t n = probabilities.shape[1];
    const std::uint64_t n_requests = inputs.p0.own.size();
    const auto rows = rows_of_matrix(ctx, "repeat_validation_probabilities", repeats, n);
    const auto own = rows_of_matrix(ctx, "repeat_p0", repeats, n_requests);
    const std::uint64_t repeat_folds = repeats == 0 ? 1 : rows_of(ctx, "repeat_fold_p0") / repeats;
    const auto by_fold = rows_of_matrix(ctx, "repeat_fold_p0", repeats * repeat_folds, n_requests);
    const auto& repeat_labels = checks::binary_labels(ctx, "repeat_validation_labels");
    const auto& repeat_fold = ints(ctx, "repeat_validation_fold");
    for (const char* port : {"repeat_validation_labels", "repeat_validation_fold"}) {
      if (ctx.input(port).shape != probabilities.shape) {
        throw std::runtime_error("input \"" + std::string(port) + "\" is " +
                                 shape_text(ctx.input(port).shape) +
                                 ", expected the shape of \"repeat_validation_probabilities\" " +
                                 shape_text(probabilities.shape));
      }
    }
    for (std::uint64_t r = 0; r < repeats; ++r) {
      const auto begin = static_cast<std::ptrdiff_t>(r * n),
                 end = begin + static_cast<std::ptrdiff_t>(n);
      inputs.repeats.push_back(held_out(
          rows[r],
          std::vector<std::int64_t>(repeat_labels.begin() + begin, repeat_labels.begin() + end),
          std::vector<std::int64_t>(repeat_fold.begin() + begin, repeat_fold.begin() + end),
          repeat_folds, "repeat " + std::to_string(r)));
      inputs.repeat_p0.push_back(
          {std::vector<std::vector<double>>(
               by_fold.begin() + static_cast<std::ptrdiff_t>(r * repeat_folds),
               by_fold.begin() + static_cast<std::ptrdiff_t>((r + 1) * repeat_folds)),
           own[r]});
    }
  }
  return inputs;
}

std::vector<FitRows> fit_sets(const HeldOut& held_out, bool ensemble) {
  std::vector<FitRows> sets(ensemble ? held_out.folds : 1);
  for (std::size_t i = 0; i < held_out.probabilities.size(); ++i) {
    FitRows& set = sets[ensemble ? static_cast<std::size_t>(held_out.fold[i]) : 0];
    set.probabilities.push_back(held_out.probabilities[i]);
    set.labels.push_back(held_out.labels[i]);
  }
  return sets;
}

std::vector<double> calibrate(const std::vector<Map>& maps, const Predictions& predictions,
                              bool ensemble) {
  std::vector<double> out;
  if (!ensemble) {
    for (double p : predictions.own) out.push_back(maps.front()(p));
    return out;
  }
  const std::size_t n = predictions.by_fold.empty() ? 0 : predictions.by_fold.front().size();
  for (std::size_t j = 0; j < n; ++j) {
    double sum = 0.0;
    for (std::size_t i = 0; i < maps.size(); ++i) sum += maps[i](predictions.by_fold[i][j]);
    out.push_back(sum / static_cast<double>(maps.size()));
  }
  return out;
}

void emit_calibrated(StageContext& ctx, const CalibrationInputs& inputs, const FitMap& fit) {
  const std::vector<Map> maps =
      fit_maps(inputs.validation, inputs.ensemble, fit, true, inputs.method, "");
  std::vector<double> validation;
  for (std::size_t i = 0; i < inputs.validation.probabilities.size(); ++i) {
    const std::size_t map =
        inputs.ensemble ? static_cast<std::size_t>(inputs.validation.fold[i]) : 0;
    validation.push_back(maps[map](inputs.validation.probabilities[i]));
  }
  const std::vector<double> p0 = calibrate(maps, inputs.p0, inputs.ensemble);
  for (std::size_t i = 0; i < p0.size(); ++i) {
    ctx.log("calibrated p' = " + std::to_string(p0[i]) + " (raw p0 = " +
            std::to_string(inputs.p0.own[i]) + ") for " + checks::request_name(ctx, i));
  }
  std::vector<double> repeat_p0;
  for (std::size_t r = 0; r < inputs.repeats.size(); ++r) {
    const std::vector<Map> repeat_maps =
        fit_maps(inputs.repeats[r], inputs.ensemble, fit, false, inputs.method,
                 " (repeat " + std::to_string(r) + ")");
    const std::vector<double> calibrated =
        calibrate(repeat_maps, inputs.repeat_p0[r], inputs.ensemble);
    repeat_p0.insert(repeat_p0.end(), calibrated.begin(), calibrated.end());
  }
  ctx.emit("calibrated_validation_probabilities", Artifact::vector(std::move(validation)));
  ctx.emit("calibrated_test_probabilities",
           Artifact::vector(calibrate(maps, inputs.test, inputs.ensemble)));
  ctx.emit("calibrated_p0", Artifact::vector(p0));
  ctx.emit("calibrated_repeat_p0",
           Artifact::matrix(inputs.repeats.size(), p0.size(), std::move(repeat_p0)));
}

}  // namespace rxflow::calibration
