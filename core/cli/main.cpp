// The rxflow command line: parses arguments with Boost.Program_options and
// calls the matching command in core/src/commands.h. Nothing else lives here.
#include <boost/program_options.hpp>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "commands.h"
#include "environment.h"
#include "errors.h"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "Usage: rxflow COMMAND [OPTIONS]\n"
    "\n"
    "Runs experiment files (TOML) whose stages are plugins, and records every\n"
    "artifact with its seeds, parameters and versions in one HDF5 file per run.\n"
    "\n"
    "Commands:\n"
    "  run FILE                 run a workflow; prints the run file's path\n"
    "  validate FILE            check a workflow completely; runs nothing\n"
    "  plugins                  list the plugins found on the plugin path\n"
    "  plugins describe NAME    a plugin's ports and parameter schema\n"
    "  show RUN.h5              what a run file holds\n"
    "\n"
    "Options:\n"
    "  -h, --help               this help; `rxflow COMMAND --help` for a command\n"
    "  --version                the rxflow version and git commit\n"
    "\n"
    "Exit codes: 0 success, 1 a run failed (its file is kept as *.failed.h5),\n"
    "2 bad input or usage (nothing was run).\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::uint64_t parse_seed(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 19 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits ||
      std::stoull(text) > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw UsageError("--seed must be an integer in [0, 9223372036854775807], got \"" + text + "\"");
  }
  return std::stoull(text);
}

po::variables_map parse(const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional) {
  po::variables_map values;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
  po::notify(values);
  return values;
}

po::options_description workflow_options(rxflow::WorkflowArgs& args) {
  po::options_description options("Options");
  options.add_options()("help,h", "this help")(
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
        "compress", po::value(&args.store.deflate_level)->default_value(0),
        "gzip level 0-9 for artifacts (0: none; hashes do not change)");
  }
  options.add_options()("file", po::value(&args.workflow.workflow_file), "workflow file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map values = parse(rest, options, positional);
  if (values.count("help")) {
    std::cout << "Usage: rxflow " << command << " FILE [OPTIONS]\n\n"
              << (command == "run" ? "Runs a workflow and writes one run file.\n\n"
                                   : "Checks a workflow completely (plugins, parameters, inputs, "
                                     "order) and runs nothing.\n\n")
              << options;
    return 0;
  }
  if (args.workflow.workflow_file.empty())
    throw UsageError("rxflow " + command + ": missing the workflow FILE");
  if (values.count("seed")) args.workflow.seed = parse_seed(values["seed"].as<std::string>());
  if (args.store.deflate_level < 0 || args.store.deflate_level > 9) {
    throw UsageError("--compress must be an integer in [0, 9], got " +
                     std::to_string(args.store.deflate_level));
  }
  if (command == "run") return rxflow::command_run(args, std::cout, std::cerr);
  return rxflow::command_validate(args.workflow, std::cout);
}

int plugins(const std::vector<std::string>& rest) {
  std::vector<std::string> plugin_path, words;
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("plugin-path", po::value(&plugin_path)->composing(),
                                               "extra plugin folder (repeatable)")(
      "words", po::value(&words), "describe NAME");
  po::positional_options_description positional;
  positional.add("words", -1);
  const po::variables_map values = parse(rest, options, positional);
  if (values.count("help")) {
    std::cout << "Usage: rxflow plugins [describe NAME] [OPTIONS]\n\n"
                 "Lists the plugins on the plugin path (built-in folder, then --plugin-path, then\n"
                 "RXFLOW_PLUGIN_PATH), or describes one: ports and parameter schema.\n\n"
              << options;
    return 0;
  }
  if (words.empty()) return rxflow::command_plugins(plugin_path, std::cout);
  if (words.size() == 2 && words[0] == "describe") {
    return rxflow::command_describe(words[1], plugin_path, std::cout);
  }
  throw UsageError("rxflow plugins: expected no argument or `describe NAME`");
}

int show(const std::vector<std::string>& rest) {
  std::string file;
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("file", po::value(&file), "run file");
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map values = parse(rest, options, positional);
  if (values.count("help")) {
    std::cout << "Usage: rxflow show RUN.h5\n\nPrints what a run file holds: workflow, seeds, "
                 "stages, versions, artifacts with shapes and hashes.\n\n"
              << options;
    return 0;
  }
  if (file.empty()) throw UsageError("rxflow show: missing the RUN.h5 file");
  return rxflow::command_show(file, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = all[0];
  const std::vector<std::string> rest(all.begin() + 1, all.end());
  try {
    if (command == "-h" || command == "--help" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (command == "--version") {
      std::cout << "rxflow " << rxflow::engine_version() << " (git " << rxflow::git_commit()
                << ")\n";
      return 0;
    }
    if (command == "run" || command == "validate") return run_or_validate(command, rest);
    if (command == "plugins") return plugins(rest);
    if (command == "show") return show(rest);
    throw UsageError("unknown command \"" + command +
                     "\" (expected run, validate, plugins or show; see rxflow --help)");
  } catch (const po::error& error) {
    std::cerr << "rxflow " << command << ": " << error.what() << " (see rxflow " << command
              << " --help)\n";
    return 2;
  } catch (const UsageError& error) {
    std::cerr << "rxflow: " << error.what() << "\n";
    return 2;
  } catch (const rxflow::InputError& error) {
    std::cerr << "rxflow: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "rxflow: " << error.what() << "\n";
    return 1;
  }
}
