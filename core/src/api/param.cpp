#include "rxflow/param.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rxflow {

std::string param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kInt:
      return "int";
    case ParamType::kFloat:
      return "float";
    case ParamType::kBool:
      return "bool";
    case ParamType::kString:
      return "string";
    case ParamType::kFloatList:
      return "float list";
    case ParamType::kStringList:
      return "string list";
    case ParamType::kFile:
      return "file";
  }
  return "unknown";
}

namespace {

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Shortest text that reads back as the same double, always with a '.' or
// exponent so TOML reads it as a float.
std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

template <typename T, typename Format>
std::string format_list(const std::vector<T>& items, Format format) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += format(items[i]);
  }
  return out + "]";
}

}  // namespace

std::string format_param_value(const ParamValue& value) {
  struct Formatter {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return format_double(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return quote(v); }
    std::string operator()(const std::vector<double>& v) const {
      return format_list(v, format_double);
    }
    std::string operator()(const std::vector<std::string>& v) const {
      return format_list(v, quote);
    }
  };
  return std::visit(Formatter{}, value);
}

ParamSpec ParamSpec::integer(std::string name, std::int64_t default_value, std::int64_t min,
                             std::int64_t max, std::string help) {
  return {std::move(name),          ParamType::kInt,          default_value,
          static_cast<double>(min), static_cast<double>(max), {},
          std::move(help)};
}

ParamSpec ParamSpec::real(std::string name, double default_value, double min, double max,
                          std::string help) {
  return {std::move(name), ParamType::kFloat, default_value, min, max, {}, std::move(help)};
}

ParamSpec ParamSpec::boolean(std::string name, bool default_value, std::string help) {
  return {std::move(name), ParamType::kBool, default_value, {}, {}, {}, std::move(help)};
}

ParamSpec ParamSpec::choice(std::string name, std::string default_value,
                            std::vector<std::string> choices, std::string help) {
  return {std::move(name),    ParamType::kString, std::move(default_value), {}, {},
          std::move(choices), std::move(help)};
}

ParamSpec ParamSpec::text(std::string name, std::string default_value, std::string help) {
  return {std::move(name), ParamType::kString, std::move(default_value), {}, {}, {},
          std::move(help)};
}

ParamSpec ParamSpec::real_list(std::string name, std::vector<double> default_value, double min,
                               double max, std::string help, std::size_t list_size) {
  return {std::move(name),
          ParamType::kFloatList,
          std::move(default_value),
          min,
          max,
          {},
          std::move(help),
          list_size};
}

ParamSpec ParamSpec::text_list(std::string name, std::vector<std::string> default_value,
                               std::string help) {
  return {std::move(name), ParamType::kStringList, std::move(default_value), {}, {}, {},
          std::move(help)};
}

ParamSpec ParamSpec::file(std::string name, std::string default_value, std::string help) {
  return {std::move(name), ParamType::kFile, std::move(default_value), {}, {}, {}, std::move(help)};
}

ParamSpec ParamSpec::required_file(std::string name, std::string help) {
  return {std::move(name), ParamType::kFile, std::nullopt, {}, {}, {}, std::move(help)};
}

std::string describe_constraint(const ParamSpec& spec) {
  if (!spec.choices.empty()) {
    std::string out = "one of ";
    for (std::size_t i = 0; i < spec.choices.size(); ++i) {
      if (i > 0) out += ", ";
      out += quote(spec.choices[i]);
    }
    return out;
  }
  if (!spec.min && !spec.max) return "";
  const bool integral = spec.type == ParamType::kInt;
  auto bound = [&](const std::optional<double>& b, const char* infinite) -> std::string {
    if (!b) return infinite;
    return integral ? std::to_string(static_cast<std::int64_t>(*b)) : format_double(*b);
  };
  return "[" + bound(spec.min, "-inf") + ", " + bound(spec.max, "inf") + "]";
}

std::string format_param_row(const ParamRow& row) {
  std::vector<const std::pair<std::string, ParamValue>*> columns;
  for (const auto& column : row.values) columns.push_back(&column);
  std::sort(columns.begin(), columns.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out = "{";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out += (i ? ", " : "") + columns[i]->first + " = " + format_param_value(columns[i]->second);
  }
  return out + "}";
}

const ParamValue& ParamRow::at(std::string_view name) const {
  for (const auto& [column, value] : values) {
    if (column == name) return value;
  }
  throw std::out_of_range("row has no column \"" + std::string(name) + "\"");
}

double ParamRow::real(std::string_view name) const {
  const ParamValue& value = at(name);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  if (const auto* number = std::get_if<double>(&value)) return *number;
  throw std::out_of_range("row column \"" + std::string(name) + "\" is not a number");
}

std::int64_t ParamRow::integer(std::string_view name) const {
  if (const auto* integer = std::get_if<std::int64_t>(&at(name))) return *integer;
  throw std::out_of_range("row column \"" + std::string(name) + "\" is not an integer");
}

const std::string& ParamRow::text(std::string_view name) const {
  if (const auto* text = std::get_if<std::string>(&at(name))) return *text;
  throw std::out_of_range("row column \"" + std::string(name) + "\" is not a string");
}

}  // namespace rxflow
