// Spec: exactly what an experiment file says, plus where each value came
// from. Built once by parse_spec (the only code that reads TOML); the planner
// validates it against the plugins' schemas. A plain value; not synchronised.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rxflow/param.h"
#include "rxflow/request.h"
#include "support/source_location.h"

namespace rxflow {

// A parameter value as written. Integers stay integers; arrays of numbers
// become float lists, arrays of strings string lists (an empty array is an
// empty float list, accepted for either list type).
struct SpecValue {
  ParamValue value;
  std::string written;  // as TOML would print it, for messages
  SourceLocation where;
};

struct InputBinding {
  std::string stage;   // upstream stage id
  std::string output;  // its output port
  SourceLocation where;
};

struct StageSpec {
  std::string id;
  std::string plugin;
  SourceLocation where;
  std::map<std::string, SpecValue> params;
  std::map<std::string, InputBinding> inputs;
};

struct Spec {
  std::string path;  // the file as given; empty for a spec rebuilt from a run
  std::string text;  // the file's contents, byte for byte
  std::string name;
  std::string description;
  std::optional<std::uint64_t> seed;
  std::vector<StageSpec> stages;
  std::vector<Request> requests;
  std::vector<std::string> overrides;  // "stage.param=value", in order given
};

// Throws InputError with file:line:column for unreadable files, TOML syntax
// errors, unknown keys, wrong types, bad identifiers and invalid requests.
Spec parse_spec_file(const std::string& path);
Spec parse_spec_text(const std::string& text, const std::string& origin);

// Applies "stage.param=value" (value read as a TOML value; anything TOML
// cannot read is taken as a string). Throws InputError for a malformed
// override or an unknown stage; unknown parameters are the planner's check.
void apply_override(Spec& spec, const std::string& assignment);

}  // namespace rxflow

namespace rxflow {

// "TOML++ 3.3.0", for the run's recorded context.
std::string toml_library_version();

}  // namespace rxflow
