// Kind contracts: the outputs a plugin of each kind must declare, so that a
// stage of that kind can replace another of the same kind in a workflow
// without touching the stages downstream. Also the rules every description
// keeps (a name, a version, unique ports, defaults within their own ranges).
#pragma once

#include <string>

#include "rxflow/plugin.h"

namespace rxflow {

// Throws InputError naming the file and the broken rule.
void check_plugin_info(const PluginInfo& info, const std::string& file);

}  // namespace rxflow
