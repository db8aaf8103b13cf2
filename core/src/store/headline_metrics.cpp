#include "store/headline_metrics.h"

#include <algorithm>
#include <cmath>

namespace rxflow {

void add_headline_metrics(std::vector<HeadlineMetric>& metrics, const std::string& stage,
                          const Artifact& table) {
  const auto* values = std::get_if<std::vector<double>>(&table.values);
  if (!values || table.shape.size() != 2 || table.shape[0] != 1) return;
  for (std::size_t c = 0; c < table.columns.size() && c < values->size(); ++c) {
    const std::string& column = table.columns[c];
    bool taken = false;
    for (const HeadlineMetric& metric : metrics) taken |= metric.name == column;
    metrics.push_back({taken ? stage + "." + column : column, stage, (*values)[c]});
  }
}

void add_metric_names(std::vector<std::string>& names, const std::vector<HeadlineMetric>& metrics) {
  for (const HeadlineMetric& metric : metrics) {
    if (std::find(names.begin(), names.end(), metric.name) == names.end()) {
      names.push_back(metric.name);
    }
  }
}

double headline_value(const std::vector<HeadlineMetric>& metrics, const std::string& name) {
  for (const HeadlineMetric& metric : metrics) {
    if (metric.name == name) return metric.value;
  }
  return NAN;
}

}  // namespace rxflow
