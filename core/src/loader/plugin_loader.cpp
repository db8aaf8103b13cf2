// The only file that includes Boost.DLL.
#include "loader/plugin_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "rxflow/plugin_registration.h"
#include "schema/plugin_check.h"
#include "support/errors.h"
#include "support/identifier.h"
#include "support/install_paths.h"
#include "support/sha256.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "rxflow-";
constexpr const char* kSuffix = ".so";

// Libraries are never unloaded: a plugin's vtables, deleters and exception
// types must stay valid until the process ends.
std::vector<boost::dll::shared_library>& loaded_libraries() {
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  return *libraries;
}

std::string library_name(const std::string& name) { return kPrefix + name + kSuffix; }

std::string plugin_name_of(const fs::path& file) {
  const std::string filename = file.filename().string();
  const std::string prefix = kPrefix, suffix = kSuffix;
  if (filename.size() <= prefix.size() + suffix.size() || !filename.starts_with(prefix) ||
      !filename.ends_with(suffix)) {
    return "";
  }
  return filename.substr(prefix.size(), filename.size() - prefix.size() - suffix.size());
}

}  // namespace

LoadedPlugin load_plugin_file(const std::string& file) {
  // dlopen directly first: Boost.DLL clears dlerror(), which holds the reason.
  if (dlopen(file.c_str(), RTLD_LAZY | RTLD_LOCAL) == nullptr) {
    const char* reason = dlerror();
    throw InputError(file + ": not a loadable shared library (" +
                     std::string(reason ? reason : "unknown reason") + ")");
  }
  boost::dll::shared_library library(
      file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  if (!library.has("rxflow_plugin_abi_version")) {
    throw InputError(file +
                     ": not an rxflow plugin (no rxflow_plugin_abi_version symbol; "
                     "register the plugin with RXFLOW_PLUGIN)");
  }
  const std::uint32_t abi = library.get<std::uint32_t()>("rxflow_plugin_abi_version")();
  if (abi != kAbiVersion) {
    throw InputError(file + ": plugin ABI version " + std::to_string(abi) + ", this rxflow needs " +
                     std::to_string(kAbiVersion) + " (rebuild the plugin against these headers)");
  }
  const std::uint64_t fingerprint =
      library.has("rxflow_plugin_abi_fingerprint")
          ? library.get<std::uint64_t()>("rxflow_plugin_abi_fingerprint")()
          : 0;
  if (fingerprint != abi_fingerprint()) {
    throw InputError(file + ": plugin ABI fingerprint " + std::to_string(fingerprint) +
                     ", this rxflow has " + std::to_string(abi_fingerprint()) +
                     " (built with another compiler ABI or other headers; rebuild the plugin "
                     "against these headers with this compiler)");
  }
  if (!library.has("rxflow_create_plugin")) {
    throw InputError(file + ": rxflow plugin without a factory (no rxflow_create_plugin alias)");
  }
  LoadedPlugin plugin;
  plugin.file = fs::absolute(file).lexically_normal().string();
  plugin.sha256 = sha256_file_hex(file);
  PluginFactory& factory = library.get_alias<PluginFactory>("rxflow_create_plugin");
  plugin.create = [&factory] { return factory(); };
  std::string error;
  try {
    plugin.info = factory()->describe();
  } catch (const std::exception& thrown) {
    error = thrown.what();
  } catch (...) {
    error = "it threw something that is not a std::exception";
  }
  if (!error.empty()) {
    throw InputError(file + ": the plugin failed to describe itself: " + error);
  }
  check_plugin_info(plugin.info, file);
  loaded_libraries().push_back(std::move(library));
  return plugin;
}

PluginLoader::PluginLoader(std::vector<std::string> search_path)
    : search_path_(std::move(search_path)) {}

const LoadedPlugin& PluginLoader::load(const std::string& name) {
  if (!is_identifier(name)) {
    throw InputError("plugin name \"" + name + "\" is not " + kIdentifierRule +
                     "; plugins are found by name on the plugin path, never by a path");
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = loaded_.find(name); found != loaded_.end()) return found->second;
  for (const std::string& folder : search_path_) {
    const fs::path file = fs::path(folder) / library_name(name);
    std::error_code error;
    if (!fs::is_regular_file(file, error)) continue;
    LoadedPlugin plugin = load_plugin_file(file.string());
    if (plugin.info.name != name) {
      throw InputError(file.string() + ": the library describes plugin \"" + plugin.info.name +
                       "\", but its file name says \"" + name + "\"");
    }
    if (const auto first = first_of_kind_.find(plugin.info.kind.name);
        first != first_of_kind_.end()) {
      check_same_contract(first->second->info.kind, first->second->file, plugin.info.kind,
                          plugin.file);
    }
    const LoadedPlugin& stored = loaded_.emplace(name, std::move(plugin)).first->second;
    first_of_kind_.emplace(stored.info.kind.name, &stored);
    return stored;
  }
  std::string folders;
  for (const std::string& folder : search_path_) folders += (folders.empty() ? "" : ", ") + folder;
  throw InputError("unknown plugin \"" + name + "\": no " + library_name(name) + " in " +
                   (folders.empty() ? "an empty plugin path" : folders) +
                   " (see `rxflow plugins`; add folders with --plugin-path)");
}

std::vector<PluginFile> PluginLoader::list() const {
  std::vector<PluginFile> files;
  std::set<std::string> seen;
  for (const std::string& folder : search_path_) {
    std::error_code error;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(folder, error)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& path : entries) {
      const std::string name = plugin_name_of(path);
      if (name.empty()) continue;
      files.push_back({name, path.string(), !seen.insert(name).second});
    }
  }
  return files;
}

std::vector<std::string> default_plugin_path(const std::vector<std::string>& extra) {
  std::vector<std::string> path;
  path.push_back(builtin_plugin_dir());
  path.insert(path.end(), extra.begin(), extra.end());
  if (const char* env = std::getenv("RXFLOW_PLUGIN_PATH")) {
    std::string list = env;
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) path.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  return path;
}

}  // namespace rxflow
