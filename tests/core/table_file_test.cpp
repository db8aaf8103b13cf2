// Table files for plugins: CSV with quoting and line numbers, TOML arrays
// of tables, and each malformed case named by file and line.
#include "spec/table_file.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

TEST_CASE("CSV rows keep their fields and the line they start on", "[table]") {
  const TextTable table = parse_csv_table(
      "name,smiles\r\nAspirin,CC(=O)O\n\n\"Quoted, \"\"name\"\"\",\"C\nC\"\nLast,N", "d.csv");
  CHECK(table.columns == std::vector<std::string>{"name", "smiles"});
  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[1] == std::vector<std::string>{"Quoted, \"name\"", "C\nC"});
  CHECK(table.lines == std::vector<int>{2, 4, 6});
  CHECK(table_column(table, "smiles", "d.csv") == 1);
  CHECK_THROWS_WITH(table_column(table, "cid", "d.csv"),
                    "d.csv: no column \"cid\" (found: name, smiles)");
}

TEST_CASE("malformed CSV tables are refused with the line", "[table]") {
  CHECK_THROWS_WITH(parse_csv_table("name,smiles\nA,C\nB,C,extra\n", "d.csv"),
                    "d.csv:3: row has 3 fields, the header has 2");
  CHECK_THROWS_WITH(parse_csv_table("name,smiles\nA,\"C\n", "d.csv"),
                    "d.csv:2: a quoted field is never closed");
  CHECK_THROWS_WITH(parse_csv_table("\n\n", "d.csv"), "d.csv: empty table (expected a header row)");
}

TEST_CASE("TOML tables: one array of tables, same keys everywhere", "[table]") {
  const TextTable table = parse_table(
      "[[drug]]\nname = \"Aspirin\"\nsmiles = \"CC\"\n\n[[drug]]\nname = \"X\"\nsmiles = \"N\"\n",
      "drugs.toml", "drug");
  CHECK(table.columns == std::vector<std::string>{"name", "smiles"});
  CHECK(table.rows[1] == std::vector<std::string>{"X", "N"});
  CHECK(table.lines == std::vector<int>{1, 5});
  CHECK_THROWS_WITH(parse_table("[[drug]]\nname = \"A\"\nsmiles = \"C\"\n[[drug]]\nname = \"B\"\n",
                                "drugs.toml", "drug"),
                    "drugs.toml:4: every [[drug]] entry must have the keys name, smiles");
  CHECK_THROWS_WITH(parse_table("[[drug]]\nname = [1]\n", "drugs.toml", "drug"),
                    "drugs.toml:2: \"name\" must be a string or a number");
  CHECK_THROWS_WITH(parse_table("[[other]]\nname = \"A\"\n", "drugs.toml", "drug"),
                    "drugs.toml: expected one or more [[drug]] entries");
  CHECK_THROWS_WITH(parse_table("[[drug]\n", "drugs.toml", "drug"),
                    Catch::Matchers::StartsWith("drugs.toml:1:"));
  // Found by fuzz_tables: the character TOML++ quotes is a line break; the
  // message stays one line.
  CHECK_THROWS_WITH(parse_table("[[drug]]\nname = i\n", "drugs.toml", "drug"),
                    Catch::Matchers::EndsWith("expected 'inf', saw 'i\\n'"));
  // Found by fuzz_tables: an empty first entry made the second one's keys
  // the columns, and the first row had no fields.
  CHECK_THROWS_WITH(parse_table("[[drug]]\n\n[[drug]]\nname = \"Dcc1\"\n", "drugs.toml", "drug"),
                    "drugs.toml:1: a [[drug]] entry has no keys");
}

}  // namespace
}  // namespace rxflow
