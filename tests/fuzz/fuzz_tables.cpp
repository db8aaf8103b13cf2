// libFuzzer target: the drug-table readers (CSV, and TOML arrays of
// tables), as file parameters feed them. The first byte picks the format.
// Bad input must end in std::runtime_error with a one-line message.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "one_line.h"
#include "spec/table_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool toml = data[0] % 2 == 1;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const rxflow::TextTable table =
        rxflow::parse_table(text, toml ? "fuzz.toml" : "fuzz.csv", "drug");
    for (const auto& row : table.rows) {
      if (row.size() != table.columns.size()) std::abort();  // rows as wide as the header
    }
  } catch (const std::runtime_error& error) {
    rxflow::fuzz::require_one_line(error.what());
  }
  return 0;
}
