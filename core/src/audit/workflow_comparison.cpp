#include "audit/workflow_comparison.h"

#include <algorithm>
#include <set>

namespace rxflow {
namespace {

std::string either(const std::string& text) { return text.empty() ? "(none)" : text; }

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

}  // namespace

std::string ValueChange::line() const { return what + ": " + either(a) + " -> " + either(b); }

void add_change(ValueChanges& changes, const std::string& what, const std::string& a,
                const std::string& b) {
  if (a != b) changes.push_back({what, a, b});
}

void add_named_changes(ValueChanges& changes, const std::string& prefix, const NamedText& a,
                       const NamedText& b) {
  std::map<std::string, std::string> left(a.begin(), a.end()), right(b.begin(), b.end());
  std::set<std::string> names;
  for (const auto& [name, value] : left) names.insert(name);
  for (const auto& [name, value] : right) names.insert(name);
  for (const std::string& name : names) {
    add_change(changes, prefix + name, left.count(name) ? left[name] : "",
               right.count(name) ? right[name] : "");
  }
}

std::map<std::string, StageRecord> records_by_id(const std::vector<StoredStage>& stages) {
  std::map<std::string, StageRecord> records;
  for (const StoredStage& stored : stages) records[stored.record.id] = stored.record;
  return records;
}

ValueChanges workflow_changes(const RunReader& a, const RunReader& b,
                              const std::map<std::string, StageRecord>& stages_a,
                              const std::map<std::string, StageRecord>& stages_b) {
  ValueChanges changes;
  add_change(changes, "workflow", a.attribute("workflow"), b.attribute("workflow"));
  add_change(changes, "overrides", joined(a.overrides(), " "), joined(b.overrides(), " "));
  std::set<std::string> ids;
  for (const auto& [id, record] : stages_a) ids.insert(id);
  for (const auto& [id, record] : stages_b) ids.insert(id);
  for (const std::string& id : ids) {
    const auto left = stages_a.find(id), right = stages_b.find(id);
    if (left == stages_a.end() || right == stages_b.end()) {
      add_change(changes, "stage " + id, left == stages_a.end() ? "" : left->second.plugin,
                 right == stages_b.end() ? "" : right->second.plugin);
      continue;
    }
    add_change(changes, id + " plugin", left->second.plugin, right->second.plugin);
    add_named_changes(changes, id + ".", left->second.params, right->second.params);
    add_named_changes(changes, id + " input ", left->second.inputs, right->second.inputs);
    add_named_changes(changes, id + " file ", left->second.files, right->second.files);
    const std::size_t rows = std::max(left->second.rows.size(), right->second.rows.size());
    for (std::size_t i = 0; i < rows; ++i) {
      add_change(changes, id + " row " + std::to_string(i + 1),
                 i < left->second.rows.size() ? left->second.rows[i] : "",
                 i < right->second.rows.size() ? right->second.rows[i] : "");
    }
  }
  return changes;
}

}  // namespace rxflow
