// Helpers shared by the tests: temporary folders, files, and running the
// rxflow executable as a user would.
#pragma once

#include <hdf5.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "store/run_reader.h"

namespace rxflow::testing {

// A fresh folder under the system's temp dir, removed when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Writes text to name inside the folder and returns its path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs the built rxflow with the given arguments (shell-quoted by the caller
// where needed), from the source tree so relative workflow paths work, with
// environment assignments ("NAME=value ...") added when given, after
// shell_prefix (commands such as "ulimit -f 64;") when given.
CommandResult run_rxflow(const std::string& arguments, const std::string& environment = "",
                         const std::string& shell_prefix = "");

// Starts the built rxflow with these arguments in a child process, its
// output discarded, and returns its PID (the caller waits for it).
pid_t start_rxflow(const std::vector<std::string>& arguments);

std::string read_text(const std::string& path);

// The first line of a command's output (the run file `rxflow run --quiet` prints).
std::string first_line(const std::string& text);

// Runs `rxflow run ARGUMENTS --quiet --out OUT` and returns the run file;
// throws when the run does not exit 0.
std::string run_into(const TempDir& out, const std::string& arguments);

// Copies file into dir as name (replacing it) and returns the copy's path.
std::string copy_of(const std::string& file, const TempDir& dir, const std::string& name);

// Adds 1 to the first value of the cohort stage's features in a run file
// with h5py, leaving its recorded hash as it was (a tampered file).
void nudge_cohort_features(const std::string& file);

// Rewrites the line "name = ..." of a list attribute of fixed-length
// strings (a stage's record, artifact_sha256, params, input_hashes, or the
// root's environment) of `object` in an HDF5 file open for writing: its
// value set to `value`, or the line removed when nullopt; the line is
// appended when absent. As an attacker with h5py would.
void set_named_line(hid_t file, const std::string& object, const std::string& list,
                    const std::string& name, const std::optional<std::string>& value);

// Replaces (or adds) the attribute `name` of `object` with a list of
// fixed-length strings.
void set_text_list_attribute(hid_t file, const std::string& object, const std::string& name,
                             const std::vector<std::string>& lines);

// The record of stage `id` in a run file (fails the test when absent).
StageRecord record_of(const RunReader& reader, const std::string& id);

// The workflow text of workflows/smoke.toml with `n` and the results
// elsewhere untouched; used by tests that vary one thing.
std::string smoke_workflow();

}  // namespace rxflow::testing
