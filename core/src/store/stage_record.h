// StageRecord: what the run file keeps about one stage, split as the
// design asks: the identity fields (hashed into record_sha256 and from there
// into the run's root hash) and the context fields (recorded, not hashed;
// status and error are sealed with the file, docs/run-format.md). Plain
// values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rxflow/artifact.h"

namespace rxflow {

using NamedText = std::vector<std::pair<std::string, std::string>>;

struct ArtifactRecord {
  std::string name;
  DType dtype = DType::kFloat64;
  std::vector<std::uint64_t> shape;
  std::string sha256;    // artifact_sha256 of the content
  bool metrics = false;  // a headline table (rxflow/port.h); context, not hashed
};

struct StageRecord {
  // Identity.
  std::string id;
  std::string plugin;
  std::string plugin_kind;
  std::string plugin_version;
  std::string plugin_sha256;
  bool renders = false;  // the kind renders the run: outside the root hash
  std::uint64_t seed = 0;
  NamedText params;               // name -> value as TOML, in schema order
  NamedText inputs;               // port -> "stage.output"
  NamedText input_hashes;         // port -> sha256 of the bound artifact
  NamedText files;                // file parameter -> sha256 of the file
  std::vector<std::string> rows;  // each row as an inline TOML table, in order
  std::vector<ArtifactRecord> outputs;
  // Context.
  std::string plugin_file;
  NamedText param_origins;  // name -> "default" or file:line:column / --set
  std::string status;       // "complete" or "failed"
  std::string error;
  double seconds = 0;
  std::vector<std::string> log;
  // Set when the outputs came from an earlier run's stage (the stage cache).
  std::string reused_from_run;
  std::string reused_from_stage;
};

}  // namespace rxflow
