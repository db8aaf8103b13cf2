// What differs between the workflows of two run files, value by value: the
// workflow's name, the overrides, and for each stage its plugin, parameters,
// bound inputs, file hashes and rows, from the stage records. Values that
// are equal are left out. `rxflow diff` prints these as its "workflow and
// parameters" section and rxflow serve's compare page shows them. Plain
// values and functions; the readers are only read.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/run_reader.h"

namespace rxflow {

struct ValueChange {
  std::string what;  // "train.epochs", "overrides", "requests row 1", "stage x"
  std::string a;     // "" when A has none
  std::string b;     // "" when B has none

  // "train.epochs: 10 -> 5"; an empty side shows as "(none)".
  std::string line() const;
};

using ValueChanges = std::vector<ValueChange>;

// Appends {what, a, b} when a != b.
void add_change(ValueChanges& changes, const std::string& what, const std::string& a,
                const std::string& b);

// Appends one change per name whose values differ (a name on one side only
// has "" on the other), named prefix + name, in name order.
void add_named_changes(ValueChanges& changes, const std::string& prefix, const NamedText& a,
                       const NamedText& b);

std::map<std::string, StageRecord> records_by_id(const std::vector<StoredStage>& stages);

// stages_a, stages_b: records_by_id of each reader's stages.
ValueChanges workflow_changes(const RunReader& a, const RunReader& b,
                              const std::map<std::string, StageRecord>& stages_a,
                              const std::map<std::string, StageRecord>& stages_b);

}  // namespace rxflow
