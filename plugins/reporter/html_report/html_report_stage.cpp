// The html_report plugin (seed paper, Sections 8 and 12.3): writes, into the
// run's folder beside the run file, report.html, its plots (SVG) and images
// (PNG), and metrics.json (the paper's JSON log; `rxflow log` is the CSV
// one, across runs).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/plots.h"
#include "report_page.h"
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"
#include "support/png_writer.h"
#include "support/text_escaping.h"

namespace rxflow::report {
namespace {

const std::vector<double>& floats(const StageContext& ctx, const char* port) {
  return std::get<std::vector<double>>(ctx.input(port).values);
}

// Column `c` of a (rows, cols) table.
std::vector<double> column(const Artifact& table, std::size_t c) {
  const auto& values = std::get<std::vector<double>>(table.values);
  std::vector<double> out;
  for (std::size_t r = 0; r < table.shape[0]; ++r) out.push_back(values[r * table.shape[1] + c]);
  return out;
}

std::array<std::int64_t, 4> confusion(const StageContext& ctx, const char* port) {
  const auto& values = std::get<std::vector<std::int64_t>>(ctx.input(port).values);
  if (values.size() != 4)
    throw std::runtime_error("input \"" + std::string(port) + "\" must be a 2 x 2 matrix");
  return {values[0], values[1], values[2], values[3]};
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

// Image i of a stack of grayscale images (..., height, width) as a PNG file.
void write_image_png(const Artifact& images, std::size_t i, const std::filesystem::path& path) {
  const std::size_t rank = images.shape.size();
  const auto height = static_cast<int>(images.shape[rank - 2]),
             width = static_cast<int>(images.shape[rank - 1]);
  const auto& values = std::get<std::vector<double>>(images.values);
  const auto begin = values.begin() + static_cast<std::ptrdiff_t>(i) * height * width;
  write_text(path, encode_grayscale_png(std::vector<double>(begin, begin + height * width), height,
                                        width));
}

// The generator's images of the first request across patient features
// (grid_images (features, steps, h, w), one label each), one row per feature.
ImageGrid feature_grid(const StageContext& ctx, const std::filesystem::path& folder,
                       const PatientRequest& request, std::vector<std::string>& files) {
  const Artifact& images = ctx.input("grid_images");
  const auto& labels = std::get<std::vector<std::string>>(ctx.input("grid_labels").values);
  const std::size_t cells = images.shape[0] * images.shape[1];
  if (labels.size() != cells) {
    throw std::runtime_error("inputs grid_images " + shape_text(images.shape) +
                             " and grid_labels (" + std::to_string(labels.size()) +
                             ") need one label per image");
  }
  ImageGrid grid{"Generated images across patient features: " + request.patient_id + " / " +
                     request.drug + ", one feature changed at a time",
                 static_cast<std::size_t>(images.shape[1]),
                 {}};
  for (std::size_t i = 0; i < cells; ++i) {
    const std::string file = "grid_" + std::to_string(i + 1) + ".png";
    write_image_png(images, i, folder / file);
    files.push_back(file);
    grid.cells.emplace_back(file, labels[i]);
  }
  return grid;
}

// The generator trainer's losses (epochs, k) and quality (epochs + 1, m)
// side by side, one row per epoch after the untrained model's (no losses).
NumberTable generator_epochs(const Artifact& losses, const Artifact& quality) {
  if (quality.shape[0] != losses.shape[0] + 1) {
    throw std::runtime_error("inputs losses " + shape_text(losses.shape) + " and quality " +
                             shape_text(quality.shape) +
                             " need one quality row more than loss rows (the untrained model)");
  }
  NumberTable table;
  table.columns.push_back("epoch");
  for (const Artifact* part : {&losses, &quality}) {
    for (std::size_t c = 0; c < part->shape[1]; ++c) {
      table.columns.push_back(c < part->columns.size() ? part->columns[c]
                                                       : "column " + std::to_string(c + 1));
    }
  }
  const auto& loss_values = std::get<std::vector<double>>(losses.values);
  const auto& quality_values = std::get<std::vector<double>>(quality.values);
  for (std::size_t e = 0; e < quality.shape[0]; ++e) {
    std::vector<double> row(losses.shape[1], std::nan(""));
    if (e > 0) {
      std::copy_n(loss_values.begin() + static_cast<std::ptrdiff_t>((e - 1) * losses.shape[1]),
                  losses.shape[1], row.begin());
    }
    const auto begin = quality_values.begin() + static_cast<std::ptrdiff_t>(e * quality.shape[1]);
    row.insert(row.end(), begin, begin + static_cast<std::ptrdiff_t>(quality.shape[1]));
    table.rows.emplace_back(e == 0 ? "untrained" : std::to_string(e), std::move(row));
  }
  return table;
}

constexpr const char* kMetricNames[] = {"accuracy", "precision", "recall",
                                        "f1",       "roc_auc",   "brier"};

std::string metrics_json(const ReportPage& page) {
  nlohmann::json requests = nlohmann::json::array();
  for (const RequestResult& r : page.requests) {
    requests.push_back({{"patient_id", r.request.patient_id},
                        {"drug", r.request.drug},
                        {"p0", r.p0},
                        {"calibrated", r.calibrated}});
  }
  nlohmann::json metrics = nlohmann::json::object();
  for (const MetricsRow& row : page.metrics) {
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t k = 0; k < row.values.size(); ++k) values[kMetricNames[k]] = row.values[k];
    metrics[row.label] = values;
  }
  const nlohmann::json json{{"run_id", page.run.run_id},       {"workflow", page.run.workflow},
                            {"root_seed", page.run.root_seed}, {"root_hash", page.run.root_hash},
                            {"calibrator", page.calibrator},   {"requests", requests},
                            {"test_metrics", metrics}};
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// The requests as the report shows them, from the requests stage's outputs.
std::vector<PatientRequest> patient_requests(const StageContext& ctx) {
  const auto& ids = std::get<std::vector<std::string>>(ctx.input("request_ids").values);
  const auto& drugs = std::get<std::vector<std::string>>(ctx.input("request_drugs").values);
  const Artifact& table = ctx.input("request_patients");
  const auto& values = std::get<std::vector<double>>(table.values);
  if (drugs.size() != ids.size() || table.shape[0] != ids.size() || table.shape[1] != 5) {
    throw std::runtime_error(
        "inputs request_ids, request_drugs and request_patients (n, 5) must "
        "describe the same requests");
  }
  std::vector<PatientRequest> requests;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const double* row = values.data() + 5 * i;
    const std::optional<patients::Gender> gender = patients::gender_from_code(row[2]);
    if (!gender) {
      throw std::runtime_error("request_patients row " + std::to_string(i + 1) +
                               ": gender code must be 0, 1 or 2");
    }
    requests.push_back({ids[i], drugs[i], row[0], row[1], *gender, row[3], row[4]});
  }
  return requests;
}

// Each request's spread over the classifier's repeats, and its histogram.
void add_retrain_spreads(const StageContext& ctx, const std::filesystem::path& folder,
                         ReportPage& page, PlotBatch& plots, std::vector<std::string>& files) {
  const Artifact& raw = ctx.input("repeat_p0");
  const Artifact& calibrated = ctx.input("calibrated_repeat_p0");
  const std::size_t n = page.requests.size();
  if (raw.shape != calibrated.shape || raw.shape[1] != n) {
    throw std::runtime_error("inputs repeat_p0 " + shape_text(raw.shape) +
                             " and calibrated_repeat_p0 " + shape_text(calibrated.shape) +
                             " need one column per request (" + std::to_string(n) + ")");
  }
  if (raw.shape[0] < 2) return;
  constexpr std::size_t kBins = 20;
  std::vector<double> centres;
  for (std::size_t b = 0; b < kBins; ++b) centres.push_back((static_cast<double>(b) + 0.5) / kBins);
  for (std::size_t i = 0; i < n; ++i) {
    RequestResult& result = page.requests[i];
    const std::vector<double> raw_values = table_column(floats(ctx, "repeat_p0"), n, i);
    const std::vector<double> calibrated_values =
        table_column(floats(ctx, "calibrated_repeat_p0"), n, i);
    result.raw_spread = retrain_spread(raw_values);
    result.calibrated_spread = retrain_spread(calibrated_values);
    result.spread_figure = "retrains_" + std::to_string(i + 1) + ".svg";
    plots.line_plot(
        {"Probability over " + std::to_string(raw_values.size()) + " retrains",
         "probability of success",
         "retrains",
         std::make_pair(0.0, 1.0),
         std::nullopt,
         false,
         {{"calibrated", centres, histogram_counts(calibrated_values, kBins),
           "boxes fs transparent solid 0.5"},
          {"raw", centres, histogram_counts(raw_values, kBins), "boxes fs transparent solid 0.3"}}},
        (folder / result.spread_figure).string());
    files.push_back(result.spread_figure);
  }
}

class HtmlReportStage final : public Plugin {
 public:
  PluginInfo describe() const override {
    return {"html_report",
            kinds::reporter(),
            "0.4.0",
            "report.html with plots and images, and metrics.json",
            {{"request_ids", DType::kString, 1, "patient id of each request", false},
             {"request_drugs", DType::kString, 1, "drug of each request", false},
             {"request_patients", DType::kFloat64, 2, "the requests' patients", false},
             {"p0", DType::kFloat64, 1, "raw probability of each request", false},
             {"calibrated_p0", DType::kFloat64, 1, "calibrated probability of each request", false},
             {"metrics", DType::kFloat64, 2, "the evaluator's metrics table", false},
             {"confusion_raw", DType::kInt64, 2, "confusion matrix, raw", false},
             {"confusion_calibrated", DType::kInt64, 2, "confusion matrix, calibrated", false},
             {"roc_raw", DType::kFloat64, 2, "ROC curve, raw", false},
             {"roc_calibrated", DType::kFloat64, 2, "ROC curve, calibrated", false},
             {"reliability_uniform_raw", DType::kFloat64, 2, "reliability curve, raw", false},
             {"reliability_uniform_calibrated", DType::kFloat64, 2, "reliability curve, calibrated",
              false},
             {"success_days", DType::kFloat64, 1, "days of the success curves", false},
             {"success_raw", DType::kFloat64, 2, "30-day curves from p0", false},
             {"success_calibrated", DType::kFloat64, 2, "30-day curves from p'", false},
             {"train_loss", DType::kFloat64, 1, "training loss per epoch", true},
             {"validation_loss", DType::kFloat64, 1, "validation loss per epoch", true},
             {"images", DType::kFloat64, 3, "one generated image per request", true},
             {"request_phantoms", DType::kFloat64, 3,
              "one simulated phantom per request, shown beside its generated image", true},
             {"grid_images", DType::kFloat64, 4,
              "the first request's generated images across patient features", true},
             {"grid_labels", DType::kString, 1, "the feature and value of each grid image", true},
             {"losses", DType::kFloat64, 2, "the image generator's losses per epoch", true},
             {"quality", DType::kFloat64, 2,
              "the image generator's quality, untrained then per epoch", true},
             {"repeat_p0", DType::kFloat64, 2, "raw p0 of each classifier repeat", true},
             {"calibrated_repeat_p0", DType::kFloat64, 2, "calibrated p0 of each repeat", true}},
            {{"files", DType::kString, 1, "the files written into the run's folder", false}},
            {}};
  }

