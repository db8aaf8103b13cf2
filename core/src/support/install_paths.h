// Where the built-in plugins and data live, relative to the rxflow
// executable: <prefix>/bin/rxflow, <prefix>/lib/rxflow/plugins,
// <prefix>/share/rxflow/data. The build tree uses the same layout, so an
// installed and a built rxflow find their files the same way.
#pragma once

#include <string>

namespace rxflow {

std::string builtin_plugin_dir();
std::string builtin_data_dir();

}  // namespace rxflow
