#include "feature_grid.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "patient.h"

namespace rxflow::decoder {
namespace {

// A feature the grid varies: its column, its name for a reader, and the
// range its column is min-max normalized over.
struct GridFeature {
  const char* column;
  const char* label;
  double low, high;
};

constexpr GridFeature kGridFeatures[] = {{"age_norm", "age", patients::kMinAge, patients::kMaxAge},
                                         {"genetic_marker", "genetic marker", 0.0, 1.0},
                                         {"comorbidity", "comorbidity", 0.0, 1.0}};

std::string label_of(const GridFeature& feature, double t) {
  std::ostringstream text;
  text << feature.label << ' ' << feature.low + t * (feature.high - feature.low);
  return text.str();
}

}  // namespace

template <typename T>
FeatureGrid<T> feature_grid(const nn::Matrix<T>& input, Eigen::Index feature_offset,
                            const std::vector<std::string>& feature_columns, int steps) {
  FeatureGrid<T> grid;
  grid.features = static_cast<int>(std::size(kGridFeatures));
  grid.steps = steps;
  grid.inputs = input.replicate(grid.features * steps, 1);
  for (int f = 0; f < grid.features; ++f) {
    const GridFeature& feature = kGridFeatures[f];
    const auto found = std::find(feature_columns.begin(), feature_columns.end(), feature.column);
    if (found == feature_columns.end()) {
      throw std::runtime_error(
          std::string("the feature grid needs request_features with a column ") + feature.column +
          " (the cohort's feature columns)");
    }
    const Eigen::Index column = feature_offset + (found - feature_columns.begin());
    for (int k = 0; k < steps; ++k) {
      const double t = static_cast<double>(k) / (steps - 1);
      grid.inputs(f * steps + k, column) = static_cast<T>(t);
      grid.labels.push_back(label_of(feature, t));
    }
  }
  return grid;
}

template FeatureGrid<float> feature_grid(const nn::Matrix<float>&, Eigen::Index,
                                         const std::vector<std::string>&, int);
template FeatureGrid<double> feature_grid(const nn::Matrix<double>&, Eigen::Index,
                                          const std::vector<std::string>&, int);

}  // namespace rxflow::decoder