  void run(StageContext& ctx) override {
    const std::filesystem::path folder = ctx.output_dir();
    const std::vector<PatientRequest> requests = patient_requests(ctx);
    ReportPage page;
    page.run = ctx.run_info();
    for (const StageSummary& stage : page.run.stages) {
      if (stage.plugin_kind == "calibrator") page.calibrator = stage.plugin;
    }
    const auto& p0 = floats(ctx, "p0");
    const auto& calibrated = floats(ctx, "calibrated_p0");
    if (p0.size() != requests.size() || calibrated.size() != requests.size()) {
      throw std::runtime_error(
          "p0 and calibrated_p0 need one value per request (" + std::to_string(requests.size()) +
          "), got " + std::to_string(p0.size()) + " and " + std::to_string(calibrated.size()));
    }
    std::vector<std::string> files;
    PlotBatch plots;
    const Artifact* images = ctx.has_input("images") ? &ctx.input("images") : nullptr;
    const Artifact* phantoms =
        ctx.has_input("request_phantoms") ? &ctx.input("request_phantoms") : nullptr;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      RequestResult result{requests[i], p0[i], calibrated[i], ""};
      if (images != nullptr && i < images->shape[0]) {
        result.image_file = "image_" + std::to_string(i + 1) + ".png";
        write_image_png(*images, i, folder / result.image_file);
        files.push_back(result.image_file);
      }
      if (phantoms != nullptr && i < phantoms->shape[0]) {
        result.phantom_file = "phantom_" + std::to_string(i + 1) + ".png";
        write_image_png(*phantoms, i, folder / result.phantom_file);
        files.push_back(result.phantom_file);
      }
      page.requests.push_back(result);
    }
    if (ctx.has_input("grid_images") && ctx.has_input("grid_labels") && !requests.empty()) {
      page.feature_grid = feature_grid(ctx, folder, requests.front(), files);
    }
    if (ctx.has_input("losses") && ctx.has_input("quality")) {
      page.generator_epochs = generator_epochs(ctx.input("losses"), ctx.input("quality"));
    }
    if (ctx.has_input("repeat_p0") && ctx.has_input("calibrated_repeat_p0")) {
      add_retrain_spreads(ctx, folder, page, plots, files);
    }

