#include "commands/slurm_executor.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "commands/sweep_progress.h"
#include "store/run_file.h"
#include "support/errors.h"
#include "support/subprocess.h"
#include "support/utc_time.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string command_text(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) text += (text.empty() ? "" : " ") + quoted(arg);
  return text;
}

void write_script(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw InputError(path + ": cannot write the batch script");
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

// The job id sbatch --parsable printed ("12" or "12;cluster").
std::string submit(const std::vector<std::string>& argv) {
  const CommandResult result = run_command(argv);
  if (result.exit_code == 127) {
    throw InputError(
        "sbatch: not found (is Slurm's client installed and on PATH? "
        "scripts/local-slurm starts a local cluster)");
  }
  std::string id = result.output.substr(0, result.output.find_first_of(";\n"));
  if (result.exit_code != 0 || id.empty() ||
      id.find_first_not_of("0123456789") != std::string::npos) {
    throw InputError("sbatch refused the job (exit " + std::to_string(result.exit_code) +
                     "; its message is above)");
  }
  return id;
}

struct Counted {
  std::uint64_t ended = 0;  // run files of ended points
  std::uint64_t failed = 0;
};

Counted count_points(const std::string& folder) {
  Counted counted;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (!is_ended_run_file_name(name)) continue;
    ++counted.ended;
    counted.failed += name.ends_with(".failed.h5");
  }
  return counted;
}

std::string slurm_dir(const std::string& folder) { return (fs::path(folder) / "slurm").string(); }

// The state squeue gives a job ("" once Slurm has forgotten it).
std::string job_states(const std::string& job) {
  const CommandResult result = run_command({"squeue", "-h", "-j", job, "-o", "%T"});
  return result.exit_code == 0 ? result.output : "";
}

}  // namespace

SlurmSubmission submit_to_slurm(const SlurmJob& job, const SlurmOptions& options) {
  const std::string dir = slurm_dir(job.folder);
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw InputError(dir + ": cannot create the folder (" + error.message() + ")");
  const std::uint64_t block = std::max<std::uint64_t>(options.points_per_task, 1);
  std::vector<std::uint64_t> blocks;
  for (std::uint64_t position : job.positions) {
    if (blocks.empty() || blocks.back() != position / block) blocks.push_back(position / block);
  }
  SlurmSubmission submission;
  submission.tasks = blocks.size();
  for (std::uint64_t b : blocks) {
    submission.points += std::min(job.total, (b + 1) * block) - b * block;
  }
  const std::string absolute = fs::absolute(dir).string();

  std::vector<std::string> common{"sbatch", "--parsable"};
  if (!options.partition.empty()) common.push_back("--partition=" + options.partition);
  if (!options.time.empty()) common.push_back("--time=" + options.time);
  if (!options.mem.empty()) common.push_back("--mem=" + options.mem);
  for (const std::string& arg : options.sbatch_args) common.push_back(arg);

  std::string array_dependency;
  if (!blocks.empty()) {
    std::string list;
    for (std::uint64_t b : blocks) list += (list.empty() ? "" : ",") + std::to_string(b);
    if (options.array_parallelism > 0) list += "%" + std::to_string(options.array_parallelism);
    std::vector<std::string> task = job.command;
    task.insert(task.end(), job.task_options.begin(), job.task_options.end());
    task.insert(task.end(), {"--points", "$first:$last", "-j",
                             std::to_string(std::max(1, options.cpus_per_task)), "--quiet"});
    std::string line = command_text(task);
    line.replace(line.find("'$first:$last'"), 14, "\"$first:$last\"");
    const std::string script = absolute + "/array.sh";
    write_script(script,
                 "#!/bin/bash\n"
                 "# One block of " +
                     std::to_string(block) + " points of sweep " + job.name +
                     " per array task (rxflow sweep --executor slurm wrote this).\n"
                     "#SBATCH --job-name=rxflow-" +
                     job.name +
                     "\n"
                     "#SBATCH --array=" +
                     list +
                     "\n"
                     "#SBATCH --cpus-per-task=" +
                     std::to_string(std::max(1, options.cpus_per_task)) +
                     "\n#SBATCH --output=" + absolute +
                     "/task-%a.out\n"
                     "cd " +
                     quoted(job.working_dir) +
                     " || exit 2\n"
                     "first=$((SLURM_ARRAY_TASK_ID * " +
                     std::to_string(block) +
                     "))\n"
                     "last=$((first + " +
                     std::to_string(block) + "))\n" + line +
                     "\n"
                     "status=$?\n"
                     "echo $status > " +
                     quoted(absolute) +
                     "/task-$SLURM_ARRAY_TASK_ID.exit\n"
                     "exit $status\n");
    std::vector<std::string> argv = common;
    argv.push_back(script);
    submission.array_job = submit(argv);
    array_dependency = "--dependency=afterany:" + submission.array_job;
  }

  std::vector<std::string> gather = job.command;
  const std::string context = "slurm, array job " +
                              (submission.array_job.empty() ? "none" : submission.array_job) +
                              " (" + std::to_string(submission.tasks) + " tasks of up to " +
                              std::to_string(block) + " points), gather job ";
  gather.insert(gather.end(), {"--gather", context + "$SLURM_JOB_ID", "--quiet"});
  std::string line = command_text(gather);
  const std::string placeholder = quoted(context + "$SLURM_JOB_ID");
  line.replace(line.find(placeholder), placeholder.size(), "\"" + context + "$SLURM_JOB_ID\"");
  const std::string script = absolute + "/gather.sh";
  write_script(script,
               "#!/bin/bash\n"
               "# Writes the index and report of sweep " +
                   job.name +
                   " from its point files once the array has ended.\n"
                   "#SBATCH --job-name=rxflow-" +
                   job.name +
                   "-gather\n"
                   "#SBATCH --output=" +
                   absolute +
                   "/gather.out\n"
                   "cd " +
                   quoted(job.working_dir) + " || exit 2\n" + line +
                   "\n"
                   "status=$?\n"
                   "echo $status > " +
                   quoted(absolute) +
                   "/gather.exit\n"
                   "exit $status\n");
  fs::remove(absolute + "/gather.exit", error);
  std::vector<std::string> argv = common;
  if (!array_dependency.empty())
    argv.insert(argv.end(), {array_dependency, "--kill-on-invalid-dep=yes"});
  argv.push_back(script);
  submission.gather_job = submit(argv);

  const nlohmann::json record{{"array_job", submission.array_job},
                              {"gather_job", submission.gather_job},
                              {"tasks", submission.tasks},
                              {"points_per_task", block},
                              {"points_submitted", submission.points},
                              {"points", job.total},
                              {"submitted_at", utc_now(kIsoTime)}};
  std::ofstream(absolute + "/submission.json", std::ios::trunc) << record.dump(2) << "\n";
  return submission;
}

