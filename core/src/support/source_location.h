// SourceLocation: where a value of a workflow came from, so that an error
// found long after parsing still points at it: "workflows/x.toml:14:9", or
// "--set train.epochs=ten" for a command-line override.
#pragma once

#include <string>

namespace rxflow {

struct SourceLocation {
  std::string origin;  // file path, or the --set argument
  int line = 0;        // 0 when origin is not a file
  int column = 0;

  std::string to_string() const {
    if (line == 0) return origin;
    return origin + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

}  // namespace rxflow
