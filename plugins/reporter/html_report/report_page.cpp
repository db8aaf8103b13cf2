#include "report_page.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "support/text_escaping.h"

namespace rxflow::report {
namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; color: #1b1f24; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
.subtitle { color: #57606a; margin-top: 0; }
.notice { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 12px; border-radius: 6px; }
.request { border: 1px solid #d0d7de; border-radius: 8px; padding: 16px 20px; margin: 20px 0; }
.answer { display: flex; align-items: baseline; gap: 24px; flex-wrap: wrap; }
.calibrated { font-size: 4em; font-weight: 700; color: #0a3069; }
.raw { font-size: 1.3em; color: #57606a; }
.warning { color: #9a3412; font-weight: 600; }
.row { display: flex; gap: 20px; flex-wrap: wrap; align-items: flex-start; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
th { background: #f6f8fa; }
figure { margin: 8px 0; }
figcaption { color: #57606a; font-size: 0.9em; }
img.plot { width: 460px; max-width: 100%; }
img.wide { width: 900px; max-width: 100%; }
figure.image { width: 258px; }  /* a long caption wraps instead of pushing the image to the next row */
img.generated { image-rendering: pixelated; width: 256px; height: 256px; border: 1px solid #d0d7de; }
img.cell { image-rendering: pixelated; width: 128px; height: 128px; }
table.grid td { border: none; padding: 2px; }
footer { margin-top: 32px; font-size: 0.85em; color: #57606a; }
code { word-break: break-all; }
)";

std::string percent(double p) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", 100.0 * p);
  return buffer;
}

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void render_image_grid(const ImageGrid& grid, std::ostringstream& html) {
  if (grid.cells.empty()) return;
  html << "<h2>" << html_escape(grid.title)
       << "</h2>\n<table class=\"grid\" id=\"feature-grid\">\n";
  for (std::size_t i = 0; i < grid.cells.size(); ++i) {
    const auto& [file, caption] = grid.cells[i];
    if (i % grid.columns == 0) html << "<tr>";
    html << "<td><figure><img class=\"cell\" src=\"" << html_escape(file) << "\" alt=\""
         << html_escape(caption) << "\"><figcaption>" << html_escape(caption)
         << "</figcaption></figure></td>";
    if (i % grid.columns == grid.columns - 1 || i + 1 == grid.cells.size()) html << "</tr>\n";
  }
  html << "</table>\n";
}

void render_generator_epochs(const NumberTable& table, std::ostringstream& html) {
  if (table.rows.empty()) return;
  html << "<h2>Image generator training, per epoch</h2>\n<table id=\"generator-epochs\">\n<tr>";
  for (const std::string& column : table.columns) html << "<th>" << html_escape(column) << "</th>";
  html << "</tr>\n";
  for (const auto& [label, values] : table.rows) {
    html << "<tr><th>" << html_escape(label) << "</th>";
    for (double value : values) html << "<td>" << decimal_text(value, 4, "&ndash;") << "</td>";
    html << "</tr>\n";
  }
  html << "</table>\n<p>Reconstruction MSE: per pixel, the encoded and decoded evaluation "
          "phantoms against themselves. Condition spread: how much the decoded images differ "
          "across patients (0 when the condition is ignored).</p>\n";
}

}  // namespace

std::string render_report_html(const ReportPage& page) {
  const RunInfo& run = page.run;
  // A guard, not a verdict: the page never presents a worse score as better.
  const bool calibration_worse =
      page.metrics.size() == 2 && page.metrics[1].values[5] > page.metrics[0].values[5];
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<title>rxflow report: " << html_escape(run.workflow) << "</title>\n<style>" << kStyle
       << "</style>\n</head>\n<body>\n"
       << "<h1>" << html_escape(run.description.empty() ? run.workflow : run.description)
       << "</h1>\n"
       << "<p class=\"subtitle\">Workflow <b>" << html_escape(run.workflow) << "</b>, run "
       << html_escape(run.run_id) << "</p>\n"
       << "<p class=\"notice\">Simulated data and models for research and teaching. "
          "Not a clinical prediction.</p>\n";

  for (std::size_t i = 0; i < page.requests.size(); ++i) {
    const RequestResult& result = page.requests[i];
    const PatientRequest& r = result.request;
    html << "<section class=\"request\" id=\"request-" << i + 1 << "\">\n"
         << "<h2>Patient " << html_escape(r.patient_id) << " &middot; " << html_escape(r.drug)
         << "</h2>\n"
         << "<div class=\"answer\"><span class=\"calibrated\" id=\"calibrated-probability-" << i + 1
         << "\">" << percent(result.calibrated) << "</span>"
         << "<span class=\"raw\">probability of treatment success (calibrated, "
         << html_escape(page.calibrator) << ")<br>raw classifier output: <b id=\"raw-probability-"
         << i + 1 << "\">" << percent(result.p0) << "</b></span></div>\n";
    if (result.raw_spread.repeats > 1) {
      html << "<p class=\"spread\" id=\"spread-" << i + 1 << "\">Over " << result.raw_spread.repeats
           << " retrains from derived seeds: calibrated mean "
           << percent(result.calibrated_spread.mean) << ", 95% of retrains in "
           << percent(result.calibrated_spread.low) << "&ndash;"
           << percent(result.calibrated_spread.high) << "; raw mean "
           << percent(result.raw_spread.mean) << ", 95% in " << percent(result.raw_spread.low)
           << "&ndash;" << percent(result.raw_spread.high) << ".</p>\n";
    }
    if (calibration_worse) {
      html << "<p class=\"warning\" id=\"calibration-warning-" << i + 1
           << "\">Calibration made the test fold's Brier score worse ("
           << decimal_text(page.metrics[0].values[5], 3, "undefined") << " raw, "
           << decimal_text(page.metrics[1].values[5], 3, "undefined")
           << " calibrated): the calibrated probability is not the better estimate here.</p>\n";
    }
    html << "<div class=\"row\"><table>\n"
         << "<tr><th>Age</th><td>" << number(r.age) << " years</td></tr>\n"
         << "<tr><th>Weight</th><td>" << number(r.weight_kg) << " kg</td></tr>\n"
         << "<tr><th>Gender</th><td>" << patients::gender_name(r.gender) << "</td></tr>\n"
         << "<tr><th>Genetic marker</th><td>" << number(r.genetic_marker) << "</td></tr>\n"
         << "<tr><th>Comorbidity score</th><td>" << number(r.comorbidity) << "</td></tr>\n"
         << "<tr><th>Drug</th><td>" << html_escape(r.drug) << "</td></tr>\n</table>\n";
    if (!result.spread_figure.empty()) {
      html << "<figure><img class=\"plot\" src=\"" << html_escape(result.spread_figure)
           << "\" alt=\"probability over retrains\"><figcaption>Probability over the "
           << result.raw_spread.repeats << " retrains</figcaption></figure>\n";
    }
    if (!result.image_file.empty()) {
      html << "<figure class=\"image\"><img class=\"generated\" src=\""
           << html_escape(result.image_file)
           << "\" alt=\"synthetic image for patient " << html_escape(r.patient_id)
           << "\"><figcaption>Synthetic 64&times;64 image (not diagnostic)</figcaption></figure>\n";
    }
    if (!result.phantom_file.empty()) {
      html << "<figure class=\"image\"><img class=\"generated\" src=\""
           << html_escape(result.phantom_file)
           << "\" alt=\"simulated phantom for patient " << html_escape(r.patient_id)
           << "\"><figcaption>Simulated phantom of the same patient, the kind of image the "
              "generator learned from (a cartoon, not diagnostic)</figcaption></figure>\n";
    }
    html << "</div>\n</section>\n";
  }
  if (!page.success_figure.empty()) {
    html << "<h2>Projected success over 30 days</h2>\n<figure><img class=\"wide\" src=\""
         << html_escape(page.success_figure) << "\" alt=\"30-day success curves\"><figcaption>"
         << "p(t) = p0 + (1 &minus; p0)(1 &minus; e<sup>&minus;kt</sup>), from the raw and the "
            "calibrated "
            "probability</figcaption></figure>\n";
  }

  render_image_grid(page.feature_grid, html);
  render_generator_epochs(page.generator_epochs, html);

  html << "<h2>How well the model did on held-out simulated patients</h2>\n<table>\n"
       << "<tr><th></th><th>Accuracy</th><th>Precision</th><th>Recall</th><th>F1</th><th>ROC "
          "AUC</th>"
          "<th>Brier score</th></tr>\n";
  for (const MetricsRow& row : page.metrics) {
    html << "<tr><th>" << html_escape(row.label) << "</th>";
    for (double value : row.values)
      html << "<td>" << decimal_text(value, 3, "undefined") << "</td>";
    if (row.label == "calibrated" && calibration_worse) {
      html << "<td class=\"warning\" id=\"brier-warning\">Brier score worse than raw</td>";
    }
    html << "</tr>\n";
  }
  html << "</table>\n<div class=\"row\">\n";
  for (const auto& [file, caption] : page.figures) {
    html << "<figure><img class=\"plot\" src=\"" << html_escape(file) << "\" alt=\""
         << html_escape(caption) << "\"><figcaption>" << html_escape(caption)
         << "</figcaption></figure>\n";
  }
  html << "</div>\n<footer>\n<h3>Provenance</h3>\n<table>\n"
       << "<tr><th>Run file</th><td><code>" << html_escape(run.run_file) << "</code></td></tr>\n"
       << "<tr><th>Root hash</th><td><code>" << html_escape(run.root_hash) << "</code></td></tr>\n"
       << "<tr><th>Root seed</th><td>" << run.root_seed << "</td></tr>\n"
       << "<tr><th>Started</th><td>" << html_escape(run.started_at) << "</td></tr>\n"
       << "<tr><th>Engine</th><td>rxflow " << html_escape(run.engine_version) << " (git "
       << html_escape(run.git_commit) << ")</td></tr>\n</table>\n"
       << "<table>\n<tr><th>Stage</th><th>Plugin</th><th>Version</th><th>Kind</th><th>Seed</th></"
          "tr>\n";
  for (const StageSummary& stage : run.stages) {
    html << "<tr><td>" << html_escape(stage.id) << "</td><td>" << html_escape(stage.plugin)
         << "</td><td>" << html_escape(stage.plugin_version) << "</td><td>"
         << html_escape(stage.plugin_kind) << "</td><td>" << stage.seed << "</td></tr>\n";
  }
  html << "</table>\n<p>Verify or replay this run with <code>rxflow show</code> on the run "
          "file.</p>\n"
       << "</footer>\n</body>\n</html>\n";
  return html.str();
}

}  // namespace rxflow::report
