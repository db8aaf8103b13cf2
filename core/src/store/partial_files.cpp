#include "store/partial_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace rxflow {

namespace fs = std::filesystem;

bool being_written(const std::string& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return locked;
}

std::vector<std::string> leftover_partials(const std::string& folder) {
  std::vector<std::string> found;
  std::error_code error;
  for (auto entry = fs::recursive_directory_iterator(folder, error);
       !error && entry != fs::recursive_directory_iterator(); entry.increment(error)) {
    const std::string name = entry->path().filename().string();
    if (!name.starts_with(".")) continue;
    if (name.ends_with(".h5.partial")) {
      if (!being_written(entry->path().string())) found.push_back(entry->path().string());
    } else if (name.ends_with(".d.partial") && entry->is_directory(error)) {
      entry.disable_recursion_pending();
      const std::string run_file =
          (entry->path().parent_path() /
           (name.substr(0, name.size() - std::string(".d.partial").size()) + ".h5.partial"))
              .string();
      if (!being_written(run_file)) found.push_back(entry->path().string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace rxflow
