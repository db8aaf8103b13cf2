// rxflow log: the audit view of a results folder. Every run file below the
// folder is one row, whatever state it is in: complete, failed, running (a
// .partial file another rxflow is writing), interrupted (a .partial file no
// one writes) or corrupt (unreadable, or not a run file). A sweep is one
// row (from its index, sweep.h5: its points, how many failed, the mean of
// each headline metric) standing for the point files the index lists;
// --points lists them one by one instead. Each file is read in a child
// process (support/isolated.h), so one damaged file cannot stop the
// listing of the others.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <map>
#include <regex>
#include <set>

#include "audit/run_headline.h"
#include "audit/run_overview.h"
#include "commands/commands.h"
#include "store/partial_files.h"
#include "store/provenance.h"
#include "store/run_reader.h"
#include "store/sweep_index.h"
#include "support/errors.h"
#include "support/isolated.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// A file that takes longer than this to summarise is taken for damaged.
constexpr double kSecondsPerFile = 60;

struct LogRow {
  std::string time;  // started_at
  std::string workflow;
  std::string run_id;
  std::string seed;
  std::string status;
  std::vector<std::pair<std::string, double>> metrics;  // headline metrics, by name
  std::string root_hash;
  std::string file;
  std::string note;  // the error of a failed run, why a file is corrupt
  std::vector<std::string> unknown_drugs;
  std::string kind = "run";         // or "sweep"
  std::vector<std::string> covers;  // a sweep's point files (paths)
};

// Reading a file in a child gives a row back as JSON (ordered: metrics
// keep the order of their table).
nlohmann::ordered_json row_json(const LogRow& row) {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const auto& [name, value] : row.metrics) metrics[name] = value;
  return {{"time", row.time},           {"workflow", row.workflow},
          {"run_id", row.run_id},       {"seed", row.seed},
          {"status", row.status},       {"metrics", metrics},
          {"root_hash", row.root_hash}, {"file", row.file},
          {"note", row.note},           {"unknown_drugs", row.unknown_drugs},
          {"kind", row.kind},           {"covers", row.covers}};
}

LogRow row_from_json(const nlohmann::ordered_json& json) {
  LogRow row;
  for (const auto& [field, key] : {std::pair{&row.time, "time"},
                                   {&row.workflow, "workflow"},
                                   {&row.run_id, "run_id"},
                                   {&row.seed, "seed"},
                                   {&row.status, "status"},
                                   {&row.root_hash, "root_hash"},
                                   {&row.file, "file"},
                                   {&row.note, "note"}}) {
    *field = json.at(key).get<std::string>();
  }
  for (const auto& [name, value] : json.at("metrics").items()) {
    row.metrics.emplace_back(name, value.is_number() ? value.get<double>() : NAN);
  }
  row.unknown_drugs = json.at("unknown_drugs").get<std::vector<std::string>>();
  row.kind = json.at("kind").get<std::string>();
  row.covers = json.at("covers").get<std::vector<std::string>>();
  return row;
}

// A sweep's row, from its index: "complete" when every point is.
LogRow read_sweep_row(const std::string& file) {
  LogRow row;
  row.file = file;
  row.kind = "sweep";
  try {
    const SweepIndex index = read_sweep_index(file);
    const NamedText& context = index.context;
    for (const auto& [name, value] : context) {
      if (name == "started_at") row.time = value;
    }
    row.workflow = index.workflow;
    row.run_id = "sweep " + index.name;
    row.seed = std::to_string(index.root_seed);
    std::size_t complete = 0;
    std::vector<double> sums(index.metric_names.size(), 0);
    std::vector<std::size_t> counts(index.metric_names.size(), 0);
    const fs::path folder = fs::path(file).parent_path();
    for (const SweepRow& point : index.rows) {
      complete += point.status == "complete";
      if (!point.file.empty()) row.covers.push_back((folder / point.file).string());
      for (std::size_t m = 0; m < sums.size() && m < point.metrics.size(); ++m) {
        if (std::isnan(point.metrics[m])) continue;
        sums[m] += point.metrics[m];
        ++counts[m];
      }
    }
    row.status = complete == index.rows.size() ? "complete" : "failed";
    row.note = std::to_string(index.rows.size()) + " points, " +
               std::to_string(index.rows.size() - complete) +
               " failed; metrics are means over the points";
    for (std::size_t m = 0; m < sums.size(); ++m) {
      row.metrics.emplace_back(index.metric_names[m],
                               counts[m] ? sums[m] / static_cast<double>(counts[m]) : NAN);
    }
  } catch (const std::exception& error) {
    row.status = "corrupt";
    row.note = error.what();
  }
  return row;
}

bool is_run_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".h5") || name.ends_with(".h5.partial");
}

constexpr const char* kInterruptedNote =
    "the run stopped before it ended (killed or crashed); rxflow clean removes it";

