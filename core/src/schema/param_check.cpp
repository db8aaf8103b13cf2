#include "schema/param_check.h"

#include <algorithm>
#include <cmath>

namespace rxflow {
namespace {

bool in_range(const ParamSpec& spec, double x) {
  if (!std::isfinite(x)) return false;
  if (spec.min && x < *spec.min) return false;
  if (spec.max && x > *spec.max) return false;
  return true;
}

// HDF5 and C strings end at a NUL: such a value could not be recorded as given.
bool has_nul(const std::string& text) { return text.find('\0') != std::string::npos; }

}  // namespace

std::string param_expectation(const ParamSpec& spec) {
  std::string kind;
  switch (spec.type) {
    case ParamType::kInt:
      kind = "an integer";
      break;
    case ParamType::kFloat:
      kind = "a number";
      break;
    case ParamType::kBool:
      kind = "true or false";
      break;
    case ParamType::kString:
      kind = "a string";
      break;
    case ParamType::kFloatList:
      kind = "a list of numbers";
      break;
    case ParamType::kStringList:
      kind = "a list of strings";
      break;
    case ParamType::kFile:
      kind = "a file path (string)";
      break;
  }
  const std::string constraint = describe_constraint(spec);
  if (constraint.empty()) return kind;
  if (spec.type == ParamType::kFloatList) {
    const std::string count =
        spec.list_size > 0 ? " of " + std::to_string(spec.list_size) + " numbers" : "";
    return "a list" + count + (count.empty() ? " of numbers" : "") + ", each in " + constraint;
  }
  if (!spec.choices.empty()) return kind + ", " + constraint;
  return kind + " in " + constraint;
}

std::optional<ParamValue> conform_param_value(const ParamSpec& spec, const ParamValue& value) {
  switch (spec.type) {
    case ParamType::kInt:
      if (const auto* v = std::get_if<std::int64_t>(&value)) {
        if (in_range(spec, static_cast<double>(*v))) return value;
      }
      return std::nullopt;
    case ParamType::kFloat: {
      double x;
      if (const auto* i = std::get_if<std::int64_t>(&value)) {
        x = static_cast<double>(*i);
      } else if (const auto* d = std::get_if<double>(&value)) {
        x = *d;
      } else {
        return std::nullopt;
      }
      if (!in_range(spec, x)) return std::nullopt;
      return ParamValue{x};
    }
    case ParamType::kBool:
      if (std::holds_alternative<bool>(value)) return value;
      return std::nullopt;
    case ParamType::kString:
    case ParamType::kFile: {
      const auto* text = std::get_if<std::string>(&value);
      if (text == nullptr || has_nul(*text)) return std::nullopt;
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), *text) == spec.choices.end()) {
        return std::nullopt;
      }
      return value;
    }
    case ParamType::kFloatList: {
      const auto* items = std::get_if<std::vector<double>>(&value);
      if (items == nullptr) return std::nullopt;
      if (spec.list_size > 0 && items->size() != spec.list_size) return std::nullopt;
      for (double x : *items) {
        if (!in_range(spec, x)) return std::nullopt;
      }
      return value;
    }
    case ParamType::kStringList:
      if (const auto* items = std::get_if<std::vector<std::string>>(&value)) {
        if (std::any_of(items->begin(), items->end(), has_nul)) return std::nullopt;
        return value;
      }
      if (const auto* items = std::get_if<std::vector<double>>(&value); items && items->empty()) {
        return ParamValue{std::vector<std::string>{}};
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace rxflow
