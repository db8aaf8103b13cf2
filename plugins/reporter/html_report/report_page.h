// report.html: one self-contained page a clinician-facing reader can
// follow. Per request: the patient and drug, the calibrated probability in
// large type with the raw one beside it, the 30-day curve and the generated
// image; then the test-fold metrics and plots; the provenance at the bottom.
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
  double p0 = 0;           // raw
  double calibrated = 0;   // p'
  std::string image_file;  // relative to the page; empty when none
  // Over the classifier's repeats; repeats == 0 when it was not repeated.
  RetrainSpread raw_spread, calibrated_spread;
  std::string spread_figure;  // histogram of the repeats; empty when none
};

struct MetricsRow {
  std::string label;               // "raw", "calibrated"
  std::array<double, 6> values{};  // accuracy, precision, recall, f1, roc_auc, brier
};

struct ReportPage {
  RunInfo run;
  std::string calibrator;  // the calibrating stage's plugin, e.g. "isotonic_calibrator"
  std::vector<RequestResult> requests;
  std::vector<MetricsRow> metrics;
  std::vector<std::pair<std::string, std::string>> figures;  // file, caption
  std::string success_figure;                                // the 30-day curves
};

std::string render_report_html(const ReportPage& page);

}  // namespace rxflow::report
