// The only file that reads TOML. Everything leaves here as plain Spec
// values carrying their source locations.
#include "spec/spec.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "support/errors.h"
#include "support/identifier.h"

namespace rxflow {
namespace {

SourceLocation location_of(const toml::source_region& region, const std::string& origin) {
  return {origin, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::string type_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

std::string written(const toml::node& node) {
  if (node.is_string()) return format_param_value(ParamValue{node.as_string()->get()});
  std::ostringstream out;
  node.visit([&](const auto& n) { out << toml::toml_formatter{n}; });
  std::string text = out.str();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

void check_keys(const toml::table& table, const std::set<std::string>& allowed,
                const std::string& where_name, const std::string& origin) {
  for (auto&& [key, node] : table) {
    if (allowed.count(std::string(key.str())) == 0) {
      std::string expected;
      for (const auto& name : allowed) expected += (expected.empty() ? "" : ", ") + name;
      fail_at(location_of(key.source(), origin), "unknown key \"" + std::string(key.str()) +
                                                     "\" in " + where_name + " (expected one of " +
                                                     expected + ")");
    }
  }
}

const toml::node& require(const toml::table& table, const char* key, const std::string& where_name,
                          const SourceLocation& table_where) {
  const toml::node* node = table.get(key);
  if (node == nullptr)
    fail_at(table_where, where_name + " is missing the required key \"" + key + "\"");
  return *node;
}

std::string string_at(const toml::node& node, const std::string& what, const std::string& origin) {
  if (!node.is_string()) {
    fail_at(location_of(node.source(), origin),
            what + " must be a string, got " + type_of(node) + " " + written(node));
  }
  return node.as_string()->get();
}

SpecValue to_spec_value(const toml::node& node, const std::string& what,
                        const std::string& origin) {
  SpecValue value{std::int64_t{0}, written(node), location_of(node.source(), origin)};
  if (node.is_integer()) {
    value.value = node.as_integer()->get();
  } else if (node.is_floating_point()) {
    value.value = node.as_floating_point()->get();
  } else if (node.is_boolean()) {
    value.value = node.as_boolean()->get();
  } else if (node.is_string()) {
    value.value = node.as_string()->get();
  } else if (const toml::array* array = node.as_array()) {
    const bool numbers = std::all_of(array->begin(), array->end(), [](const toml::node& item) {
      return item.is_integer() || item.is_floating_point();
    });
    if (!array->empty() && array->is_homogeneous(toml::node_type::string)) {
      std::vector<std::string> items;
      for (const auto& item : *array) items.push_back(item.as_string()->get());
      value.value = std::move(items);
    } else if (numbers) {
      std::vector<double> items;
      for (const auto& item : *array) {
        items.push_back(item.is_integer() ? static_cast<double>(item.as_integer()->get())
                                          : item.as_floating_point()->get());
      }
      value.value = std::move(items);
    } else {
      fail_at(value.where,
              what + " must be a list of numbers or a list of strings, got " + written(node));
    }
  } else {
    fail_at(value.where, what + " must be a number, boolean, string or list, got " + type_of(node));
  }
  return value;
}

InputBinding parse_binding(const toml::node& node, const std::string& what,
                           const std::string& origin) {
  const std::string text = string_at(node, what, origin);
  const SourceLocation where = location_of(node.source(), origin);
  const auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
    fail_at(where,
            what + " must name an upstream output as \"stage.output\", got \"" + text + "\"");
  }
  return {text.substr(0, dot), text.substr(dot + 1), where};
}

template <typename Parse>
auto parse_table_array(const toml::table& root, const char* key, const std::string& key_name,
                       const std::string& origin, Parse parse) {
  std::vector<decltype(parse(std::declval<const toml::table&>()))> items;
  const toml::node* node = root.get(key);
  if (node == nullptr) return items;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    fail_at(location_of(node->source(), origin), "\"" + key_name +
                                                     "\" must be an array of tables ([[" +
                                                     key_name + "]]), got " + type_of(*node));
  }
  for (const auto& element : *array) {
    const toml::table* table = element.as_table();
    if (table == nullptr) {
      fail_at(location_of(element.source(), origin),
              "each [[" + key_name + "]] must be a table, got " + type_of(element));
    }
    items.push_back(parse(*table));
  }
  return items;
}

SpecRow parse_row(const toml::table& table, const std::string& what, const std::string& origin) {
  SpecRow row;
  row.where = location_of(table.source(), origin);
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    row.values.emplace(name, to_spec_value(node, what + ": column \"" + name + "\"", origin));
  }
  return row;
}

StageSpec parse_stage(const toml::table& table, const std::string& origin) {
  StageSpec stage;
  stage.where = location_of(table.source(), origin);
  check_keys(table, {"id", "plugin", "params", "inputs", "rows"}, "[[stage]]", origin);
  const toml::node& id = require(table, "id", "[[stage]]", stage.where);
  stage.id = string_at(id, "[[stage]] id", origin);
  if (!is_identifier(stage.id)) {
    fail_at(location_of(id.source(), origin),
            "stage id must be " + std::string(kIdentifierRule) + ", got " + written(id));
  }
  const std::string what = "stage \"" + stage.id + "\"";
  stage.plugin = string_at(require(table, "plugin", what, stage.where), what + ": plugin", origin);
  if (const toml::node* params = table.get("params")) {
    const toml::table* params_table = params->as_table();
    if (params_table == nullptr) {
      fail_at(location_of(params->source(), origin),
              what + ": params must be a table, got " + type_of(*params));
    }
    for (auto&& [key, node] : *params_table) {
      const std::string name(key.str());
      stage.params.emplace(name,
                           to_spec_value(node, what + ": parameter \"" + name + "\"", origin));
    }
  }
  if (const toml::node* inputs = table.get("inputs")) {
    const toml::table* inputs_table = inputs->as_table();
    const bool auto_inputs = inputs->is_string() && inputs->as_string()->get() == "auto";
    if (inputs_table == nullptr && !auto_inputs) {
      fail_at(location_of(inputs->source(), origin),
              what + ": inputs must be a table of bindings or \"auto\", got " + written(*inputs));
    }
    if (inputs_table != nullptr) {
      for (auto&& [key, node] : *inputs_table) {
        const std::string port(key.str());
        stage.inputs.emplace(port, parse_binding(node, what + ": input \"" + port + "\"", origin));
      }
    }
  }
  stage.rows = parse_table_array(table, "rows", "stage.rows", origin, [&](const toml::table& row) {
    return parse_row(row, what + ": row", origin);
  });
  return stage;
}

void parse_workflow_table(const toml::table& root, Spec& spec, const std::string& origin) {
  const toml::node* node = root.get("workflow");
  if (node == nullptr)
    fail_at({origin, 1, 1}, "missing the [workflow] table (name, description, seed)");
  const toml::table* table = node->as_table();
  if (table == nullptr) fail_at(location_of(node->source(), origin), "[workflow] must be a table");
  const SourceLocation where = location_of(table->source(), origin);
  check_keys(*table, {"name", "description", "seed"}, "[workflow]", origin);
  const toml::node& name = require(*table, "name", "[workflow]", where);
  spec.name = string_at(name, "[workflow] name", origin);
  if (!is_identifier(spec.name)) {
    fail_at(location_of(name.source(), origin),
            "[workflow] name must be " + std::string(kIdentifierRule) +
                " (it names the results folder), got " + written(name));
  }
  if (const toml::node* description = table->get("description")) {
    spec.description = string_at(*description, "[workflow] description", origin);
  }
  if (const toml::node* seed = table->get("seed")) {
    if (!seed->is_integer() || seed->as_integer()->get() < 0) {
      fail_at(location_of(seed->source(), origin),
              "[workflow] seed must be a non-negative integer, got " + written(*seed));
    }
    spec.seed = static_cast<std::uint64_t>(seed->as_integer()->get());
  }
}

// "stage.param" naming a stage of the workflow; where names the key.
std::pair<std::string, std::string> stage_param_name(const std::string& key, const Spec& spec,
                                                     const SourceLocation& where,
                                                     const std::string& what) {
  const auto dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == key.size() ||
      key.find('.', dot + 1) != std::string::npos) {
    fail_at(where, what + " \"" + key + "\" must name a parameter as \"stage.param\"");
  }
  const std::string stage = key.substr(0, dot);
  bool known = false;
  for (const StageSpec& candidate : spec.stages) known |= candidate.id == stage;
  if (!known)
    fail_at(where, what + " \"" + key + "\": the workflow has no stage \"" + stage + "\"");
  return {stage, key.substr(dot + 1)};
}

std::vector<SweepAxis> parse_axes(const toml::node* node, const char* table_name, const Spec& spec,
                                  const std::string& origin) {
  std::vector<SweepAxis> axes;
  if (node == nullptr) return axes;
  const std::string what = std::string("[sweep.") + table_name + "]";
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    fail_at(location_of(node->source(), origin),
            what + " must be a table of \"stage.param\" = [values]");
  }
  for (auto&& [key, value] : *table) {
    const SourceLocation where = location_of(key.source(), origin);
    SweepAxis axis;
    std::tie(axis.stage, axis.param) =
        stage_param_name(std::string(key.str()), spec, where, what + " key");
    axis.where = where;
    const toml::array* values = value.as_array();
    if (values == nullptr || values->empty()) {
      fail_at(location_of(value.source(), origin),
              what + " \"" + axis.name() + "\" must be a non-empty list of values, got " +
                  written(value));
    }
    for (const toml::node& item : *values) {
      axis.values.push_back(to_spec_value(item, what + " \"" + axis.name() + "\": value", origin));
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

SweepSpec parse_sweep(const toml::table& table, const Spec& spec, const std::string& origin) {
  SweepSpec sweep;
  sweep.where = location_of(table.source(), origin);
  check_keys(table, {"name", "repeats", "seeds", "grid", "zip"}, "[sweep]", origin);
  if (const toml::node* name = table.get("name")) {
    sweep.name = string_at(*name, "[sweep] name", origin);
    if (!is_identifier(sweep.name)) {
      fail_at(location_of(name->source(), origin),
              "[sweep] name must be " + std::string(kIdentifierRule) +
                  " (it names the sweep's folder), got " + written(*name));
    }
  }
  if (const toml::node* repeats = table.get("repeats")) {
    if (!repeats->is_integer() || repeats->as_integer()->get() < 1 ||
        repeats->as_integer()->get() > 1'000'000) {
      fail_at(location_of(repeats->source(), origin),
              "[sweep] repeats must be an integer in [1, 1000000], got " + written(*repeats));
    }
    sweep.repeats = static_cast<std::uint64_t>(repeats->as_integer()->get());
  }
  if (const toml::node* seeds = table.get("seeds")) {
    const std::string text = string_at(*seeds, "[sweep] seeds", origin);
    if (text != "shared" && text != "independent") {
      fail_at(location_of(seeds->source(), origin),
              "[sweep] seeds must be \"shared\" or \"independent\", got " + written(*seeds));
    }
    sweep.seeds = text == "shared" ? SweepSeeds::kShared : SweepSeeds::kIndependent;
  }
  sweep.grid = parse_axes(table.get("grid"), "grid", spec, origin);
  sweep.zip = parse_axes(table.get("zip"), "zip", spec, origin);
  for (const SweepAxis& axis : sweep.zip) {
    if (axis.values.size() != sweep.zip.front().values.size()) {
      fail_at(axis.where, "[sweep.zip] \"" + axis.name() + "\" has " +
                              std::to_string(axis.values.size()) + " values, \"" +
                              sweep.zip.front().name() + "\" has " +
                              std::to_string(sweep.zip.front().values.size()) +
                              " (zipped lists advance together, so they need equal lengths)");
    }
  }
  check_sweep_axes(sweep);
  return sweep;
}

ServeSpec parse_serve(const toml::table& table, const Spec& spec, const std::string& origin) {
  ServeSpec serve;
  serve.where = location_of(table.source(), origin);
  check_keys(table, {"tunable"}, "[serve]", origin);
  const toml::node* node = table.get("tunable");
  if (node == nullptr) return serve;
  const toml::array* names = node->as_array();
  if (names == nullptr) {
    fail_at(location_of(node->source(), origin),
            "[serve] tunable must be a list of \"stage.param\" names, got " + written(*node));
  }
  std::set<std::string> listed;
  for (const toml::node& item : *names) {
    TunableParam tunable;
    tunable.where = location_of(item.source(), origin);
    std::tie(tunable.stage, tunable.param) = stage_param_name(
        string_at(item, "[serve] tunable entry", origin), spec, tunable.where, "[serve] tunable");
    if (!listed.insert(tunable.name()).second) {
      fail_at(tunable.where, "[serve] tunable \"" + tunable.name() + "\" is listed twice");
    }
    serve.tunable.push_back(std::move(tunable));
  }
  return serve;
}

// A string value that TOML cannot hold (invalid UTF-8) would make the
// resolved workflow unreadable: refused where it enters.
void check_storable(const SpecValue& value, const std::string& where_name) {
  try {
    (void)toml::parse("v = " + format_param_value(value.value), where_name);
  } catch (const toml::parse_error& error) {
    throw InputError(where_name + ": the value cannot be stored in a workflow (" +
                     std::string(error.description()) + ")");
  }
}

}  // namespace

Spec parse_spec_text(const std::string& text, const std::string& origin, SpecDialect dialect) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& error) {
    fail_at(location_of(error.source(), origin),
            "TOML syntax error: " + std::string(error.description()));
  }
  Spec spec;
  spec.path = origin;
  spec.text = text;
  if (dialect == SpecDialect::kFormat1) {
    root.erase("request");
  } else if (const toml::node* requests = root.get("request")) {
    fail_at(location_of(requests->source(), origin),
            "top-level [[request]] tables are no longer read: the requests are the rows of a "
            "stage (plugin \"patient_requests\", [[stage.rows]]; docs/workflow-format.md)");
  }
  check_keys(root, {"workflow", "stage", "sweep", "serve"}, "the workflow file", origin);
  parse_workflow_table(root, spec, origin);
  spec.stages = parse_table_array(root, "stage", "stage", origin, [&](const toml::table& table) {
    return parse_stage(table, origin);
  });
  if (spec.stages.empty()) fail_at({origin, 1, 1}, "the workflow has no [[stage]] entries");
  std::set<std::string> ids;
  for (const StageSpec& stage : spec.stages) {
    if (!ids.insert(stage.id).second)
      fail_at(stage.where, "duplicate stage id \"" + stage.id + "\"");
  }
  if (const toml::node* sweep = root.get("sweep")) {
    const toml::table* table = sweep->as_table();
    if (table == nullptr) fail_at(location_of(sweep->source(), origin), "[sweep] must be a table");
    spec.sweep = parse_sweep(*table, spec, origin);
  }
  if (const toml::node* serve = root.get("serve")) {
    const toml::table* table = serve->as_table();
    if (table == nullptr) fail_at(location_of(serve->source(), origin), "[serve] must be a table");
    spec.serve = parse_serve(*table, spec, origin);
  }
  return spec;
}

