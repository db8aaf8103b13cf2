// Identifiers: the names that become HDF5 group names, folder and file
// names and the "stage.output" of bindings (stage ids, workflow names,
// plugin names, artifact names). Kept to letters, digits, '_' and '-', not
// starting with a digit or '-', at most 64 characters, so that no name read
// from a workflow or a run file can climb out of a folder ("../") or
// address another object. Pure function; thread-safe.
#pragma once

#include <string_view>

namespace rxflow {

inline bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  const char first = text.front();
  if ((first >= '0' && first <= '9') || first == '-') return false;
  for (char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && !(c >= '0' && c <= '9') && c != '_' && c != '-') return false;
  }
  return true;
}

inline constexpr const char* kIdentifierRule =
    "an identifier (letters, digits, _ and -, at most 64, not starting with a digit or -)";

// Port and artifact names may also hold single dots between parts, as a
// PyTorch state_dict names its tensors ("state.0.weight"); never "..", never
// a leading dot, so they stay safe as file names.
inline bool is_port_name(std::string_view text) {
  if (text.empty() || text.size() > 128 || text.front() == '.' || text.back() == '.' ||
      text.find("..") != std::string_view::npos) {
    return false;
  }
  const char first = text.front();
  if ((first >= '0' && first <= '9') || first == '-') return false;
  for (char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

inline constexpr const char* kPortNameRule =
    "a port name (an identifier, or identifiers joined by single dots, at most 128)";

}  // namespace rxflow
