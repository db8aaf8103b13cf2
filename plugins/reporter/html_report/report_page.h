// report.html: one self-contained page a clinician-facing reader can
// follow. Per request: the patient and drug, the calibrated probability in
// large type with the raw one beside it, the 30-day curve and the generated
// image (beside the patient's simulated phantom when there is one); then the
// generated images across patient features and the generator's training, when
// given; then the test-fold metrics and plots; the provenance at the bottom.
// Every text from the workflow is HTML-escaped. Pure function.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "patient.h"
#include "retrain_spread.h"
#include "rxflow/run_info.h"

namespace rxflow::report {

// One request as the report shows it: the patient and the drug.
struct PatientRequest {
  std::string patient_id;
  std::string drug;
  double age = 0;
  double weight_kg = 0;
  patients::Gender gender = patients::Gender::kOther;
  double genetic_marker = 0;
  double comorbidity = 0;
};

struct RequestResult {
  PatientRequest request;
  double p0 = 0;             // raw
  double calibrated = 0;     // p'
  std::string image_file;    // relative to the page; empty when none
  std::string phantom_file;  // the simulated phantom of the same patient; empty when none
  // Over the classifier's repeats; repeats == 0 when it was not repeated.
  RetrainSpread raw_spread, calibrated_spread;
  std::string spread_figure;  // histogram of the repeats; empty when none
};

struct MetricsRow {
  std::string label;               // "raw", "calibrated"
  std::array<double, 6> values{};  // accuracy, precision, recall, f1, roc_auc, brier
};

// Generated images in rows of `columns`, each with its caption.
struct ImageGrid {
  std::string title;
  std::size_t columns = 0;
  std::vector<std::pair<std::string, std::string>> cells;  // file, caption
};

// A table of numbers per row label (NaN shows as a dash).
struct NumberTable {
  std::vector<std::string> columns;  // the first names the row labels
  std::vector<std::pair<std::string, std::vector<double>>> rows;
};

struct ReportPage {
  RunInfo run;
  std::string calibrator;  // the calibrating stage's plugin, e.g. "isotonic_calibrator"
  std::vector<RequestResult> requests;
  std::vector<MetricsRow> metrics;
  std::vector<std::pair<std::string, std::string>> figures;  // file, caption
  std::string success_figure;                                // the 30-day curves
  ImageGrid feature_grid;        // images across patient features; no cells when none
  NumberTable generator_epochs;  // the image generator's losses and quality per epoch
};

std::string render_report_html(const ReportPage& page);

}  // namespace rxflow::report