Spec parse_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the workflow file (missing or unreadable)");
  std::ostringstream contents;
  contents << in.rdbuf();
  return parse_spec_text(contents.str(), path);
}

namespace {

// Stores an override's value in its stage and records the assignment.
void put_param(Spec& spec, const std::string& stage_id, const std::string& param, SpecValue value,
               const std::string& assignment, const std::string& where_name) {
  for (StageSpec& stage : spec.stages) {
    if (stage.id != stage_id) continue;
    check_storable(value, where_name);
    stage.params[param] = std::move(value);
    spec.overrides.push_back(assignment);
    return;
  }
  throw InputError(where_name + ": the workflow has no stage \"" + stage_id + "\"");
}

}  // namespace

void apply_override(Spec& spec, const std::string& assignment) {
  const std::string where_name = "--set " + assignment;
  const auto equals = assignment.find('=');
  const auto dot = assignment.find('.');
  if (equals == std::string::npos || dot == std::string::npos || dot == 0 || dot > equals ||
      dot + 1 == equals) {
    throw InputError(where_name + ": expected stage.param=value");
  }
  const std::string text = assignment.substr(equals + 1);
  SpecValue value{text, "\"" + text + "\"", {where_name, 0, 0}};
  try {
    const toml::table parsed = toml::parse("v = " + text, where_name);
    value = to_spec_value(*parsed.get("v"), where_name, where_name);
    value.where = {where_name, 0, 0};
  } catch (const toml::parse_error&) {
    // Not a TOML value: a bare word such as a file name is meant as a string.
  }
  put_param(spec, assignment.substr(0, dot), assignment.substr(dot + 1, equals - dot - 1),
            std::move(value), assignment, where_name);
}

