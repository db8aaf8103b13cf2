#include "sweep/sweep_report.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "report/plots.h"
#include "support/errors.h"
#include "support/text_escaping.h"
#include "sweep/sweep_summary.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// More points than this are left out of the page's table (rxflow show
// --json lists them all).
constexpr std::size_t kPointRows = 1000;

std::optional<double> number_of(const std::string& toml) {
  char* end = nullptr;
  const double value = std::strtod(toml.c_str(), &end);
  if (toml.empty() || end != toml.c_str() + toml.size() || !std::isfinite(value)) return {};
  return value;
}

// An axis's values in the order they first appear, and where each sits on
// the x axis: the value itself when every value is a number, else its rank
// (with the values as labels).
struct AxisScale {
  std::vector<std::string> values;
  std::map<std::string, double> x;
  bool numeric = true;
};

AxisScale axis_scale(const std::vector<CombinationSummary>& combinations, std::size_t axis) {
  AxisScale scale;
  for (const CombinationSummary& combination : combinations) {
    const std::string& value = combination.values[axis];
    if (scale.x.count(value) == 0) {
      scale.x[value] = 0;
      scale.values.push_back(value);
    }
    scale.numeric = scale.numeric && number_of(value).has_value();
  }
  for (std::size_t i = 0; i < scale.values.size(); ++i) {
    scale.x[scale.values[i]] = scale.numeric ? *number_of(scale.values[i]) : static_cast<double>(i);
  }
  return scale;
}

// The other axes' values of a combination, as a series title.
std::string others_title(const SweepIndex& index, const CombinationSummary& combination,
                         std::size_t axis) {
  std::string title;
  for (std::size_t a = 0; a < index.axes.size(); ++a) {
    if (a == axis) continue;
    title += (title.empty() ? "" : ", ") + index.axes[a] + "=" + combination.values[a];
  }
  return title.empty() ? "mean" : title;
}

report::LinePlot metric_plot(const SweepIndex& index,
                             const std::vector<CombinationSummary>& combinations,
                             std::size_t metric, std::size_t axis) {
  const AxisScale scale = axis_scale(combinations, axis);
  report::LinePlot plot;
  plot.title = index.metric_names[metric] + " by " + index.axes[axis];
  plot.xlabel = index.axes[axis];
  plot.ylabel = index.metric_names[metric] + " (mean, 95% interval)";
  if (!scale.numeric) {
    for (const std::string& value : scale.values) plot.xtics.emplace_back(scale.x.at(value), value);
    plot.xrange = {-0.5, static_cast<double>(scale.values.size()) - 0.5};
  } else {
    // A margin, so the error bars at the ends are not drawn on the frame.
    double low = scale.x.at(scale.values.front()), high = low;
    for (const auto& [value, x] : scale.x) {
      low = std::min(low, x);
      high = std::max(high, x);
    }
    const double margin = high > low ? 0.05 * (high - low) : 0.5;
    plot.xrange = {low - margin, high + margin};
  }
  std::map<std::string, std::size_t> series_of;  // others' title -> index in plot.series
  for (const CombinationSummary& combination : combinations) {
    const MetricSummary& summary = combination.metrics[metric];
    if (summary.n == 0) continue;
    const std::string title = others_title(index, combination, axis);
    if (series_of.count(title) == 0) {
      series_of[title] = plot.series.size();
      plot.series.push_back({title, {}, {}, "yerrorlines lw 2 pt 7", {}, {}});
    }
    report::Series& series = plot.series[series_of.at(title)];
    series.x.push_back(scale.x.at(combination.values[axis]));
    series.y.push_back(summary.mean);
    series.y_low.push_back(std::isnan(summary.low) ? summary.mean : summary.low);
    series.y_high.push_back(std::isnan(summary.high) ? summary.mean : summary.high);
  }
  return plot;
}

std::string cell(double value) { return "<td>" + decimal_text(value, 4, "&ndash;") + "</td>"; }

std::string interval_cell(const MetricSummary& metric) {
  std::string text = decimal_text(metric.mean, 4, "&ndash;");
  if (!std::isnan(metric.low)) {
    text += " <small>[" + decimal_text(metric.low, 4, "") + ", " +
            decimal_text(metric.high, 4, "") + "]</small>";
  }
  return "<td>" + text + "</td>";
}

}  // namespace

std::string default_sweep_report_folder(const std::string& index_file) {
  return (fs::path(index_file).parent_path() / "report").string();
}

