// The sweep report: one HTML page, report.html, in a folder of its own
// (by default report/ beside sweep.h5), with each headline metric plotted
// against each swept parameter (the mean over the repeats and its 95%
// confidence interval, sweep_summary.h; one line per value of the other
// axes), the combinations' table, the points' table with links to their run
// files, and the sweep's definition. Every text from the index is escaped
// for HTML and gnuplot. Not thread-safe (one gnuplot process).
#pragma once

#include <string>

#include "store/sweep_index.h"

namespace rxflow {

// The report/ folder beside the index.
std::string default_sweep_report_folder(const std::string& index_file);

// Writes report.html and its plots into folder (created) and returns the
// page's path. Throws InputError when the folder cannot be written and
// std::runtime_error when gnuplot cannot draw.
std::string write_sweep_report(const SweepIndex& index, const std::string& index_file,
                               const std::string& folder);

}  // namespace rxflow
