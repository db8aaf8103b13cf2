// The report's plots, drawn by gnuplot (through gnuplot-iostream) into SVG
// files, and the generated images into grayscale PNGs. Every text that may
// come from a workflow file passes through gnuplot_quote. Each call runs one
// gnuplot process; throws std::runtime_error naming the file when gnuplot
// is missing or fails to write it.
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
  std::string style = "lines lw 2";  // gnuplot's "with" clause; never workflow text
};

struct LinePlot {
  std::string title, xlabel, ylabel;
  std::optional<std::pair<double, double>> xrange, yrange;
  bool diagonal = false;  // the y = x reference line (ROC, reliability)
  std::vector<Series> series;
};

void write_line_plot(const LinePlot& plot, const std::string& svg_path);
// counts [[TN, FP], [FN, TP]].
void write_confusion_heatmap(const std::array<std::int64_t, 4>& counts, const std::string& title,
                             const std::string& svg_path);
// pixels row-major (height, width), values in [0, 1]; drawn 4x enlarged.
void write_grayscale_png(const std::vector<double>& pixels, int height, int width, const std::string& png_path);

}  // namespace rxflow::report
