// What a run that did not end leaves behind: `.<run-id>.h5.partial` (its
// run file, renamed into place only when the run ends) and
// `.<run-id>.d.partial/` (files for people being written). While its run
// goes on, the writer holds a lock on the .h5.partial file; without one,
// the run was killed or crashed, and both are leftovers (`rxflow log` lists
// them as interrupted, `rxflow clean` removes them).
#pragma once

#include <string>
#include <vector>

namespace rxflow {

// Another process holds the run writer's lock on this file.
bool being_written(const std::string& file);

// The leftovers under folder (and its subfolders), in path order: partial
// run files and report folders whose run is not being written.
std::vector<std::string> leftover_partials(const std::string& folder);

}  // namespace rxflow