int wait_for_slurm(const std::string& folder, const SlurmSubmission& submission,
                   std::uint64_t total, bool quiet, std::ostream& err) {
  const std::string exit_file = slurm_dir(folder) + "/gather.exit";
  const auto start = std::chrono::steady_clock::now();
  const Counted before = count_points(folder);
  SweepProgressPrinter printer(err, isatty(STDERR_FILENO) != 0);
  SweepProgress progress;
  progress.total = total;
  const SweepRow none;
  for (;;) {
    const bool ended = fs::exists(exit_file) || job_states(submission.gather_job).empty();
    const Counted now = count_points(folder);
    progress.done = std::min(now.ended, total);
    progress.failed = now.failed;
    progress.resumed = std::min(before.ended, progress.done);
    progress.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (ended) break;
    if (!quiet) printer.update(none, progress);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // polling Slurm, not a test
  }
  if (!quiet) printer.finish(progress);
  std::ifstream file(exit_file);
  int code = -1;
  if (!(file >> code)) {
    throw InputError(slurm_dir(folder) + ": the gather job " + submission.gather_job +
                     " ended without writing the index (cancelled?); see gather.out there");
  }
  return code;
}

void print_slurm_status(const std::string& folder, std::ostream& out) {
  const std::string path = slurm_dir(folder) + "/submission.json";
  std::ifstream file(path);
  if (!file) throw InputError(path + ": no Slurm submission in this sweep folder");
  nlohmann::json record;
  try {
    file >> record;
  } catch (const nlohmann::json::exception&) {
    throw InputError(path + ": not a submission record (not JSON)");
  }
  const std::string array = record.value("array_job", "");
  const std::string gather = record.value("gather_job", "");
  const std::uint64_t total = record.value("points", std::uint64_t{0});
  const Counted counted = count_points(folder);
  auto state = [](const std::string& job) {
    if (job.empty()) return std::string("none");
    std::string states = job_states(job);
    std::map<std::string, int> counts;
    std::string word;
    for (char c : states + "\n") {
      if (c == '\n') {
        if (!word.empty()) ++counts[word];
        word.clear();
      } else {
        word += c;
      }
    }
    if (counts.empty()) return job + " ended";
    std::string text = job;
    for (const auto& [name, count] : counts) text += " " + std::to_string(count) + " " + name;
    return text;
  };
  out << "sweep folder " << folder << "\n"
      << "points " << counted.ended - counted.failed << " complete, " << counted.failed
      << " failed, of " << total << "\n"
      << "array job " << state(array) << "\n"
      << "gather job " << state(gather) << "\n";
  std::ifstream exit_file(slurm_dir(folder) + "/gather.exit");
  int code = -1;
  if (exit_file >> code) {
    out << "index " << (fs::path(folder) / "sweep.h5").string() << " (gather exit " << code
        << ")\n";
  }
}

}  // namespace rxflow
