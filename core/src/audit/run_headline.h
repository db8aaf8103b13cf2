// The few numbers a person looks at first, found in a run file by the kind
// of the stage that produced them (so any plugin of that kind will do):
// the classifier's and the calibrator's p0 for the first request, and the
// evaluator's test-fold AUC and Brier score, raw and calibrated. A number
// the run does not hold is NaN (no such stage, or the run failed first).
#pragma once

#include <string>
#include <vector>

#include "store/run_store.h"

namespace rxflow {

struct HeadlineMetric {
  std::string name;  // "p0", "calibrated_p0", "auc", "brier", "calibrated_auc", ...
  double value;
};

// stages: reader.stages(), which the caller has read already.
std::vector<HeadlineMetric> headline_metrics(const RunReader& reader,
                                             const std::vector<StoredStage>& stages);

// The value of the named metric in a headline_metrics result (NaN if absent).
double headline_value(const std::vector<HeadlineMetric>& metrics, const std::string& name);

}  // namespace rxflow
