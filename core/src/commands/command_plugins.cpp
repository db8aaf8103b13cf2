#include <iomanip>

#include "commands/commands.h"
#include "loader/plugin_loader.h"
#include "schema/param_check.h"
#include "support/errors.h"

namespace rxflow {

int command_plugins(const std::vector<std::string>& plugin_path, std::ostream& out) {
  PluginLoader loader(default_plugin_path(plugin_path));
  const std::vector<PluginFile> files = loader.list();
  out << std::left << std::setw(24) << "NAME" << std::setw(17) << "KIND" << std::setw(10)
      << "VERSION"
      << "FILE\n";
  int broken = 0;
  for (const PluginFile& file : files) {
    if (file.shadowed) {
      out << std::setw(24) << file.name << std::setw(27) << "(shadowed)" << file.file << "\n";
      continue;
    }
    try {
      const LoadedPlugin& plugin = loader.load(file.name);
      out << std::setw(24) << file.name << std::setw(16) << plugin.info.kind.name << ' '
          << std::setw(10) << plugin.info.version << plugin.file << "\n";
    } catch (const InputError& error) {
      ++broken;
      out << std::setw(24) << file.name << std::setw(27) << "(cannot load)" << error.what() << "\n";
    }
  }
  if (files.empty()) out << "(no plugins found)\n";
  out << "plugin path:";
  for (const std::string& folder : loader.search_path()) out << " " << folder;
  out << "\n";
  return broken == 0 ? 0 : 2;
}

int command_describe(const std::string& name, const std::vector<std::string>& plugin_path,
                     std::ostream& out) {
  PluginLoader loader(default_plugin_path(plugin_path));
  const LoadedPlugin& plugin = loader.load(name);
  const PluginInfo& info = plugin.info;
  out << info.name << " " << info.version << " (" << info.kind.name
      << (info.kind.renders ? ", renders the run" : "") << ")\n"
      << "  " << info.summary << "\n"
      << "  file   " << plugin.file << "\n  sha256 " << plugin.sha256 << "\n";
  auto ports = [&](const char* title, const std::vector<PortSpec>& list) {
    out << "\n" << title << ":\n";
    if (list.empty()) out << "  (none)\n";
    for (const PortSpec& port : list) {
      out << "  " << std::left << std::setw(20) << port.name << std::setw(16) << port.type_name()
          << port.help << (port.optional ? " (optional)" : "") << (port.metrics ? " (metrics)" : "")
          << "\n";
    }
  };
  ports("inputs", info.inputs);
  ports("outputs", info.outputs);
  auto schema = [&](const char* title, const std::vector<ParamSpec>& list) {
    out << "\n" << title << ":\n";
    if (list.empty()) out << "  (none)\n";
    for (const ParamSpec& param : list) {
      const std::string fallback =
          param.default_value ? format_param_value(*param.default_value) : "(required)";
      out << "  " << std::left << std::setw(22) << param.name << std::setw(12)
          << param_type_name(param.type) << "default " << fallback;
      const std::string constraint = describe_constraint(param);
      if (!constraint.empty()) out << "  " << constraint;
      out << "\n      " << param.help << "\n";
    }
  };
  schema("parameters", info.params);
  if (!info.row_schema.empty()) schema("row columns ([[stage.rows]])", info.row_schema);
  return 0;
}

}  // namespace rxflow
