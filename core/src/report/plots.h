// The reports' plots (a run's report, a sweep's), drawn by gnuplot (through
// gnuplot-iostream) into SVG files. A PlotBatch collects
// every plot and draws them all in one gnuplot process (starting gnuplot
// costs more than drawing). Every text that may come from a workflow file
// passes through gnuplot_quote. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rxflow::report {

struct Series {
  std::string title;
  std::vector<double> x, y;
  std::string style = "lines lw 2";   // gnuplot's "with" clause; never workflow text
  std::vector<double> y_low, y_high;  // error bars when given (style "yerrorlines" etc.)
};

struct LinePlot {
  std::string title, xlabel, ylabel;
  std::optional<std::pair<double, double>> xrange, yrange;
  bool diagonal = false;  // the y = x reference line (ROC, reliability)
  std::vector<Series> series;
  std::vector<std::pair<double, std::string>> xtics;  // labelled x positions; gnuplot's own if none
};

class PlotBatch {
 public:
  void line_plot(const LinePlot& plot, const std::string& svg_path);
  // counts [[TN, FP], [FN, TP]].
  void confusion_heatmap(const std::array<std::int64_t, 4>& counts, const std::string& title,
                         const std::string& svg_path);

  // Draws everything added so far. Throws std::runtime_error naming the
  // first file gnuplot did not write (gnuplot missing, or its message).
  void render(const std::string& log_path);

 private:
  void begin(const std::string& terminal, const std::string& output);

  std::string script_;
  std::vector<std::string> outputs_;
};

}  // namespace rxflow::report
