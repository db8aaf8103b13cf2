// table_embeddings: a CSV or HDF5 table of name -> vector is read as written,
// and every malformed table is refused with its line or row.
#include <catch2/catch.hpp>

#include "embedding_table.h"

namespace rxflow {
namespace {

using table_embeddings::hdf5_embeddings;
using table_embeddings::parse_csv_embeddings;

TEST_CASE("a CSV embedding table is read as written", "[table_embeddings]") {
  const auto table =
      parse_csv_embeddings("name,v0,v1,v2\nAspirin,1,-2.5,3e-3\nDrug B,0,0,1\n", "vectors.csv");
  CHECK(table.names == std::vector<std::string>{"Aspirin", "Drug B"});
  CHECK(table.width == 3);
  CHECK(table.vectors == std::vector<double>{1, -2.5, 3e-3, 0, 0, 1});
}

TEST_CASE("malformed embedding tables are refused with the line or row", "[table_embeddings]") {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"name,v0,v1\nA,1,2\nB,1\n", "vectors.csv:3: row has 2 fields, the header has 3"},
           Case{"name,v0,v1\nA,1,two\n",
                "vectors.csv:2: column \"v1\": expected a finite number, found \"two\""},
           Case{"name,v0\nA,1.5x\n", "found \"1.5x\""},
           Case{"name,v0\nA,nan\n", "found \"nan\""},
           Case{"name,v0\nA,\n", "found \"\""},
           Case{"name,v0\nAspirin,1\n aspirin ,2\n",
                "vectors.csv:3: drug \" aspirin \" is already on line 2"},
           Case{"drug,v0\nA,1\n", "vectors.csv:1: expected a header `name,<column>,...`"},
           Case{"name\nA\n", "at least one vector column"},
       }) {
    INFO(c.text);
    CHECK_THROWS_WITH(parse_csv_embeddings(c.text, "vectors.csv"),
                      Catch::Matchers::Contains(c.message));
  }
}

TEST_CASE("an HDF5 embedding table: names and vectors", "[table_embeddings]") {
  using Datasets = std::vector<std::pair<std::string, Artifact>>;
  const Artifact names = Artifact::vector(std::vector<std::string>{"A", "B"});
  const auto table = hdf5_embeddings(
      Datasets{{"names", names}, {"vectors", Artifact::matrix(2, 2, {1, 2, 3, 4})}}, "t.h5");
  CHECK(table.width == 2);
  CHECK(table.vectors == std::vector<double>{1, 2, 3, 4});
  CHECK_THROWS_WITH(
      hdf5_embeddings(Datasets{{"names", names}, {"vectors", Artifact::matrix(3, 1, {1, 2, 3})}},
                      "t.h5"),
      "t.h5: 2 names but 3 vectors");
  CHECK_THROWS_WITH(hdf5_embeddings(Datasets{{"vectors", Artifact::matrix(1, 1, {1})}}, "t.h5"),
                    Catch::Matchers::Contains("expected the datasets names"));
  CHECK_THROWS_WITH(
      hdf5_embeddings(Datasets{{"names", Artifact::vector(std::vector<std::string>{"A", "a"})},
                               {"vectors", Artifact::matrix(2, 1, {1, 2})}},
                      "t.h5"),
      "t.h5: row 1: drug \"a\" is already on row 0");
  CHECK_THROWS_WITH(
      hdf5_embeddings(Datasets{{"names", Artifact::vector(std::vector<std::string>{"A"})},
                               {"vectors", Artifact::matrix(1, 1, {NAN})}},
                      "t.h5"),
      "t.h5: vectors row 0 holds a non-finite value");
}

}  // namespace
}  // namespace rxflow
