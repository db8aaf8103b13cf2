// How commands print what they found: a result struct per command, written
// as text for people or as JSON (nlohmann-json) for programs, by one
// printer. A result type R provides `nlohmann::ordered_json to_json(const R&)` and
// `void print_text(const R&, std::ostream&)`.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

namespace rxflow {

enum class OutputFormat { kText, kJson, kCsv };

template <typename Result>
void print_result(const Result& result, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kJson) {
    out << to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    print_text(result, out);
  }
}

}  // namespace rxflow
