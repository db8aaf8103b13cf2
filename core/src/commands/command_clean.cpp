// rxflow clean: what killed or crashed runs left behind (store/partial_files.h),
// listed, and removed only with --delete.
#include <filesystem>
#include <ostream>

#include "commands/commands.h"
#include "store/partial_files.h"
#include "support/errors.h"

namespace rxflow {

namespace fs = std::filesystem;

int command_clean(const std::string& folder, bool remove, std::ostream& out) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw InputError(folder + ": not a folder (expected a results folder)");
  }
  const std::vector<std::string> leftovers = leftover_partials(folder);
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
      << " of interrupted runs (" << (bytes + 1023) / 1024 << " KiB)"
      << (remove || leftovers.empty() ? "" : "; rxflow clean " + folder + " --delete removes them")
      << "\n";
  return 0;
}

}  // namespace rxflow
