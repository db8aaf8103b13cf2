// rxflow clean: what killed or crashed runs left behind (store/partial_files.h),
// listed, and removed only with --delete. A run killed after its file was
// sealed and closed but before the rename left a whole run: it verifies,
// and is finished (renamed into place) instead of removed.
#include <filesystem>
#include <ostream>

#include "audit/verify.h"
#include "commands/commands.h"
#include "store/partial_files.h"
#include "store/run_reader.h"
#include "support/errors.h"
#include "support/isolated.h"

namespace rxflow {

namespace fs = std::filesystem;

int command_clean(const std::string& folder, bool remove, std::ostream& out) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw InputError(folder + ": not a folder (expected a results folder)");
  }
  std::vector<std::string> leftovers = leftover_partials(folder);
  // The status of each partial run file that ended and verifies ("complete"
  // or "failed"), read in a child process (a damaged file may crash HDF5).
  const std::vector<IsolatedOutcome> ended = map_isolated(
      leftovers.size(),
      [&](std::size_t i) -> std::string {
        if (!leftovers[i].ends_with(".h5.partial")) return "";
        try {
          const RunReader reader(leftovers[i]);
          const std::string status = reader.attribute("status");
          if (status != "complete" && status != "failed") return "";
          return verify_run(reader).ok() ? status : "";
        } catch (const std::exception&) {
          return "";
        }
      },
      60);
  std::size_t finished = 0;
  for (std::size_t i = 0; i < leftovers.size(); ++i) {
    if (ended[i].kind != IsolatedOutcome::Kind::kDone || ended[i].output.empty()) continue;
    const fs::path partial(leftovers[i]);
    const std::string name = partial.filename().string();  // .<run-id>.h5.partial
    const std::string run_id = name.substr(1, name.size() - std::string(".h5.partial").size() - 1);
    const fs::path target =
        partial.parent_path() / (run_id + (ended[i].output == "complete" ? ".h5" : ".failed.h5"));
    out << (remove ? "finished  " : "would finish  ") << leftovers[i] << " -> " << target.string()
        << " (the run ended and its file verifies; it was not renamed)\n";
    if (remove) {
      fs::rename(partial, target, error);
      if (error) throw InputError(leftovers[i] + ": cannot rename it (" + error.message() + ")");
    }
    ++finished;
    leftovers[i].clear();
  }
  std::erase(leftovers, std::string());
  std::uintmax_t bytes = 0;
  for (const std::string& path : leftovers) {
    std::uintmax_t size = 0;
    if (fs::is_directory(path, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
        if (entry.is_regular_file(error)) size += entry.file_size(error);
      }
    } else {
      size = fs::file_size(path, error);
    }
    bytes += error ? 0 : size;
    out << (remove ? "removed  " : "would remove  ") << path << "\n";
    if (remove) {
      fs::remove_all(path, error);
      if (error) throw InputError(path + ": cannot remove it (" + error.message() + ")");
    }
  }
  out << leftovers.size() << " leftover" << (leftovers.size() == 1 ? "" : "s")
      << " of interrupted runs (" << (bytes + 1023) / 1024 << " KiB), " << finished << " ended run"
      << (finished == 1 ? "" : "s") << " not renamed"
      << (remove || leftovers.size() + finished == 0
              ? ""
              : "; rxflow clean " + folder + " --delete removes or finishes them")
      << "\n";
  return 0;
}

}  // namespace rxflow
