// Small text tables that plugins read from their file parameters (a drug
// table with SMILES, an embedding table): CSV with a header row (RFC 4180:
// quoted fields may hold commas, quotes doubled, line breaks) or TOML with
// one array of tables (`[[drug]]` entries whose keys are the columns). Every
// row keeps the line it starts on, so that plugins can name it in errors.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace rxflow {

struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each as wide as columns
  std::vector<int> lines;                      // the line each row starts on (1-based)
};

// Throws std::runtime_error "origin:line: ..." for a row whose field count
// differs from the header's, an unterminated quote, or an empty header.
// Blank lines are skipped.
TextTable parse_csv_table(const std::string& text, const std::string& origin);

// The array of tables named `array` (e.g. "drug"); its first entry's keys
// are the columns. Throws std::runtime_error "origin:line:column: ..." for
// TOML syntax errors, a missing array, an entry with no keys or whose keys
// differ from the first one's, or a value that is not a string or a number.
TextTable parse_toml_table(const std::string& text, const std::string& origin,
                           const std::string& array);

// By the file name: ".toml" reads TOML, anything else CSV.
TextTable parse_table(const std::string& text, const std::string& origin,
                      const std::string& toml_array);

// The index of a column, or throws std::runtime_error "origin: no column ...".
std::size_t table_column(const TextTable& table, const std::string& column,
                         const std::string& origin);

}  // namespace rxflow
