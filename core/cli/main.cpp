// The rxflow command line: parses arguments with Boost.Program_options and
// calls the matching command in core/src/commands.h. Nothing else lives here.
#include <malloc.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "exec/environment.h"
#include "serve/serve.h"
#include "store/sweep_index.h"
#include "support/errors.h"
#include "support/isolated.h"
#include "support/text_escaping.h"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "Usage: rxflow COMMAND [OPTIONS]\n"
    "\n"
    "Runs experiment files (TOML) whose stages are plugins, and records every\n"
    "artifact with its seeds, parameters and versions in one HDF5 file per run.\n"
    "\n"
    "Commands:\n"
    "  run FILE                 run a workflow; prints the run file's path (--dry-run: the plan)\n"
    "  validate FILE            check a workflow completely; runs nothing\n"
    "  sweep FILE               run the workflow's sweep: many points, resumable\n"
    "  report SWEEP.h5          write a sweep's report (metrics by swept parameter)\n"
    "  plugins                  list the plugins found on the plugin path\n"
    "  plugins describe NAME    a plugin's ports and parameter schema\n"
    "  show RUN.h5              what a run file holds\n"
    "  verify RUN.h5            recompute every hash; OK or what does not match\n"
    "  replay RUN.h5            run again from the file; compare every artifact\n"
    "  diff A.h5 B.h5           what differs between two runs\n"
    "  log [DIR]                one row per run file under DIR (default results)\n"
    "  export RUN.h5 --to DIR   every artifact as CSV, JSON or PNG\n"
    "  clean DIR                list what interrupted runs left; --delete removes it\n"
    "  serve FILE               the patient form as a local web app; every submission a run\n"
    "\n"
    "Options:\n"
    "  -h, --help               this help; `rxflow COMMAND --help` for a command\n"
    "  --version                the rxflow version and git commit\n"
    "\n"
    "show, verify, diff, replay and log print JSON with --json.\n"
    "\n"
    "Exit codes: 0 success, 1 a run failed (its file is kept as *.failed.h5),\n"
    "verify found a mismatch or a replay differs, 2 bad input or usage,\n"
    "128 + N when signal N (SIGINT, SIGTERM) stopped a run or sweep.\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs a command and turns what it throws into one line and an exit code:
// 2 for usage and bad input, 1 for anything else.
template <typename Command>
int guarded(const std::string& command, Command body) {
  try {
    return body();
  } catch (const po::error& error) {
    std::cerr << "rxflow " << command << ": " << rxflow::one_line(error.what()) << " (see rxflow "
              << command << " --help)\n";
    return 2;
  } catch (const UsageError& error) {
    std::cerr << "rxflow " << command << ": " << rxflow::one_line(error.what()) << "\n";
    return 2;
  } catch (const rxflow::InputError& error) {
    std::cerr << "rxflow: " << error.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "rxflow " << command << ": out of memory\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "rxflow: " << rxflow::one_line(error.what()) << "\n";
    return 1;
  } catch (...) {
    std::cerr << "rxflow " << command << ": stopped by an exception that is not a std::exception\n";
    return 1;
  }
}

std::uint64_t parse_seed(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 19 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits ||
      std::stoull(text) > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw UsageError("--seed must be an integer in [0, 9223372036854775807], got \"" + text + "\"");
  }
  return std::stoull(text);
}

// A command's options, starting with the --help every command has.
po::options_description command_options() {
  po::options_description options("Options");
  options.add_options()("help,h", "this help");
  return options;
}

// A command's arguments; with --help, prints `usage` and the options and
// returns nothing (the command then exits 0).
std::optional<po::variables_map> parse(const std::vector<std::string>& args,
                                       const po::options_description& options,
                                       const po::positional_options_description& positional,
                                       const std::string& usage) {
  po::variables_map values;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
  po::notify(values);
  if (values.count("help")) {
    std::cout << usage << "\n\n" << options;
    return std::nullopt;
  }
  return values;
}

po::options_description workflow_options(rxflow::WorkflowArgs& args) {
  po::options_description options = command_options();
  options.add_options()(
      "set", po::value(&args.overrides)->composing(),
      "override a parameter: --set stage.param=value (repeatable; recorded in the run)")(
      "seed", po::value<std::string>(), "root seed, overriding [workflow] seed")(
      "plugin-path", po::value(&args.plugin_path)->composing(),
      "extra plugin folder (repeatable; also RXFLOW_PLUGIN_PATH, colon separated)");
  return options;
}

