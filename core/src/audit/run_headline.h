// The headline metrics (store/headline_metrics.h) of a run read back from
// its file. A run that failed before its metrics stage has none.
#pragma once

#include <vector>

#include "store/headline_metrics.h"
#include "store/run_reader.h"

namespace rxflow {

// stages: reader.stages(), which the caller has read already. In run order,
// columns in table order.
std::vector<HeadlineMetric> headline_metrics(const RunReader& reader,
                                             const std::vector<StoredStage>& stages);

}  // namespace rxflow
