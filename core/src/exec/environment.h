// The context of a run (recorded, not hashed): engine version and commit,
// host, CPU and its vector extensions, compiler and flags, library versions.
#pragma once

#include <string>

#include "store/stage_record.h"

namespace rxflow {

std::string engine_version();  // "0.1.0"
std::string git_commit();      // at build time; "-dirty" when the tree had changes
// Read once per process; thread-safe.
NamedText collect_environment();

}  // namespace rxflow