    const Artifact& metrics = ctx.input("metrics");
    const auto& metric_values = std::get<std::vector<double>>(metrics.values);
    if (metrics.shape != std::vector<std::uint64_t>{2, 6})
      throw std::runtime_error("input \"metrics\" must be 2 x 6");
    for (std::size_t r = 0; r < 2; ++r) {
      MetricsRow row{r == 0 ? "raw" : "calibrated", {}};
      std::copy(metric_values.begin() + static_cast<std::ptrdiff_t>(6 * r),
                metric_values.begin() + static_cast<std::ptrdiff_t>(6 * r + 6), row.values.begin());
      page.metrics.push_back(row);
    }

    auto figure = [&](const std::string& file, const std::string& caption) {
      files.push_back(file);
      page.figures.emplace_back(file, caption);
    };
    plots.confusion_heatmap(confusion(ctx, "confusion_raw"), "Confusion matrix, raw",
                            (folder / "confusion_raw.svg").string());
    figure("confusion_raw.svg",
           "Confusion matrix of the test fold, raw probabilities (threshold 0.5)");
    plots.confusion_heatmap(confusion(ctx, "confusion_calibrated"), "Confusion matrix, calibrated",
                            (folder / "confusion_calibrated.svg").string());
    figure("confusion_calibrated.svg",
           "Confusion matrix of the test fold, calibrated probabilities");