int run_or_validate(const std::string& command, const std::vector<std::string>& rest) {
  rxflow::RunArgs args;
  po::options_description options = workflow_options(args.workflow);
  if (command == "run") {
    options.add_options()("out", po::value(&args.results_dir)->default_value("results"),
                          "results folder; the run goes to OUT/<workflow>/<run-id>.h5")(
        "quiet,q", po::bool_switch(&args.quiet), "print only the run file's path")(
        "dry-run", po::bool_switch(&args.dry_run),
        "print the resolved plan (stages, bindings, seeds, parameters and where each value "
        "came from) and run nothing")(
        "compress", po::value(&args.store.deflate_level)->default_value(0),
        "gzip level 0-9 for artifacts (0: none; hashes do not change)")(
        "reuse", po::value(&args.reuse_dir),
        "take a stage's outputs from any run file under this folder that verifies and "
        "recorded the same stage (plugin, parameters, seed, inputs), instead of running it");
  }
  options.add_options()("file", po::value(&args.workflow.workflow_file), "workflow file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const auto values =
      parse(rest, options, positional,
            "Usage: rxflow " + command + " FILE [OPTIONS]\n\n" +
                (command == "run" ? "Runs a workflow and writes one run file."
                                  : "Checks a workflow completely (plugins, parameters, inputs, "
                                    "order) and runs nothing."));
  if (!values) return 0;
  if (args.workflow.workflow_file.empty()) throw UsageError("missing the workflow FILE");
  if (values->count("seed")) args.workflow.seed = parse_seed((*values)["seed"].as<std::string>());
  if (args.store.deflate_level < 0 || args.store.deflate_level > 9) {
    throw UsageError("--compress must be an integer in [0, 9], got " +
                     std::to_string(args.store.deflate_level));
  }
  if (command == "run") return rxflow::command_run(args, std::cout, std::cerr);
  return rxflow::command_validate(args.workflow, std::cout);
}

// A whole number in [low, high] for an option.
std::uint64_t parse_count(const std::string& text, const char* option, std::uint64_t low,
                          std::uint64_t high) {
  const bool digits = !text.empty() && text.size() <= 19 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoull(text) < low || std::stoull(text) > high) {
    throw UsageError(std::string(option) + " must be an integer in [" + std::to_string(low) + ", " +
                     std::to_string(high) + "], got \"" + text + "\"");
  }
  return std::stoull(text);
}

