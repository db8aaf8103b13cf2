// PluginLoader: finds plugins by name on the plugin path, loads each shared
// library once, checks its ABI version before calling anything else, and
// keeps every loaded library alive for the rest of the process (objects and
// exceptions a plugin creates never outlive its code). load() may be called
// from several threads; a LoadedPlugin, once returned, is immutable and its
// create() may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rxflow/plugin.h"

namespace rxflow {

struct LoadedPlugin {
  PluginInfo info;
  std::string file;    // absolute path of the library
  std::string sha256;  // of the library file
  std::function<std::unique_ptr<Plugin>()> create;
};

// What a folder on the plugin path offers: the library file for each name.
struct PluginFile {
  std::string name;
  std::string file;
  bool shadowed = false;  // an earlier folder on the path has the same name
};

class PluginLoader {
 public:
  // Folders in lookup order; the first folder holding rxflow-<name>.so wins.
  explicit PluginLoader(std::vector<std::string> search_path);

  const std::vector<std::string>& search_path() const { return search_path_; }

  // Throws InputError: a name that is not an identifier, no such plugin
  // (listing the folders searched), not a loadable library, not an rxflow
  // plugin, wrong ABI version or fingerprint, no factory, a description that
  // breaks the rules (schema/plugin_check.h), or a kind whose contract
  // differs from that of a plugin of the same kind loaded before.
  const LoadedPlugin& load(const std::string& name);

  // Every rxflow-*.so on the path, in lookup order.
  std::vector<PluginFile> list() const;

 private:
  std::vector<std::string> search_path_;
  std::mutex mutex_;
  std::map<std::string, LoadedPlugin> loaded_;
  std::map<std::string, const LoadedPlugin*> first_of_kind_;  // by kind name
};

// Loads one library file directly (what load() does after finding it).
LoadedPlugin load_plugin_file(const std::string& file);

// The default search path: the built-in plugin folder next to the rxflow
// executable (../lib/rxflow/plugins), then extra folders, then the folders
// of RXFLOW_PLUGIN_PATH (colon separated).
std::vector<std::string> default_plugin_path(const std::vector<std::string>& extra);

}  // namespace rxflow
