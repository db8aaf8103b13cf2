// Parameter schema: how a plugin states the parameters it accepts (name,
// type, default, range, one line of help), and the typed values the engine
// hands it after validating the experiment file against that schema.
// Plain values; safe to share between threads once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rxflow {

enum class ParamType { kInt, kFloat, kBool, kString, kFloatList, kStringList, kFile };

// "int", "float", "bool", "string", "float list", "string list", "file".
std::string param_type_name(ParamType type);

// A kFile value is the path as written; the engine resolves and hashes it.
using ParamValue = std::variant<std::int64_t, double, bool, std::string, std::vector<double>,
                                std::vector<std::string>>;

// The value as TOML would write it: 3, 0.5, true, "text", [1.0, 2.0].
std::string format_param_value(const ParamValue& value);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kFloat;
  std::optional<ParamValue> default_value;  // none: the parameter is required
  std::optional<double> min;                // inclusive; for lists, per element
  std::optional<double> max;                // inclusive; for lists, per element
  std::vector<std::string> choices;         // allowed strings; empty: any
  std::string help;
  std::size_t list_size = 0;  // lists: required length; 0: any

  static ParamSpec integer(std::string name, std::int64_t default_value, std::int64_t min,
                           std::int64_t max, std::string help);
  static ParamSpec real(std::string name, double default_value, double min, double max,
                        std::string help);
  static ParamSpec boolean(std::string name, bool default_value, std::string help);
  static ParamSpec choice(std::string name, std::string default_value,
                          std::vector<std::string> choices, std::string help);
  static ParamSpec text(std::string name, std::string default_value, std::string help);
  static ParamSpec real_list(std::string name, std::vector<double> default_value, double min,
                             double max, std::string help, std::size_t list_size = 0);
  static ParamSpec text_list(std::string name, std::vector<std::string> default_value,
                             std::string help);
  // A relative path is looked up beside the workflow file, then in rxflow's
  // data folder. The empty path means "no file"; required files use
  // required_file().
  static ParamSpec file(std::string name, std::string default_value, std::string help);
  static ParamSpec required_file(std::string name, std::string help);
};

// One row of a stage's table of rows ([[stage.rows]] in the experiment
// file), checked against the plugin's row schema: every column of the schema,
// in schema order, defaults filled in.
struct ParamRow {
  std::vector<std::pair<std::string, ParamValue>> values;

  // REQUIRES: name is a column of the row schema with the matching type
  // (an integer column reads as real() too); throws std::out_of_range
  // naming the column otherwise.
  const ParamValue& at(std::string_view name) const;
  double real(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  const std::string& text(std::string_view name) const;
};

// A row as one TOML inline table, columns by name: {age = 52.0, patient_id = "p1"}.
std::string format_param_row(const ParamRow& row);

// The range or choices of a spec as a user reads them: "[1, 1000]",
// "one of \"threshold\", \"bernoulli\"", or "" when unconstrained.
std::string describe_constraint(const ParamSpec& spec);

}  // namespace rxflow
