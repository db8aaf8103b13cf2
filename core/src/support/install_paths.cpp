#include "support/install_paths.h"

#include <filesystem>

namespace rxflow {
namespace {

std::filesystem::path prefix() {
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  return executable.parent_path().parent_path();
}

}  // namespace

std::string builtin_plugin_dir() { return (prefix() / "lib" / "rxflow" / "plugins").string(); }

std::string builtin_data_dir() { return (prefix() / "share" / "rxflow" / "data").string(); }

}  // namespace rxflow
