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
#include "spec/serve_spec.h"
#include "spec/spec_value.h"
#include "spec/sweep_spec.h"
#include "support/source_location.h"

namespace rxflow {

struct InputBinding {
  std::string stage;   // upstream stage id
  std::string output;  // its output port
  SourceLocation where;
};

// One [[stage.rows]] entry as written.
struct SpecRow {
  std::map<std::string, SpecValue> values;
  SourceLocation where;
};

struct StageSpec {
  std::string id;
  std::string plugin;
  SourceLocation where;
  std::map<std::string, SpecValue> params;
  // Inputs bound by hand; every other input is bound by port name to the one
  // upstream output of the same name (the planner's auto-binding).
  std::map<std::string, InputBinding> inputs;
  std::vector<SpecRow> rows;
};

struct Spec {
  std::string path;  // the file as given; empty for a spec rebuilt from a run
  std::string text;  // the file's contents, byte for byte
  std::string name;
  std::string description;
  std::optional<std::uint64_t> seed;
  std::vector<StageSpec> stages;
  std::vector<std::string> overrides;  // "stage.param=value", in order given
  std::optional<SweepSpec> sweep;      // the [sweep] table, when there is one
  std::optional<ServeSpec> serve;      // the [serve] table, when there is one
};

// Run files of format version 1 (docs/run-format.md) stored a resolved
// workflow with top-level [[request]] tables, which were the requests'
// only record; verify reads such a workflow with kFormat1, which skips them.
enum class SpecDialect { kCurrent, kFormat1 };

// Throws InputError with file:line:column for unreadable files, TOML syntax
// errors, unknown keys, wrong types and bad identifiers.
Spec parse_spec_file(const std::string& path);
Spec parse_spec_text(const std::string& text, const std::string& origin,
                     SpecDialect dialect = SpecDialect::kCurrent);

// Applies "stage.param=value" (value read as a TOML value; anything TOML
// cannot read is taken as a string). Throws InputError for a malformed
// override, an unknown stage, or a string TOML cannot hold (invalid UTF-8);
// unknown parameters are the planner's check.
void apply_override(Spec& spec, const std::string& assignment);

// One sweep axis from the command line: "stage.param=v1,v2,..." (each value
// read as a TOML value, as apply_override reads one). Throws InputError
// naming the option for a malformed axis or an empty list.
SweepAxis parse_sweep_axis(const std::string& text, const std::string& option);

// Throws InputError at the second place a parameter is swept.
void check_sweep_axes(const SweepSpec& sweep);

// Sets one parameter to a typed value (what front ends use instead of
// writing text): recorded as "stage.param=<value as TOML>" in overrides.
// Throws InputError for an unknown stage.
void set_param(Spec& spec, const std::string& stage, const std::string& param, ParamValue value);

// Replaces the rows of a stage by one row of typed values (what front ends
// use instead of writing text; rxflow serve's form), each located at
// origin: recorded as "<stage>.rows=[{...}]" in overrides. Throws
// InputError naming origin for an unknown stage or a string TOML cannot
// hold (invalid UTF-8); unknown columns and values are the planner's check.
void set_row(Spec& spec, const std::string& stage, const ParamRow& row, const std::string& origin);

}  // namespace rxflow

namespace rxflow {

// "TOML++ 3.3.0", for the run's recorded context.
std::string toml_library_version();

}  // namespace rxflow