std::string write_sweep_report(const SweepIndex& index, const std::string& index_file,
                               const std::string& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error)
    throw InputError(folder + ": cannot create the report's folder (" + error.message() + ")");
  const std::vector<CombinationSummary> combinations = summarize_sweep(index);
  const fs::path sweep_folder = fs::path(index_file).parent_path();
  // Links to the point files, relative to the page.
  const fs::path to_points = fs::relative(sweep_folder, folder, error);

  std::size_t complete = 0, failed = 0;
  for (const SweepRow& row : index.rows) {
    complete += row.status == "complete";
    failed += row.status == "failed";
  }
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Sweep "
       << html_escape(index.name) << " of " << html_escape(index.workflow)
       << "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
          "padding:0 1em}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid "
          "#ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}td.text{text-align:left}"
          "figure{display:inline-block;width:48%;margin:0.5%}img{width:100%}.failed{color:#b00}"
          "</style></head><body>\n";
  page << "<h1>Sweep " << html_escape(index.name) << " of " << html_escape(index.workflow)
       << "</h1>\n<p id=\"summary\">" << index.rows.size() << " points (" << combinations.size()
       << " combinations): " << complete << " complete, " << failed << " failed. Root seed "
       << index.root_seed << ". Index <a href=\""
       << html_escape((to_points / fs::path(index_file).filename()).string()) << "\">"
       << html_escape(fs::path(index_file).filename().string()) << "</a>.</p>\n";

  report::PlotBatch plots;
  page << "<h2>Metrics by swept parameter</h2>\n";
  if (index.axes.empty() || index.metric_names.empty()) {
    page << "<p>Nothing to plot: the sweep "
         << (index.axes.empty() ? "varies no parameter (repeats only)" : "has no headline metrics")
         << ".</p>\n";
  }
  for (std::size_t a = 0; a < index.axes.size(); ++a) {
    for (std::size_t m = 0; m < index.metric_names.size(); ++m) {
      const report::LinePlot plot = metric_plot(index, combinations, m, a);
      if (plot.series.empty()) continue;
      const std::string file = "metric" + std::to_string(m) + "_axis" + std::to_string(a) + ".svg";
      plots.line_plot(plot, (fs::path(folder) / file).string());
      page << "<figure><img src=\"" << file << "\" alt=\"" << html_escape(plot.title)
           << "\"></figure>\n";
    }
  }
  plots.render((fs::path(folder) / ".gnuplot.log").string());

  page << "<h2>Combinations</h2>\n<p>Mean over the repeats [95% confidence interval of the "
          "mean, Student's t].</p>\n<table id=\"combinations\"><tr>";
  for (const std::string& axis : index.axes) page << "<th>" << html_escape(axis) << "</th>";
  page << "<th>points</th><th>failed</th>";
  for (const std::string& metric : index.metric_names)
    page << "<th>" << html_escape(metric) << "</th>";
  page << "</tr>\n";
  for (const CombinationSummary& combination : combinations) {
    page << "<tr class=\"combination\">";
    for (const std::string& value : combination.values) {
      page << "<td class=\"text\">" << html_escape(value) << "</td>";
    }
    page << "<td>" << combination.points << "</td><td>" << combination.failed << "</td>";
    for (const MetricSummary& metric : combination.metrics) page << interval_cell(metric);
    page << "</tr>\n";
  }
  page << "</table>\n";

  page << "<h2>Points</h2>\n";
  if (index.rows.size() > kPointRows) {
    page << "<p>The first " << kPointRows << " of " << index.rows.size()
         << " points; <code>rxflow show --json sweep.h5</code> lists them all.</p>\n";
  }
  page << "<table id=\"points\"><tr><th>point</th><th>values</th><th>repeat</th><th>seed</th>"
          "<th>status</th><th>run file</th><th>root hash</th>";
  for (const std::string& metric : index.metric_names)
    page << "<th>" << html_escape(metric) << "</th>";
  page << "</tr>\n";
  for (std::size_t i = 0; i < index.rows.size() && i < kPointRows; ++i) {
    const SweepRow& row = index.rows[i];
    page << "<tr class=\"point" << (row.status == "complete" ? "" : " failed") << "\"><td>"
         << row.index << "</td><td class=\"text\">" << html_escape(row.key) << "</td><td>"
         << row.repeat << "</td><td>" << row.seed << "</td><td class=\"text\">"
         << html_escape(row.status);
    if (!row.error.empty()) page << ": " << html_escape(row.error);
    page << "</td><td class=\"text\">";
    if (!row.file.empty()) {
      page << "<a href=\"" << html_escape((to_points / row.file).string()) << "\">"
           << html_escape(row.file) << "</a>";
    }
    page << "</td><td class=\"text\"><code>" << html_escape(row.root_hash.substr(0, 12))
         << "</code></td>";
    for (double value : row.metrics) page << cell(value);
    page << "</tr>\n";
  }
  page << "</table>\n<h2>Definition</h2>\n<pre>" << html_escape(index.sweep_toml) << "</pre>\n";
  if (!index.context.empty()) {
    page << "<table id=\"context\">";
    for (const auto& [name, value] : index.context) {
      page << "<tr><th>" << html_escape(name) << "</th><td class=\"text\">" << html_escape(value)
           << "</td></tr>";
    }
    page << "</table>\n";
  }
  page << "</body></html>\n";

  const std::string path = (fs::path(folder) / "report.html").string();
  const std::string temp = path + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << page.str();
    if (!out.flush()) throw InputError(temp + ": cannot write the sweep report");
  }
  fs::rename(temp, path, error);
  if (error) throw InputError(path + ": cannot write the sweep report (" + error.message() + ")");
  return path;
}

}  // namespace rxflow