SweepAxis parse_sweep_axis(const std::string& text, const std::string& option) {
  const std::string where_name = option + " " + text;
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals + 1 == text.size()) {
    throw InputError(where_name + ": expected stage.param=value,value,...");
  }
  const std::string key = text.substr(0, equals);
  const auto dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == key.size()) {
    throw InputError(where_name + ": \"" + key + "\" must name a parameter as \"stage.param\"");
  }
  SweepAxis axis;
  axis.stage = key.substr(0, dot);
  axis.param = key.substr(dot + 1);
  axis.where = {where_name, 0, 0};
  std::size_t start = equals + 1;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    if (item.empty()) throw InputError(where_name + ": an empty value in the list");
    SpecValue value{item, "\"" + item + "\"", axis.where};
    try {
      const toml::table parsed = toml::parse("v = " + item, where_name);
      value = to_spec_value(*parsed.get("v"), where_name, where_name);
      value.where = axis.where;
    } catch (const toml::parse_error&) {
      // A bare word is meant as a string, as in --set.
    }
    check_storable(value, where_name);
    axis.values.push_back(std::move(value));
    start = comma + 1;
  }
  return axis;
}

void check_sweep_axes(const SweepSpec& sweep) {
  std::set<std::string> names;
  for (const auto* axes : {&sweep.grid, &sweep.zip}) {
    for (const SweepAxis& axis : *axes) {
      if (!names.insert(axis.name()).second) {
        fail_at(axis.where, "\"" + axis.name() +
                                "\" is swept twice (in [sweep.grid] and "
                                "[sweep.zip], or on the command line too)");
      }
    }
  }
}

