// The rules every plugin description keeps, checked when the library is
// loaded: a name that is an identifier, a version, unique ports and
// parameters, defaults within their own ranges, rows of plain values, and
// the ports of its kind's contract (rxflow/kind.h) with their dtypes and
// ranks, so that a stage of the kind can replace another without touching
// the stages downstream. Pure functions; thread-safe.
#pragma once

#include <string>

#include "rxflow/plugin.h"

namespace rxflow {

// Throws InputError naming the file and the broken rule.
void check_plugin_info(const PluginInfo& info, const std::string& file);

// Two plugins that name the same kind must state the same contract. Throws
// InputError naming both files and the first difference.
void check_same_contract(const KindContract& first, const std::string& first_file,
                         const KindContract& second, const std::string& second_file);

}  // namespace rxflow