    const Artifact& roc_raw = ctx.input("roc_raw");
    const Artifact& roc_calibrated = ctx.input("roc_calibrated");
    plots.line_plot(
        {"ROC curve (AUC raw " + decimal_text(page.metrics[0].values[4], 3, "undefined") +
             ", calibrated " + decimal_text(page.metrics[1].values[4], 3, "undefined") + ")",
         "false positive rate",
         "true positive rate",
         std::make_pair(0.0, 1.0),
         std::make_pair(0.0, 1.0),
         true,
         {{"raw", column(roc_raw, 0), column(roc_raw, 1), "lines lw 2"},
          {"calibrated", column(roc_calibrated, 0), column(roc_calibrated, 1), "lines lw 2 dt 2"}}},
        (folder / "roc.svg").string());
    figure("roc.svg", "ROC curve of the test fold");

    const Artifact& rel_raw = ctx.input("reliability_uniform_raw");
    const Artifact& rel_calibrated = ctx.input("reliability_uniform_calibrated");
    plots.line_plot(
        {"Reliability diagram",
         "mean predicted probability",
         "fraction of successes",
         std::make_pair(0.0, 1.0),
         std::make_pair(0.0, 1.0),
         true,
         {{"before calibration", column(rel_raw, 0), column(rel_raw, 1), "linespoints lw 2 pt 7"},
          {"after calibration", column(rel_calibrated, 0), column(rel_calibrated, 1),
           "linespoints lw 2 pt 5"}}},
        (folder / "reliability.svg").string());
    figure("reliability.svg", "Reliability diagram of the test fold, before and after calibration");