void set_param(Spec& spec, const std::string& stage_id, const std::string& param,
               ParamValue value) {
  const std::string written = format_param_value(value);
  const std::string assignment = stage_id + "." + param + "=" + written;
  put_param(spec, stage_id, param, SpecValue{std::move(value), written, {assignment, 0, 0}},
            assignment, assignment);
}

void set_row(Spec& spec, const std::string& stage_id, const ParamRow& row,
             const std::string& origin) {
  const SourceLocation where{origin, 0, 0};
  SpecRow written;
  written.where = where;
  for (const auto& [name, value] : row.values) {
    SpecValue cell{value, format_param_value(value), where};
    check_storable(cell, origin + ": stage \"" + stage_id + "\": row 1 column \"" + name + "\"");
    written.values[name] = std::move(cell);
  }
  for (StageSpec& stage : spec.stages) {
    if (stage.id != stage_id) continue;
    stage.rows = {std::move(written)};
    spec.overrides.push_back(stage_id + ".rows=[" + format_param_row(row) + "]");
    return;
  }
  throw InputError(origin + ": the workflow has no stage \"" + stage_id + "\"");
}

}  // namespace rxflow

namespace rxflow {

std::string toml_library_version() {
  return "TOML++ " + std::to_string(TOML_LIB_MAJOR) + "." + std::to_string(TOML_LIB_MINOR) + "." +
         std::to_string(TOML_LIB_PATCH);
}

}  // namespace rxflow
