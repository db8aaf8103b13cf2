// Headline metrics: every column of every metrics table a run holds (outputs
// a plugin declares with `metrics = true`, one row of named numbers;
// rxflow/port.h), by column name. Named by the column; a name met again in
// a later stage is kept as "<stage>.<name>". Used where a run is recorded
// (the recorder hands them to a sweep) and where it is read back (`rxflow
// log`, `diff`). Plain values; pure functions.
#pragma once

#include <string>
#include <vector>

#include "rxflow/artifact.h"

namespace rxflow {

struct HeadlineMetric {
  std::string name;   // the column name ("calibrated_p0", "roc_auc", ...)
  std::string stage;  // the stage whose metrics table holds it
  double value;
};

// Appends the columns of one metrics table (ignored unless float64 with one row).
void add_headline_metrics(std::vector<HeadlineMetric>& metrics, const std::string& stage,
                          const Artifact& table);

// Appends the names of `metrics` that `names` does not hold yet, in order:
// the rows of a table of several runs' metrics.
void add_metric_names(std::vector<std::string>& names, const std::vector<HeadlineMetric>& metrics);

// The value of the named metric (NaN if absent).
double headline_value(const std::vector<HeadlineMetric>& metrics, const std::string& name);

}  // namespace rxflow
