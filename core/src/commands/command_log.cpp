// rxflow log: the audit view of a results folder. Every run file below the
// folder is one row, whatever state it is in: complete, failed,
// interrupted (a .partial file) or corrupt (unreadable, or not a run file).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <regex>

#include "commands/commands.h"
#include "support/errors.h"
#include "store/provenance.h"
#include "audit/run_headline.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

struct LogRow {
  std::string time;  // started_at
  std::string workflow;
  std::string run_id;
  std::string seed;
  std::string status;
  double calibrated_p0 = NAN;
  double auc = NAN;
  std::string root_hash;
  std::string file;
  std::string note;  // the error of a failed run, why a file is corrupt
  std::vector<std::string> unknown_drugs;
};

bool is_run_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".h5") || name.ends_with(".h5.partial");
}

LogRow read_row(const std::string& file, bool unknown_drugs) {
  LogRow row;
  row.file = file;
  try {
    const RunReader reader(file);
    row.time = reader.attribute("started_at");
    row.workflow = reader.attribute("workflow");
    row.run_id = reader.attribute("run_id");
    row.seed = reader.attribute("root_seed");
    row.status = reader.attribute("status");
    row.root_hash = reader.attribute("root_hash");
    row.note = reader.attribute("error");
    if (row.status == "running") {
      row.status = "interrupted";
      row.note = "the run has not finished: it is still going or was interrupted";
    }
    const std::vector<StoredStage> stages = reader.stages();
    const std::vector<HeadlineMetric> metrics = headline_metrics(reader, stages);
    row.calibrated_p0 = headline_value(metrics, "calibrated_p0");
    row.auc = headline_value(metrics, "auc");
    if (unknown_drugs) {
      for (const StoredStage& stage : stages) {
        if (stage.record.plugin_kind != "embedding") continue;
        for (const ArtifactRecord& output : stage.record.outputs) {
          if (output.name != "unknown_drugs") continue;
          const Artifact names = reader.read_artifact(stage.record.id, output.name);
          for (const std::string& drug : std::get<std::vector<std::string>>(names.values))
            row.unknown_drugs.push_back(drug);
        }
      }
    }
  } catch (const std::exception& error) {
    row.status = "corrupt";
    row.note = error.what();
    const std::string prefix = file + ": ";
    if (row.note.starts_with(prefix)) row.note.erase(0, prefix.size());
  }
  return row;
}

void print_table(const std::vector<LogRow>& rows, std::ostream& out) {
  out << std::left << std::setw(22) << "time" << std::setw(14) << "workflow" << std::setw(24)
      << "run id" << std::setw(12) << "seed" << std::setw(13) << "status" << std::setw(9) << "p_cal"
      << std::setw(8) << "auc" << std::setw(14) << "root hash"
      << "file\n";
  for (const LogRow& row : rows) {
    out << std::setw(22) << (row.time.empty() ? "-" : row.time) << std::setw(14)
        << (row.workflow.empty() ? "-" : row.workflow) << std::setw(24)
        << (row.run_id.empty() ? "-" : row.run_id) << std::setw(12)
        << (row.seed.empty() ? "-" : row.seed) << std::setw(13) << row.status << std::setw(9)
        << decimal_text(row.calibrated_p0, 4, "-") << std::setw(8) << decimal_text(row.auc, 4, "-")
        << std::setw(14) << (row.root_hash.empty() ? "-" : hash_prefix(row.root_hash)) << row.file;
    if (!row.note.empty()) out << "  (" << row.note << ")";
    out << "\n";
  }
}

void print_json(const std::vector<LogRow>& rows, std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LogRow& row = rows[i];
    out << (i ? ",\n " : "\n ") << "{\"time\": " << json_string(row.time)
        << ", \"workflow\": " << json_string(row.workflow)
        << ", \"run_id\": " << json_string(row.run_id) << ", \"seed\": " << json_string(row.seed)
        << ", \"status\": " << json_string(row.status)
        << ", \"calibrated_p0\": " << json_number(row.calibrated_p0)
        << ", \"auc\": " << json_number(row.auc)
        << ", \"root_hash\": " << json_string(row.root_hash)
        << ", \"file\": " << json_string(row.file) << ", \"note\": " << json_string(row.note)
        << "}";
  }
  out << "\n]\n";
}

void print_csv(const std::vector<LogRow>& rows, std::ostream& out) {
  out << "time,workflow,run_id,seed,status,calibrated_p0,auc,root_hash,file,note\n";
  for (const LogRow& row : rows) {
    out << csv_field(row.time) << "," << csv_field(row.workflow) << "," << csv_field(row.run_id)
        << "," << row.seed << "," << row.status << "," << decimal_text(row.calibrated_p0, 4, "")
        << "," << decimal_text(row.auc, 4, "") << "," << row.root_hash << "," << csv_field(row.file)
        << "," << csv_field(row.note) << "\n";
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
    out << "[";
    bool first = true;
    for (const auto& [drug, runs] : runs_by_drug) {
      out << (first ? "\n " : ",\n ") << "{\"drug\": " << json_string(drug) << ", \"runs\": [";
      first = false;
      for (std::size_t i = 0; i < runs.size(); ++i)
        out << (i ? ", " : "") << json_string(runs[i]->run_id);
      out << "]}";
    }
    out << "\n]\n";
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
  static const std::vector<std::string> statuses{"complete", "failed", "interrupted", "corrupt"};
  if (!args.status.empty() &&
      std::find(statuses.begin(), statuses.end(), args.status) == statuses.end()) {
    throw InputError("--status: expected complete, failed, interrupted or corrupt, got \"" +
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
  std::vector<LogRow> rows;
  for (const std::string& file : files) {
    LogRow row = read_row(file, args.unknown_drugs);
    if (!args.workflow.empty() && row.workflow != args.workflow) continue;
    if (!args.status.empty() && row.status != args.status) continue;
    if (!args.since.empty() && row.time < args.since) continue;
    rows.push_back(std::move(row));
  }
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
