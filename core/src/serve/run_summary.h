// RunSummary: what rxflow serve shows of one run file: the attributes and
// headline metrics `rxflow log` lists (status, time, root hash, p0 and
// calibrated_p0, ...), the request the run answered (the requests stage's
// first row, read back from the resolved workflow the file holds) and every
// stage parameter the run had (from the same place), the
// drugs that fell back to a generated embedding, and the run's folder for
// people (the report). RunSummaries caches them for ended runs, whose files
// no longer change. Thread-safe.
//
// Unlike `rxflow log`, files are read in this process, not in a child:
// forking a process that has other threads running is not safe, and the
// files are the ones this results folder's runs wrote.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "audit/run_overview.h"
#include "store/headline_metrics.h"

namespace rxflow {

// run_id is the file name's (the id the routes use).
struct RunSummary : RunOverview {
  std::string file;       // the run file (<run-id>.h5 or <run-id>.failed.h5)
  std::string serve_job;  // the tag rxflow serve gave it, when it made it
  std::vector<std::pair<std::string, std::string>> request;  // column -> value as a form shows it
  std::vector<std::pair<std::string, std::string>> params;   // "stage.param" -> value, likewise
  std::vector<std::string> unknown_drugs;
  std::vector<HeadlineMetric> metrics;
  std::string report_dir;  // "" when the run has none
  std::string read_error;  // set when the file could not be read (the rest is empty)

  double metric(const std::string& name) const;                // NaN when absent
  std::string request_value(const std::string& column) const;  // "" when absent
  std::string param_value(const std::string& name) const;      // "" when absent
};

// Run ids as RunRecorder makes them: 20261122-015458-35368b.
bool is_run_id(const std::string& text);

class RunSummaries {
 public:
  // workflow_dir: <results>/<workflow>.
  explicit RunSummaries(std::string workflow_dir) : workflow_dir_(std::move(workflow_dir)) {}
  // The run's file in the folder, "" when there is none. REQUIRES: is_run_id(run_id).
  std::string run_file(const std::string& run_id) const;
  // nullopt when the folder holds no ended run of that id.
  std::optional<RunSummary> find(const std::string& run_id);
  // Every ended run in the folder, newest first.
  std::vector<RunSummary> all();

 private:
  RunSummary read(const std::string& file);

  const std::string workflow_dir_;
  std::mutex mutex_;
  std::map<std::string, RunSummary> by_file_;
};

}  // namespace rxflow