// A row told from a .partial file's name alone: ".<run-id>.h5.partial" in
// the workflow's folder.
LogRow partial_row(const std::string& file, const std::string& status, const std::string& note) {
  LogRow row;
  row.file = file;
  row.status = status;
  row.note = note;
  const std::string name = std::filesystem::path(file).filename().string();
  row.run_id = name.substr(1, name.size() - std::string(".h5.partial").size() - 1);
  row.workflow = std::filesystem::path(file).parent_path().filename().string();
  return row;
}

LogRow read_row(const std::string& file, bool unknown_drugs) {
  if (file.ends_with(".partial") && being_written(file)) {
    return partial_row(file, "running", "another rxflow is writing it");
  }
  LogRow row;
  row.file = file;
  try {
    const RunReader reader(file);
    const RunOverview run = run_overview(reader);
    row.time = run.started_at;
    row.workflow = run.workflow;
    row.run_id = run.run_id;
    row.seed = run.seed;
    row.status = run.status;
    row.root_hash = run.root_hash;
    row.note = run.error;
    if (row.status == "running") {
      row.status = "interrupted";
      row.note = kInterruptedNote;
    }
    const std::vector<StoredStage> stages = reader.stages();
    for (const HeadlineMetric& metric : headline_metrics(reader, stages)) {
      row.metrics.emplace_back(metric.name, metric.value);
    }
    if (unknown_drugs) row.unknown_drugs = generated_embedding_drugs(reader, stages);
  } catch (const std::exception& error) {
    if (file.ends_with(".partial")) {
      // Nobody writes it and it does not read: the writer was killed before
      // HDF5 wrote its metadata out (runs are not flushed stage by stage).
      return partial_row(file, "interrupted", kInterruptedNote);
    }
    row.status = "corrupt";
    row.note = error.what();
    const std::string prefix = file + ": ";
    if (row.note.starts_with(prefix)) row.note.erase(0, prefix.size());
  }
  return row;
}