int sweep(const std::vector<std::string>& rest) {
  rxflow::SweepArgs args;
  po::options_description options = workflow_options(args.workflow);
  options.add_options()(
      "grid", po::value(&args.grid)->composing(),
      "sweep a parameter over values, every combination: --grid stage.param=v1,v2 (repeatable; "
      "added to [sweep.grid])")(
      "zip", po::value(&args.zip)->composing(),
      "values that advance together: --zip stage.param=v1,v2 (repeatable; added to [sweep.zip])")(
      "repeats", po::value<std::string>(), "repeats (seeds) per point, replacing [sweep] repeats")(
      "seeds", po::value<std::string>(),
      "shared (every point of a repeat its seed) or independent, replacing [sweep] seeds")(
      "name", po::value(&args.name), "the sweep's name: its folder OUT/<workflow>/<name>/")(
      "jobs,j", po::value<std::string>()->default_value("1"), "worker threads")(
      "force", po::bool_switch(&args.force), "run every point, even those complete already")(
      "allow-large", po::bool_switch(&args.allow_large), "allow more than 1,000,000 points")(
      "out", po::value(&args.results_dir)->default_value("results"), "results folder")(
      "quiet,q", po::bool_switch(&args.quiet), "print only the sweep index's path")(
      "compress", po::value(&args.store.deflate_level)->default_value(0),
      "gzip level 0-9 for artifacts")(
      "reuse", po::value(&args.reuse_dir),
      "also reuse stages from the run files under this folder that verify")(
      "no-report", po::bool_switch(&args.no_report), "do not write the sweep report")(
      "no-cache", po::bool_switch(&args.no_cache),
      "run every stage of every point (points otherwise share equal stages in memory)")(
      "executor", po::value<std::string>()->default_value("local"),
      "local (this process, -j workers) or slurm (a job array, docs/distributed.md)")(
      "partition", po::value(&args.slurm_options.partition), "slurm: the partition")(
      "time", po::value(&args.slurm_options.time), "slurm: each task's time limit (--time)")(
      "mem", po::value(&args.slurm_options.mem), "slurm: each task's memory (--mem)")(
      "cpus-per-task", po::value<std::string>(), "slurm: CPUs per task, also its -j (default 1)")(
      "array-parallelism", po::value<std::string>(), "slurm: at most this many tasks at once")(
      "sbatch-arg", po::value(&args.slurm_options.sbatch_args)->composing(),
      "slurm: an argument for sbatch as it is (repeatable)")(
      "points-per-task", po::value<std::string>(), "slurm: points per array task (default 200)")(
      "wait", po::bool_switch(&args.wait),
      "slurm: wait until the sweep is done and exit like a local sweep")(
      "status", po::value<std::string>(), "where the Slurm sweep in this folder stands")(
      "points", po::value<std::string>(),
      "only the points at run-order positions FIRST:LAST, no index (a Slurm task's block)")(
      "gather", po::value<std::string>(),
      "write the index and report from the point files, running nothing (a Slurm gather "
      "job; the value is the executor's context)")("file", po::value(&args.workflow.workflow_file),
                                                   "workflow file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const auto values = parse(
      rest, options, positional,
      "Usage: rxflow sweep FILE [OPTIONS]\n\nRuns the workflow's sweep ([sweep] table, or --grid, "
      "--zip, --repeats): every point an\nordinary run file in OUT/<workflow>/<name>/, points on "
      "-j workers, then the sweep index\nsweep.h5 beside them. Points already complete with the "
      "same identity are not run again.\nExit 0 when every point completed, 1 when any failed.");
  if (!values) return 0;
  if (values->count("status")) {
    return rxflow::command_sweep_status((*values)["status"].as<std::string>(), std::cout);
  }
  if (args.workflow.workflow_file.empty()) throw UsageError("missing the workflow FILE");
  if (values->count("seed")) args.workflow.seed = parse_seed((*values)["seed"].as<std::string>());
  const std::string executor = (*values)["executor"].as<std::string>();
  if (executor != "local" && executor != "slurm") {
    throw UsageError("--executor must be local or slurm, got \"" + executor + "\"");
  }
  args.slurm = executor == "slurm";
  for (const char* option : {"partition", "time", "mem", "cpus-per-task", "array-parallelism",
                             "sbatch-arg", "points-per-task", "wait"}) {
    const bool given = values->count(option) && !(*values)[option].defaulted();
    if (given && !args.slurm && (std::string(option) != "wait" || args.wait)) {
      throw UsageError(std::string("--") + option + " needs --executor slurm");
    }
  }
  if (values->count("cpus-per-task")) {
    args.slurm_options.cpus_per_task = static_cast<int>(
        parse_count((*values)["cpus-per-task"].as<std::string>(), "--cpus-per-task", 1, 256));
  }
  if (values->count("array-parallelism")) {
    args.slurm_options.array_parallelism = static_cast<int>(parse_count(
        (*values)["array-parallelism"].as<std::string>(), "--array-parallelism", 1, 100'000));
  }
  if (values->count("points-per-task")) {
    args.slurm_options.points_per_task = parse_count((*values)["points-per-task"].as<std::string>(),
                                                     "--points-per-task", 1, 1'000'000'000);
  }
  if (values->count("points")) {
    const std::string text = (*values)["points"].as<std::string>();
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos) {
      throw UsageError("--points must be FIRST:LAST, got \"" + text + "\"");
    }
    const std::uint64_t first = parse_count(text.substr(0, colon), "--points FIRST", 0,
                                            std::numeric_limits<std::int64_t>::max());
    const std::uint64_t last = parse_count(text.substr(colon + 1), "--points LAST", first + 1,
                                           std::numeric_limits<std::int64_t>::max());
    args.points = std::pair{first, last};
  }
  if (values->count("gather")) args.gather = (*values)["gather"].as<std::string>();
  if (args.slurm && (args.points || args.gather)) {
    throw UsageError("--points and --gather are for the Slurm executor's own jobs");
  }
  if (values->count("repeats")) {
    args.repeats = parse_count((*values)["repeats"].as<std::string>(), "--repeats", 1, 1'000'000);
  }
  if (values->count("seeds")) {
    const std::string seeds = (*values)["seeds"].as<std::string>();
    if (seeds != "shared" && seeds != "independent") {
      throw UsageError("--seeds must be shared or independent, got \"" + seeds + "\"");
    }
    args.seeds = seeds == "shared" ? rxflow::SweepSeeds::kShared : rxflow::SweepSeeds::kIndependent;
  }
  args.jobs = static_cast<int>(parse_count((*values)["jobs"].as<std::string>(), "--jobs", 1, 256));
  if (args.store.deflate_level < 0 || args.store.deflate_level > 9) {
    throw UsageError("--compress must be an integer in [0, 9], got " +
                     std::to_string(args.store.deflate_level));
  }
  return rxflow::command_sweep(args, std::cout, std::cerr);
}

int plugins(const std::vector<std::string>& rest) {
  std::vector<std::string> plugin_path, words;
  po::options_description options = command_options();
  options.add_options()("plugin-path", po::value(&plugin_path)->composing(),
                        "extra plugin folder (repeatable)")("words", po::value(&words),
                                                            "describe NAME");
  po::positional_options_description positional;
  positional.add("words", -1);
  if (!parse(rest, options, positional,
             "Usage: rxflow plugins [describe NAME] [OPTIONS]\n\n"
             "Lists the plugins on the plugin path (built-in folder, then --plugin-path, then\n"
             "RXFLOW_PLUGIN_PATH), or describes one: ports and parameter schema.")) {
    return 0;
  }
  if (words.empty()) return rxflow::command_plugins(plugin_path, std::cout);
  if (words.size() == 2 && words[0] == "describe") {
    return rxflow::command_describe(words[1], plugin_path, std::cout);
  }
  throw UsageError("expected no argument or `describe NAME`");
}

// --json, where a command offers it.
rxflow::OutputFormat format_of(const po::variables_map& values) {
  return values.count("json") && values["json"].as<bool>() ? rxflow::OutputFormat::kJson
                                                           : rxflow::OutputFormat::kText;
}

// Commands whose positional arguments are run files: show, verify, diff.
// They only read, so each runs in a child process: a file that crashes the
// HDF5 library is reported, not fatal (support/isolated.h).
int run_file_command(const std::string& command, const std::vector<std::string>& rest) {
  std::vector<std::string> files;
  po::options_description options = command_options();
  options.add_options()("json", po::bool_switch(), "JSON instead of text")(
      "files", po::value(&files), "run files");
  po::positional_options_description positional;
  positional.add("files", -1);
  const char* usage =
      command == "show"
          ? "Usage: rxflow show RUN.h5\n\nPrints what a run file holds: workflow, seeds, "
            "stages, versions, artifacts with shapes and hashes."
      : command == "verify"
          ? "Usage: rxflow verify RUN.h5\n\nRecomputes every artifact's content hash, "
            "every stage record's hash and the run's root hash,\nwithout running anything. "
            "Prints OK, or each artifact or record that does not match.\nExit 0 when all "
            "match, 1 otherwise."
          : "Usage: rxflow diff A.h5 B.h5\n\nWhat differs between two runs: workflow and "
            "parameters, seeds, plugins, environment,\nthen artifact by artifact, and the "
            "headline metrics side by side.";
  const auto values = parse(rest, options, positional, usage);
  if (!values) return 0;
  const std::size_t wanted = command == "diff" ? 2 : 1;
  if (files.size() != wanted) {
    throw UsageError("expected " + (wanted == 2 ? std::string("two run files") : "one run file") +
                     ", got " + std::to_string(files.size()));
  }
  const rxflow::OutputFormat format = format_of(*values);
  return rxflow::run_isolated(
      [&] {
        return guarded(command, [&] {
          if (command == "show") return rxflow::command_show(files[0], format, std::cout);
          if (command == "verify") return rxflow::command_verify(files[0], format, std::cout);
          return rxflow::command_diff(files[0], files[1], format, std::cout);
        });
      },
      files.size() == 1 ? files[0] : files[0] + " or " + files[1]);
}

int replay(const std::vector<std::string>& rest) {
  rxflow::ReplayArgs args;
  po::options_description options = command_options();
  options.add_options()("out", po::value(&args.results_dir)->default_value("results"),
                        "results folder; the replay goes to OUT/<workflow>/<run-id>.h5")(
      "allow-drift", po::bool_switch(&args.allow_drift),
      "replay even when a plugin's version or library, or a file, differs from the record "
      "(the drift is recorded in the new run)")(
      "plugin-path", po::value(&args.plugin_path)->composing(), "extra plugin folder (repeatable)")(
      "quiet,q", po::bool_switch(&args.quiet), "no progress lines")(
      "jobs,j", po::value<std::string>()->default_value("1"),
      "a sweep's points replayed at once (for sweep.h5)")(
      "json", po::bool_switch(), "the comparison as JSON")("file", po::value(&args.run_file),
                                                           "run file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const auto values =
      parse(rest, options, positional,
            "Usage: rxflow replay RUN.h5|sweep.h5 [OPTIONS]\n\nVerifies the file, rebuilds the "
            "run from what it holds (resolved workflow, seed, rows),\nrefuses when a plugin "
            "differs from the recorded one, runs it into a new file that\nrecords which run it "
            "replays, and compares every artifact. Exit 0 only if all are identical.\nOn a "
            "sweep index, every completed point, one verdict per point.");
  if (!values) return 0;
  if (args.run_file.empty()) throw UsageError("missing the RUN.h5 file");
  args.format = format_of(*values);
  args.jobs = static_cast<int>(parse_count((*values)["jobs"].as<std::string>(), "--jobs", 1, 256));
  if (rxflow::is_sweep_index(args.run_file)) {
    return rxflow::command_replay_sweep(args, std::cout, std::cerr);
  }
  const int replayable = rxflow::run_isolated(
      [&] {
        return guarded("replay",
                       [&] { return rxflow::check_replayable(args.run_file, std::cerr); });
      },
      args.run_file);
  if (replayable != 0) return replayable;
  return rxflow::command_replay(args, std::cout, std::cerr);
}

int log(const std::vector<std::string>& rest) {
  rxflow::LogArgs args;
  po::options_description options = command_options();
  options.add_options()("workflow", po::value(&args.workflow), "only runs of this workflow")(
      "since", po::value(&args.since), "only runs started at or after this date or time (UTC)")(
      "status", po::value(&args.status),
      "only runs with this status: complete, failed, running, "
      "interrupted or corrupt")("json", "JSON instead of a table")("csv", "CSV instead of a table")(
      "unknown-drugs", po::bool_switch(&args.unknown_drugs),
      "the curation log: every drug that fell back to a generated embedding, and in which runs")(
      "points", po::bool_switch(&args.points),
      "a sweep's points one by one (by default a sweep is one row, from its sweep.h5)")(
      "dir", po::value(&args.results_dir), "results folder");
  po::positional_options_description positional;
  positional.add("dir", 1);
  const auto values =
      parse(rest, options, positional,
            "Usage: rxflow log [DIR] [OPTIONS]\n\nOne row per run file under DIR (default "
            "results): time, workflow, run id, seed,\nstatus, the run's headline metrics (its "
            "metrics tables, by column name), root hash.\nA sweep is one row: its points, how "
            "many failed, the means of their metrics.");
  if (!values) return 0;
  if (values->count("json") && values->count("csv"))
    throw UsageError("--json and --csv exclude each other");
  if (values->count("json")) args.format = rxflow::OutputFormat::kJson;
  if (values->count("csv")) args.format = rxflow::OutputFormat::kCsv;
  return rxflow::command_log(args, std::cout);
}

int export_run(const std::vector<std::string>& rest) {
  rxflow::ExportArgs args;
  po::options_description options = command_options();
  options.add_options()("to", po::value(&args.to_dir), "a new (or empty) folder for the files")(
      "json", po::bool_switch(&args.json), "tables as JSON instead of CSV")(
      "file", po::value(&args.run_file), "run file");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (!parse(rest, options, positional,
             "Usage: rxflow export RUN.h5 --to DIR [--json]\n\nWrites every artifact as a "
             "file: tables as CSV (or JSON), image stacks as one PNG\nper image, anything "
             "else as JSON, and manifest.json listing them with their hashes.")) {
    return 0;
  }
  if (args.run_file.empty()) throw UsageError("missing the RUN.h5 file");
  if (args.to_dir.empty()) throw UsageError("missing --to DIR");
  return rxflow::run_isolated(
      [&] { return guarded("export", [&] { return rxflow::command_export(args, std::cout); }); },
      args.run_file);
}

int report(const std::vector<std::string>& rest) {
  std::string index_file, to_dir;
  po::options_description options = command_options();
  options.add_options()("to", po::value(&to_dir),
                        "folder for report.html and its plots (default: report/ beside the index)")(
      "file", po::value(&index_file), "sweep index");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (!parse(rest, options, positional,
             "Usage: rxflow report SWEEP.h5 [--to DIR]\n\nWrites the sweep's report: each "
             "headline metric against each swept parameter\n(mean and 95% interval over the "
             "repeats), the combinations and points with links\nto their run files. rxflow "
             "sweep writes it too.")) {
    return 0;
  }
  if (index_file.empty()) throw UsageError("missing the sweep index SWEEP.h5");
  return rxflow::run_isolated(
      [&] {
        return guarded("report",
                       [&] { return rxflow::command_report(index_file, to_dir, std::cout); });
      },
      index_file);
}

int clean(const std::vector<std::string>& rest) {
  std::string folder;
  bool remove = false;
  po::options_description options = command_options();
  options.add_options()("delete", po::bool_switch(&remove), "remove them (default: only list)")(
      "folder", po::value(&folder), "results folder");
  po::positional_options_description positional;
  positional.add("folder", 1);
  if (!parse(rest, options, positional,
             "Usage: rxflow clean DIR [--delete]\n\nLists the partial run files "
             "(.<run-id>.h5.partial) and report folders that killed or\ncrashed runs left "
             "under DIR (never those of a run still going on); --delete\nremoves them.")) {
    return 0;
  }
  if (folder.empty()) throw UsageError("missing the results folder DIR");
  return rxflow::command_clean(folder, remove, std::cout);
}

int serve(const std::vector<std::string>& rest) {
  rxflow::ServeArgs args;
  po::options_description options = workflow_options(args.workflow);
  options.add_options()("port", po::value<std::string>()->default_value("8765"),
                        "TCP port (0: any free one; the printed address says which)")(
      "host", po::value(&args.host)->default_value("127.0.0.1"),
      "address to listen on; anything but loopback lets other machines run the workflow "
      "(a warning is printed)")("results", po::value(&args.results_dir)->default_value("results"),
                                "results folder; runs go to RESULTS/<workflow>/<run-id>.h5")(
      "queue", po::value<std::string>()->default_value("8"),
      "runs that may wait while one runs; a form sent when they are full is refused")(
      "file", po::value(&args.workflow.workflow_file), "workflow file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const auto values =
      parse(rest, options, positional,
            "Usage: rxflow serve FILE [OPTIONS]\n\nServes the workflow's patient form on "
            "http://127.0.0.1:8765/ (docs/serve.md): each submission\nruns the workflow with the "
            "form's values as the requests stage's row, one run at a\ntime, and shows the result; "
            "a history page lists the runs in the results folder.\nPrints the address, then serves "
            "until SIGINT or SIGTERM.");
  if (!values) return 0;
  if (args.workflow.workflow_file.empty()) throw UsageError("missing the workflow FILE");
  if (values->count("seed")) args.workflow.seed = parse_seed((*values)["seed"].as<std::string>());
  args.port =
      static_cast<int>(parse_count((*values)["port"].as<std::string>(), "--port", 0, 65535));
  args.queue = parse_count((*values)["queue"].as<std::string>(), "--queue", 1, 1000);
  return rxflow::command_serve(args, std::cout, std::cerr);
}

int dispatch(const std::string& command, const std::vector<std::string>& rest) {
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "rxflow " << rxflow::engine_version() << " (git " << rxflow::git_commit() << ")\n";
    return 0;
  }
  if (command == "run" || command == "validate") return run_or_validate(command, rest);
  if (command == "sweep") return sweep(rest);
  if (command == "plugins") return plugins(rest);
  if (command == "show" || command == "verify" || command == "diff")
    return run_file_command(command, rest);
  if (command == "replay") return replay(rest);
  if (command == "log") return log(rest);
  if (command == "export") return export_run(rest);
  if (command == "report") return report(rest);
  if (command == "clean") return clean(rest);
  if (command == "serve") return serve(rest);
  std::cerr << "rxflow: unknown command \"" << command
            << "\" (expected run, validate, sweep, report, plugins, show, verify, replay, diff, "
               "log, export, clean or serve; see rxflow --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Stages allocate and free the same large buffers run after run (a
  // sweep's points, the decoder's weights): kept in the heap instead of
  // mapped and unmapped each time, they are not faulted in anew each run.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = all[0];
  const std::vector<std::string> rest(all.begin() + 1, all.end());
  return guarded(command, [&] { return dispatch(command, rest); });
}
