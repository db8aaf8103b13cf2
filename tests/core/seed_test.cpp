#include "rxflow/seed.h"

#include <catch2/catch.hpp>

#include "reference/rng_golden.h"

namespace rxflow {
namespace {

TEST_CASE("derive_seed matches the documented SHA-256 construction", "[seed]") {
  CHECK(derive_seed(42, "train") == golden::kDeriveSeed42Train);
  CHECK(derive_seed(0, "") == golden::kDeriveSeed0Empty);
  CHECK(derive_seed(9223372036854775807ULL, "DrugA") == golden::kDeriveSeedMaxDrugA);
}

TEST_CASE("derive_seed separates keys and parents", "[seed]") {
  CHECK(derive_seed(42, "embed") != derive_seed(42, "cohort"));
  CHECK(derive_seed(42, "embed") != derive_seed(43, "embed"));
  CHECK(derive_seed(42, "embed") == derive_seed(42, "embed"));
}

}  // namespace
}  // namespace rxflow
