#include "rxflow/plugin.h"

namespace rxflow {

std::string plugin_kind_name(PluginKind kind) {
  switch (kind) {
    case PluginKind::kSimulator:
      return "simulator";
    case PluginKind::kEmbedding:
      return "embedding";
    case PluginKind::kClassifier:
      return "classifier";
    case PluginKind::kCalibrator:
      return "calibrator";
    case PluginKind::kEvaluator:
      return "evaluator";
    case PluginKind::kGenerator:
      return "generator";
    case PluginKind::kReporter:
      return "reporter";
  }
  return "unknown";
}

}  // namespace rxflow