    if (ctx.has_input("train_loss") && !floats(ctx, "train_loss").empty()) {
      const auto& train = floats(ctx, "train_loss");
      std::vector<double> epochs;
      for (std::size_t e = 1; e <= train.size(); ++e) epochs.push_back(static_cast<double>(e));
      LinePlot loss{"Training",
                    "epoch",
                    "binary cross-entropy",
                    std::nullopt,
                    std::nullopt,
                    false,
                    {{"training loss", epochs, train, "linespoints lw 2 pt 7"}}};
      // A cross-fitted classifier's model trains on every non-test row: no validation loss.
      if (ctx.has_input("validation_loss") &&
          floats(ctx, "validation_loss").size() == train.size()) {
        loss.series.push_back(
            {"validation loss", epochs, floats(ctx, "validation_loss"), "linespoints lw 2 pt 5"});
      }
      plots.line_plot(loss, (folder / "loss.svg").string());
      figure("loss.svg", "Training and validation loss per epoch");
    }

    const auto& days = floats(ctx, "success_days");
    const Artifact& curves_raw = ctx.input("success_raw");
    const Artifact& curves_calibrated = ctx.input("success_calibrated");
    LinePlot success{"Projected 30-day success",
                     "day",
                     "probability of success",
                     std::nullopt,
                     std::make_pair(0.0, 1.0),
                     false,
                     {}};
    for (std::size_t i = 0; i < requests.size() && i < curves_raw.shape[0]; ++i) {
      const auto row = [&](const Artifact& table) {
        const auto& values = std::get<std::vector<double>>(table.values);
        const auto begin = values.begin() + static_cast<std::ptrdiff_t>(i * table.shape[1]);
        return std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(table.shape[1]));
      };
      const std::string who = requests[i].patient_id + " / " + requests[i].drug;
      success.series.push_back({who + " (calibrated)", days, row(curves_calibrated), "lines lw 3"});
      success.series.push_back({who + " (raw)", days, row(curves_raw), "lines lw 2 dt 2"});
    }
    plots.line_plot(success, (folder / "success_30_days.svg").string());
    files.push_back("success_30_days.svg");
    page.success_figure = "success_30_days.svg";

    plots.render((folder / "gnuplot.log").string());
    write_text(folder / "report.html", render_report_html(page));
    write_text(folder / "metrics.json", metrics_json(page));
    files.push_back("report.html");
    files.push_back("metrics.json");
    for (const RequestResult& r : page.requests) {
      ctx.log("patient " + r.request.patient_id + ", " + r.request.drug +
              ": calibrated probability " + decimal_text(r.calibrated, 3, "undefined") + " (raw " +
              decimal_text(r.p0, 3, "undefined") + ")");
    }
    // The folder moves beside the run file when the run completes.
    const std::string& run_file = page.run.run_file;
    ctx.log("report: " + run_file.substr(0, run_file.size() - 3) + "/report.html");
    ctx.emit("files", Artifact::vector(std::move(files)));
  }
};

}  // namespace
}  // namespace rxflow::report

RXFLOW_PLUGIN(rxflow::report::HtmlReportStage)
