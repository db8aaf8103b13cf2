#include "drug_name.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

TEST_CASE("canonical drug names fold case and white space", "[drug_name]") {
  const std::pair<const char*, const char*> cases[] = {
      {"DrugA", "druga"},
      {"  DrugA\t", "druga"},
      {"Acetyl  Salicylic\tAcid", "acetyl salicylic acid"},
      {"", ""},
      {"   ", ""},
      {"5-FU", "5-fu"},
  };
  for (const auto& [written, canonical] : cases) {
    INFO(written);
    CHECK(canonical_drug_name(written) == canonical);
  }
}

}  // namespace
}  // namespace rxflow
