// An artifact a stage emits, or declares at plan time, against the output
// port its plugin declared: the port exists, dtype and rank match, the
// artifact is consistent (values for its shape, a name per column), no
// string holds a NUL (HDF5 strings end at one), and a metrics table is one
// row with a name for each column. Pure function; thread-safe.
#pragma once

#include <string_view>

#include "rxflow/plugin.h"

namespace rxflow {

// Throws std::logic_error ("emitted output \"x\" as ...", naming the port):
// a plugin that breaks its own description has a bug.
void check_output(const PluginInfo& info, std::string_view port, const Artifact& artifact);

}  // namespace rxflow
