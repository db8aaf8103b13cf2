// rxflow show sweep.h5: what a sweep ran, combination by combination (the
// mean and 95% interval of each headline metric over the repeats), and the
// points that failed; --json gives every point too.
#include <cmath>
#include <iomanip>

#include "commands/commands.h"
#include "store/provenance.h"
#include "support/text_escaping.h"
#include "sweep/sweep_report.h"
#include "sweep/sweep_summary.h"

namespace rxflow {
namespace {

struct SweepShowResult {
  std::string index_file;
  SweepIndex index;
  std::vector<CombinationSummary> combinations;
};

nlohmann::ordered_json number_json(double value) {
  return std::isnan(value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value);
}

nlohmann::ordered_json to_json(const SweepShowResult& result) {
  const SweepIndex& index = result.index;
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  for (const auto& [name, value] : index.context) context[name] = value;
  nlohmann::ordered_json combinations = nlohmann::ordered_json::array();
  for (const CombinationSummary& combination : result.combinations) {
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < index.metric_names.size(); ++m) {
      const MetricSummary& metric = combination.metrics[m];
      metrics[index.metric_names[m]] = {{"n", metric.n},
                                        {"mean", number_json(metric.mean)},
                                        {"sd", number_json(metric.sd)},
                                        {"ci95_low", number_json(metric.low)},
                                        {"ci95_high", number_json(metric.high)}};
    }
    combinations.push_back({{"key", combination.key},
                            {"values", combination.values},
                            {"points", combination.points},
                            {"complete", combination.complete},
                            {"failed", combination.failed},
                            {"metrics", metrics}});
  }
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const SweepRow& row : index.rows) {
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < index.metric_names.size(); ++m) {
      metrics[index.metric_names[m]] = number_json(row.metrics[m]);
    }
    points.push_back({{"index", row.index},
                      {"key", row.key},
                      {"values", row.values},
                      {"repeat", row.repeat},
                      {"seed", row.seed},
                      {"status", row.status},
                      {"run_id", row.run_id},
                      {"file", row.file},
                      {"root_hash", row.root_hash},
                      {"error", row.error},
                      {"where", row.where},
                      {"metrics", metrics}});
  }
  return {{"sweep_index", result.index_file},
          {"sweep", index.name},
          {"workflow", index.workflow},
          {"workflow_path", index.workflow_path},
          {"root_seed", index.root_seed},
          {"axes", index.axes},
          {"metric_names", index.metric_names},
          {"context", context},
          {"definition", index.sweep_toml},
          {"combinations", combinations},
          {"points", points}};
}

void print_text(const SweepShowResult& result, std::ostream& out) {
  const SweepIndex& index = result.index;
  std::size_t complete = 0, failed = 0;
  for (const SweepRow& row : index.rows) {
    complete += row.status == "complete";
    failed += row.status == "failed";
  }
  out << "sweep index       " << result.index_file << "\n"
      << "sweep             " << index.name << "\n"
      << "workflow          " << index.workflow << " (" << index.workflow_path << ")\n"
      << "root_seed         " << index.root_seed << "\n"
      << "axes              " << (index.axes.empty() ? "none (repeats only)" : "");
  for (std::size_t a = 0; a < index.axes.size(); ++a) out << (a ? ", " : "") << index.axes[a];
  out << "\npoints            " << index.rows.size() << ": " << complete << " complete, " << failed
      << " failed\n";
  for (const auto& [name, value] : index.context) {
    out << std::left << std::setw(18) << name << value << "\n";
  }
  out << "\nby combination (mean over repeats [95% confidence interval of the mean]):\n";
  for (const CombinationSummary& combination : result.combinations) {
    out << "  " << (combination.key.empty() ? "(no values)" : combination.key) << ": "
        << combination.points << " points";
    if (combination.failed > 0) out << ", " << combination.failed << " failed";
    out << "\n";
    for (std::size_t m = 0; m < index.metric_names.size(); ++m) {
      const MetricSummary& metric = combination.metrics[m];
      out << "    " << std::left << std::setw(22) << index.metric_names[m]
          << decimal_text(metric.mean, 4, "-");
      if (!std::isnan(metric.low)) {
        out << "  [" << decimal_text(metric.low, 4, "-") << ", "
            << decimal_text(metric.high, 4, "-") << "]";
      }
      out << "  n=" << metric.n << "\n";
    }
  }
  if (failed > 0) {
    out << "\nfailed points:\n";
    for (const SweepRow& row : index.rows) {
      if (row.status == "complete") continue;
      out << "  point " << row.index << " (" << (row.key.empty() ? "no values" : row.key)
          << ", repeat " << row.repeat << "): " << row.error << "\n";
    }
  }
}

}  // namespace

int command_report(const std::string& index_file, const std::string& to_dir, std::ostream& out) {
  const SweepIndex index = read_sweep_index(index_file);
  out << write_sweep_report(index, index_file,
                            to_dir.empty() ? default_sweep_report_folder(index_file) : to_dir)
      << "\n";
  return 0;
}

int command_show_sweep(const std::string& index_file, OutputFormat format, std::ostream& out) {
  SweepShowResult result{index_file, read_sweep_index(index_file), {}};
  result.combinations = summarize_sweep(result.index);
  print_result(result, format, out);
  return 0;
}

}  // namespace rxflow