// Reads each file in a child process; one that crashes it or hangs is a
// corrupt row.
std::vector<LogRow> read_isolated(const std::vector<std::string>& files,
                                  const std::function<LogRow(const std::string&)>& read) {
  const std::vector<IsolatedOutcome> outcomes = map_isolated(
      files.size(), [&](std::size_t i) { return row_json(read(files[i])).dump(); },
      kSecondsPerFile);
  std::vector<LogRow> rows;
  for (std::size_t i = 0; i < files.size(); ++i) {
    LogRow row;
    if (outcomes[i].kind == IsolatedOutcome::Kind::kDone) {
      row = row_from_json(nlohmann::ordered_json::parse(outcomes[i].output));
    } else {
      row.file = files[i];
      row.status = "corrupt";
      row.note = "reading it " +
                 std::string(outcomes[i].kind == IsolatedOutcome::Kind::kCrashed
                                 ? "crashed the HDF5 library"
                                 : "did not end") +
                 " (" + outcomes[i].reason + ")";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

double metric_of(const LogRow& row, const std::string& name) {
  for (const auto& [key, value] : row.metrics) {
    if (key == name) return value;
  }
  return NAN;
}

// The metric names of all rows, in the order first met.
std::vector<std::string> metric_names(const std::vector<LogRow>& rows) {
  std::vector<std::string> names;
  for (const LogRow& row : rows) {
    for (const auto& [name, value] : row.metrics) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  return names;
}

void print_table(const std::vector<LogRow>& rows, std::ostream& out) {
  // The table shows the first few metrics; --json and --csv give them all.
  std::vector<std::string> shown = metric_names(rows);
  if (shown.size() > 3) shown.resize(3);
  out << std::left << std::setw(22) << "time" << std::setw(14) << "workflow" << std::setw(24)
      << "run id" << std::setw(12) << "seed" << std::setw(13) << "status";
  for (const std::string& name : shown) out << std::setw(std::max<int>(9, name.size() + 2)) << name;
  out << std::setw(14) << "root hash"
      << "file\n";
  for (const LogRow& row : rows) {
    out << std::setw(22) << (row.time.empty() ? "-" : row.time) << std::setw(14)
        << (row.workflow.empty() ? "-" : row.workflow) << std::setw(24)
        << (row.run_id.empty() ? "-" : row.run_id) << std::setw(12)
        << (row.seed.empty() ? "-" : row.seed) << std::setw(13) << row.status;
    for (const std::string& name : shown) {
      out << std::setw(std::max<int>(9, name.size() + 2))
          << decimal_text(metric_of(row, name), 4, "-");
    }
    out << std::setw(14) << (row.root_hash.empty() ? "-" : hash_prefix(row.root_hash)) << row.file;
    if (!row.note.empty()) out << "  (" << row.note << ")";
    out << "\n";
  }
}

void print_json(const std::vector<LogRow>& rows, std::ostream& out) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const LogRow& row : rows) {
    nlohmann::ordered_json entry = row_json(row);
    entry.erase("unknown_drugs");
    entry.erase("covers");
    list.push_back(std::move(entry));
  }
  out << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void print_csv(const std::vector<LogRow>& rows, std::ostream& out) {
  const std::vector<std::string> names = metric_names(rows);
  out << "time,workflow,run_id,seed,status";
  for (const std::string& name : names) out << "," << csv_field(name);
  out << ",root_hash,file,note\n";
  for (const LogRow& row : rows) {
    out << csv_field(row.time) << "," << csv_field(row.workflow) << "," << csv_field(row.run_id)
        << "," << row.seed << "," << row.status;
    for (const std::string& name : names) out << "," << decimal_text(metric_of(row, name), 6, "");
    out << "," << row.root_hash << "," << csv_field(row.file) << "," << csv_field(row.note) << "\n";
  }
}

// The curation log: every drug that fell back to a generated embedding.
void print_unknown_drugs(const std::vector<LogRow>& rows, OutputFormat format, std::ostream& out) {
  std::map<std::string, std::vector<const LogRow*>> runs_by_drug;
  for (const LogRow& row : rows) {
    for (const std::string& drug : row.unknown_drugs) runs_by_drug[drug].push_back(&row);
  }
  if (format == OutputFormat::kCsv) {
    out << "drug,workflow,run_id,file\n";
    for (const auto& [drug, runs] : runs_by_drug) {
      for (const LogRow* row : runs) {
        out << csv_field(drug) << "," << csv_field(row->workflow) << "," << row->run_id << ","
            << csv_field(row->file) << "\n";
      }
    }
    return;
  }
  if (format == OutputFormat::kJson) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [drug, runs] : runs_by_drug) {
      std::vector<std::string> ids;
      for (const LogRow* row : runs) ids.push_back(row->run_id);
      list.push_back({{"drug", drug}, {"runs", ids}});
    }
    out << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  if (runs_by_drug.empty()) {
    out << "no unknown drugs: every requested drug had an embedding\n";
    return;
  }
  out << std::left << std::setw(24) << "drug" << std::setw(6) << "runs"
      << "run ids\n";
  for (const auto& [drug, runs] : runs_by_drug) {
    out << std::setw(24) << drug << std::setw(6) << runs.size();
    for (std::size_t i = 0; i < runs.size(); ++i) out << (i ? " " : "") << runs[i]->run_id;
    out << "\n";
  }
}

}  // namespace

int command_log(const LogArgs& args, std::ostream& out) {
  static const std::regex iso_time(R"(\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}Z?)?)?)?)");
  if (!args.since.empty() && !std::regex_match(args.since, iso_time)) {
    throw InputError(
        "--since: expected a date or time like 2026-11-22 or 2026-11-22T09:30:00Z, "
        "got \"" +
        args.since + "\"");
  }
  static const std::vector<std::string> statuses{"complete", "failed", "running", "interrupted",
                                                 "corrupt"};
  if (!args.status.empty() &&
      std::find(statuses.begin(), statuses.end(), args.status) == statuses.end()) {
    throw InputError(
        "--status: expected complete, failed, running, interrupted or corrupt, got \"" +
        args.status + "\"");
  }
  std::error_code error;
  if (!fs::is_directory(args.results_dir, error))
    throw InputError(args.results_dir + ": no such results folder");
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(args.results_dir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file(error) && is_run_file(it->path())) files.push_back(it->path().string());
  }
  if (error)
    throw InputError(args.results_dir + ": cannot list the folder (" + error.message() + ")");
  std::sort(files.begin(), files.end());
  // Sweeps first: the point files their rows stand for are not read again.
  std::vector<std::string> indexes;
  std::erase_if(files, [&](const std::string& file) {
    if (!is_sweep_index(file)) return false;
    indexes.push_back(file);
    return true;
  });
  std::vector<LogRow> rows;
  if (!args.points && !args.unknown_drugs) {
    rows = read_isolated(indexes, [](const std::string& file) { return read_sweep_row(file); });
    std::set<std::string> covered;
    for (const LogRow& row : rows) covered.insert(row.covers.begin(), row.covers.end());
    std::erase_if(files, [&](const std::string& file) { return covered.count(file) > 0; });
  }
  for (LogRow& row : read_isolated(
           files, [&](const std::string& file) { return read_row(file, args.unknown_drugs); })) {
    rows.push_back(std::move(row));
  }
  std::erase_if(rows, [&](const LogRow& row) {
    return (!args.workflow.empty() && row.workflow != args.workflow) ||
           (!args.status.empty() && row.status != args.status) ||
           (!args.since.empty() && row.time < args.since);
  });
  std::sort(rows.begin(), rows.end(), [](const LogRow& x, const LogRow& y) {
    return std::tie(x.time, x.file) < std::tie(y.time, y.file);
  });
  if (args.unknown_drugs) {
    print_unknown_drugs(rows, args.format, out);
  } else if (args.format == OutputFormat::kJson) {
    print_json(rows, out);
  } else if (args.format == OutputFormat::kCsv) {
    print_csv(rows, out);
  } else {
    print_table(rows, out);
  }
  return 0;
}

}  // namespace rxflow
