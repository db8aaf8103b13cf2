#include "report/plots.h"

#include <gnuplot-iostream.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/text_escaping.h"

namespace rxflow::report {
namespace {

std::string svg_terminal(int width, int height) {
  return "set terminal svg size " + std::to_string(width) + "," + std::to_string(height) +
         " noenhanced font 'sans,12' background '#ffffff'";
}

}  // namespace

void PlotBatch::begin(const std::string& terminal, const std::string& output) {
  // reset keeps one plot's settings out of the next; the terminal is set anew.
  script_ += "reset\n" + terminal + "\nset output " + gnuplot_quote(output) + "\n";
  outputs_.push_back(output);
}

void PlotBatch::line_plot(const LinePlot& plot, const std::string& svg_path) {
  for (const Series& series : plot.series) {
    const bool bars = !series.y_low.empty() || !series.y_high.empty();
    if (series.y.size() != series.x.size() || (bars && (series.y_low.size() != series.x.size() ||
                                                        series.y_high.size() != series.x.size()))) {
      throw std::invalid_argument(svg_path + ": series \"" + series.title + "\" has " +
                                  std::to_string(series.x.size()) + " x values and " +
                                  std::to_string(series.y.size()) + " y values");
    }
  }
  begin(svg_terminal(640, 400), svg_path);
  std::ostringstream script;
  script << "set title " << gnuplot_quote(plot.title) << "\n"
         << "set xlabel " << gnuplot_quote(plot.xlabel) << "\nset ylabel "
         << gnuplot_quote(plot.ylabel) << "\n"
         << "set grid\nset key bottom right\n";
  if (plot.xrange)
    script << "set xrange [" << round_trip_text(plot.xrange->first) << ":"
           << round_trip_text(plot.xrange->second) << "]\n";
  if (plot.yrange)
    script << "set yrange [" << round_trip_text(plot.yrange->first) << ":"
           << round_trip_text(plot.yrange->second) << "]\n";
  if (!plot.xtics.empty()) {
    script << "set xtics (";
    for (std::size_t i = 0; i < plot.xtics.size(); ++i) {
      script << (i ? ", " : "") << gnuplot_quote(plot.xtics[i].second) << " "
             << round_trip_text(plot.xtics[i].first);
    }
    script << ")\n";
  }
  script << "plot ";
  if (plot.diagonal) script << "x with lines dt 3 lc rgb '#888888' title 'perfect', ";
  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    const bool bars = !plot.series[i].y_low.empty();
    script << (i ? ", " : "") << "'-' using " << (bars ? "1:2:3:4" : "1:2") << " with "
           << plot.series[i].style << " title " << gnuplot_quote(plot.series[i].title);
  }
  script << "\n";
  for (const Series& series : plot.series) {
    for (std::size_t j = 0; j < series.x.size(); ++j) {
      script << round_trip_text(series.x[j]) << " " << round_trip_text(series.y[j]);
      if (!series.y_low.empty()) {
        script << " " << round_trip_text(series.y_low[j]) << " "
               << round_trip_text(series.y_high[j]);
      }
      script << "\n";
    }
    script << "e\n";
  }
  script_ += script.str() + "set output\n";
}

void PlotBatch::confusion_heatmap(const std::array<std::int64_t, 4>& counts,
                                  const std::string& title, const std::string& svg_path) {
  begin(svg_terminal(400, 360), svg_path);
  std::ostringstream script;
  script << "set title " << gnuplot_quote(title) << "\nunset colorbox\nunset key\n"
         << "set palette defined (0 '#f7fbff', 1 '#08519c')\n"
         << "set xrange [-0.5:1.5]\nset yrange [1.5:-0.5]\n"
         << "set xtics ('predicted 0' 0, 'predicted 1' 1)\nset ytics ('true 0' 0, 'true 1' 1)\n"
         << "set xlabel 'predicted class'\nset ylabel 'true class'\n"
         << "plot '-' using 1:2:3 with image pixels, '-' using 1:2:(sprintf('%d', $3)) with labels "
            "font 'sans,16'\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (int row = 0; row < 2; ++row) {
      for (int col = 0; col < 2; ++col)
        script << col << " " << row << " " << counts[static_cast<std::size_t>(2 * row + col)]
               << "\n";
    }
    script << "e\n";
  }
  script_ += script.str() + "set output\n";
}

void PlotBatch::render(const std::string& log_path) {
  {
    Gnuplot gnuplot("gnuplot 2> " + shell_quote(log_path));
    gnuplot << script_;
  }
  std::ifstream messages(log_path);
  std::string first_line;
  std::getline(messages, first_line);
  std::error_code error;
  std::filesystem::remove(log_path, error);
  for (const std::string& output : outputs_) {
    if (std::filesystem::file_size(output, error) == 0 || error) {
      throw std::runtime_error(
          output + ": gnuplot did not write the plot (" +
          (first_line.empty() ? std::string("is gnuplot installed?") : first_line) + ")");
    }
  }
  script_.clear();
  outputs_.clear();
}

}  // namespace rxflow::report
