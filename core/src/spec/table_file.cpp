// Table files for plugins. Named spec_* because, like the workflow file,
// it is one of the two places that read TOML (design.md: only spec* code
// includes TOML++).
#include "spec/table_file.h"

#include <toml++/toml.h>

#include <sstream>
#include <stdexcept>

#include "rxflow/param.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

[[noreturn]] void fail(const std::string& origin, int line, const std::string& message) {
  throw std::runtime_error(origin + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

TextTable parse_csv_table(const std::string& text, const std::string& origin) {
  std::vector<std::vector<std::string>> records;
  std::vector<int> lines;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1, record_line = 1;
  auto end_record = [&] {
    if (field_started || !field.empty() || !record.empty()) {
      record.push_back(field);
      records.push_back(record);
      lines.push_back(record_line);
    }
    record.clear();
    field.clear();
    field_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      field_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
      record_line = line;
    } else {
      if (!field_started && field.empty() && record.empty()) record_line = line;
      field += c;
      field_started = true;
    }
  }
  if (quoted) fail(origin, record_line, "a quoted field is never closed");
  end_record();
  if (records.empty()) throw std::runtime_error(origin + ": empty table (expected a header row)");
  TextTable table;
  table.columns = records[0];
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.columns.size()) {
      fail(origin, lines[r],
           "row has " + std::to_string(records[r].size()) + " fields, the header has " +
               std::to_string(table.columns.size()));
    }
    table.rows.push_back(std::move(records[r]));
    table.lines.push_back(lines[r]);
  }
  return table;
}

TextTable parse_toml_table(const std::string& text, const std::string& origin,
                           const std::string& array) {
  toml::table document;
  try {
    document = toml::parse(text, origin);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    throw std::runtime_error(origin + ":" + std::to_string(where.line) + ":" +
                             std::to_string(where.column) + ": " + one_line(error.description()));
  }
  const toml::array* entries = document[array].as_array();
  if (!entries || entries->empty())
    throw std::runtime_error(origin + ": expected one or more [[" + array + "]] entries");
  TextTable table;
  for (const toml::node& node : *entries) {
    const toml::table* entry = node.as_table();
    const int line = static_cast<int>(node.source().begin.line);
    if (!entry) fail(origin, line, "[[" + array + "]] entries must be tables");
    std::vector<std::string> keys, values;
    for (const auto& [key, value] : *entry) {
      keys.emplace_back(key.str());
      if (const auto* s = value.as_string()) {
        values.push_back(s->get());
      } else if (const auto* i = value.as_integer()) {
        values.push_back(std::to_string(i->get()));
      } else if (const auto* f = value.as_floating_point()) {
        values.push_back(format_param_value(ParamValue{f->get()}));
      } else {
        fail(origin, static_cast<int>(value.source().begin.line),
             "\"" + std::string(key.str()) + "\" must be a string or a number");
      }
    }
    if (keys.empty()) fail(origin, line, "a [[" + array + "]] entry has no keys");
    if (table.rows.empty()) table.columns = keys;
    if (keys != table.columns) {
      std::string expected;
      for (const std::string& key : table.columns) expected += (expected.empty() ? "" : ", ") + key;
      fail(origin, line, "every [[" + array + "]] entry must have the keys " + expected);
    }
    table.rows.push_back(std::move(values));
    table.lines.push_back(line);
  }
  return table;
}

TextTable parse_table(const std::string& text, const std::string& origin,
                      const std::string& toml_array) {
  return origin.ends_with(".toml") ? parse_toml_table(text, origin, toml_array)
                                   : parse_csv_table(text, origin);
}

std::size_t table_column(const TextTable& table, const std::string& column,
                         const std::string& origin) {
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i] == column) return i;
  }
  std::string found;
  for (const std::string& name : table.columns) found += (found.empty() ? "" : ", ") + name;
  throw std::runtime_error(origin + ": no column \"" + column + "\" (found: " + found + ")");
}

}  // namespace rxflow
