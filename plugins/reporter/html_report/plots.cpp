#include "plots.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gnuplot-iostream.h>
#include <sstream>

#include "text_escaping.h"

namespace rxflow::report {
namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// Runs gnuplot on `script`, its messages kept beside the output, and
// checks that the output file was written.
void run_gnuplot(const std::string& script, const std::string& output) {
  const std::string log = output + ".gnuplot.log";
  {
    Gnuplot gnuplot("gnuplot 2> " + gnuplot_quote(log));
    gnuplot << "set output " << gnuplot_quote(output) << "\n" << script << "set output\n";
  }
  std::error_code error;
  const bool written = std::filesystem::file_size(output, error) > 0 && !error;
  std::ifstream messages(log);
  std::string first_line;
  std::getline(messages, first_line);
  std::filesystem::remove(log, error);
  if (!written) {
    throw std::runtime_error(output + ": gnuplot did not write the plot (" +
                             (first_line.empty() ? std::string("is gnuplot installed?") : first_line) + ")");
  }
}

std::string svg_terminal() { return "set terminal svg size 640,400 noenhanced font 'sans,12' background '#ffffff'\n"; }

}  // namespace

void write_line_plot(const LinePlot& plot, const std::string& svg_path) {
  std::ostringstream script;
  script << svg_terminal() << "set title " << gnuplot_quote(plot.title) << "\n"
         << "set xlabel " << gnuplot_quote(plot.xlabel) << "\nset ylabel " << gnuplot_quote(plot.ylabel) << "\n"
         << "set grid\nset key bottom right\n";
  if (plot.xrange) script << "set xrange [" << number(plot.xrange->first) << ":" << number(plot.xrange->second) << "]\n";
  if (plot.yrange) script << "set yrange [" << number(plot.yrange->first) << ":" << number(plot.yrange->second) << "]\n";
  script << "plot ";
  if (plot.diagonal) script << "x with lines dt 3 lc rgb '#888888' title 'perfect', ";
  for (std::size_t i = 0; i < plot.series.size(); ++i) {
    script << (i ? ", " : "") << "'-' using 1:2 with " << plot.series[i].style << " title "
           << gnuplot_quote(plot.series[i].title);
  }
  script << "\n";
  for (const Series& series : plot.series) {
    for (std::size_t j = 0; j < series.x.size(); ++j) script << number(series.x[j]) << " " << number(series.y[j]) << "\n";
    script << "e\n";
  }
  run_gnuplot(script.str(), svg_path);
}

void write_confusion_heatmap(const std::array<std::int64_t, 4>& counts, const std::string& title,
                             const std::string& svg_path) {
  std::ostringstream script;
  script << "set terminal svg size 400,360 noenhanced font 'sans,12' background '#ffffff'\n"
         << "set title " << gnuplot_quote(title) << "\nunset colorbox\nunset key\n"
         << "set palette defined (0 '#f7fbff', 1 '#08519c')\n"
         << "set xrange [-0.5:1.5]\nset yrange [1.5:-0.5]\n"
         << "set xtics ('predicted 0' 0, 'predicted 1' 1)\nset ytics ('true 0' 0, 'true 1' 1)\n"
         << "set xlabel 'predicted class'\nset ylabel 'true class'\n"
         << "plot '-' using 1:2:3 with image pixels, '-' using 1:2:(sprintf('%d', $3)) with labels font 'sans,16'\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (int row = 0; row < 2; ++row) {
      for (int col = 0; col < 2; ++col) script << col << " " << row << " " << counts[static_cast<std::size_t>(2 * row + col)] << "\n";
    }
    script << "e\n";
  }
  run_gnuplot(script.str(), svg_path);
}

void write_grayscale_png(const std::vector<double>& pixels, int height, int width, const std::string& png_path) {
  std::ostringstream script;
  script << "set terminal pngcairo size " << 4 * width << "," << 4 * height << "\n"
         << "set margins 0,0,0,0\nunset border\nunset tics\nunset key\nunset colorbox\n"
         << "set palette gray\nset cbrange [0:1]\n"
         << "set xrange [-0.5:" << width - 0.5 << "]\nset yrange [" << height - 0.5 << ":-0.5]\n"
         << "plot '-' matrix with image pixels\n";
  for (int r = 0; r < height; ++r) {
    for (int c = 0; c < width; ++c) script << (c ? " " : "") << number(pixels[static_cast<std::size_t>(r * width + c)]);
    script << "\n";
  }
  script << "e\n";
  run_gnuplot(script.str(), png_path);
}

}  // namespace rxflow::report
