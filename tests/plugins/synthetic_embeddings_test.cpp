#include "synthetic_embeddings.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "reference/cohort_golden.h"

namespace rxflow::synthetic_embeddings {
namespace {

TEST_CASE("a drug's vector matches the reference and depends only on name and table seed",
          "[embeddings]") {
  const std::vector<double> drug_a = embedding_for("druga", 20240521, 4);
  REQUIRE(drug_a.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(drug_a[i] == golden::kEmbeddingDrugA[i]);
  CHECK(embedding_for("druga", 20240521, 4) == drug_a);
  CHECK(embedding_for("drugb", 20240521, 4) != drug_a);
  CHECK(embedding_for("druga", 1, 4) != drug_a);
}

TEST_CASE("vectors have unit expected squared norm", "[embeddings]") {
  double total = 0;
  const int drugs = 2000;
  for (int i = 0; i < drugs; ++i) {
    for (double v : embedding_for("drug" + std::to_string(i), 7, 32)) total += v * v;
  }
  CHECK(total / drugs == Approx(1.0).margin(0.03));
}

TEST_CASE("the dictionary skips comments and blanks and refuses duplicates", "[embeddings]") {
  CHECK(parse_dictionary("# header\nDrugA\n\n  Drug B  # note\n", "d.txt") ==
        std::vector<std::string>{"DrugA", "Drug B"});
  CHECK_THROWS_WITH(parse_dictionary("DrugA\n druga \n", "d.txt"),
                    "d.txt:2: drug \"druga\" is already on line 1");
  CHECK_THROWS_WITH(parse_dictionary("# nothing\n\n", "d.txt"),
                    "d.txt: the dictionary lists no drugs");
}

}  // namespace
}  // namespace rxflow::synthetic_embeddings
