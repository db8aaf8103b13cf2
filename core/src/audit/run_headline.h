// The few numbers a person looks at first: every column of every metrics
// table a run holds (outputs a plugin declares with `metrics = true`, one
// row of named numbers; rxflow/port.h), by column name. `rxflow log`,
// `diff` and sweep indexes show them; nothing here knows what they mean. A
// run that failed before its metrics stage has none.
#pragma once

#include <string>
#include <vector>

#include "store/run_reader.h"

namespace rxflow {

struct HeadlineMetric {
  std::string name;   // the column name ("calibrated_p0", "roc_auc", ...)
  std::string stage;  // the stage whose metrics table holds it
  double value;
};

// stages: reader.stages(), which the caller has read already. In run order,
// columns in table order; a name found in two stages is kept as
// "<stage>.<name>" for the second.
std::vector<HeadlineMetric> headline_metrics(const RunReader& reader,
                                             const std::vector<StoredStage>& stages);

// The value of the named metric (NaN if absent).
double headline_value(const std::vector<HeadlineMetric>& metrics, const std::string& name);

}  // namespace rxflow
