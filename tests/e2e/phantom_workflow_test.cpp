// The phantom workflow as a user runs it: it runs, its phantoms have the
// documented shapes and range, and a replay recomputes them bit for bit.
#include <algorithm>
#include <catch2/catch.hpp>

#include "store/run_reader.h"
#include "test_support.h"

namespace rxflow {
namespace {

using Catch::Matchers::Contains;
using testing::run_rxflow;

TEST_CASE("workflows/phantoms_smoke.toml runs, and replays bit-identically", "[e2e][phantom]") {
  testing::TempDir out;
  const std::string run_file = testing::run_into(out, "workflows/phantoms_smoke.toml");
  const RunReader reader(run_file);
  const Artifact phantoms = reader.read_artifact("phantoms", "phantoms");
  CHECK(phantoms.shape == std::vector<std::uint64_t>{200, 64, 64});
  const Artifact request = reader.read_artifact("phantoms", "request_phantoms");
  CHECK(request.shape == std::vector<std::uint64_t>{1, 64, 64});
  CHECK(reader.read_artifact("phantoms", "request_conditions").shape ==
        std::vector<std::uint64_t>{1, 7 + 32});
  for (const Artifact* images : {&phantoms, &request}) {
    const auto& v = std::get<std::vector<double>>(images->values);
    CHECK(*std::min_element(v.begin(), v.end()) >= 0.0);
    CHECK(*std::max_element(v.begin(), v.end()) <= 1.0);
  }
  // The cohort's responses are the lesions' drivers.
  const Artifact s_artifact = reader.read_artifact("cohort", "s");
  const Artifact lesions_artifact = reader.read_artifact("phantoms", "lesions");
  const auto& s = std::get<std::vector<double>>(s_artifact.values);
  const auto& lesions = std::get<std::vector<double>>(lesions_artifact.values);
  for (std::size_t i = 0; i < s.size(); ++i) CHECK(lesions[i * 4] == s[i]);

  const auto replay = run_rxflow("replay '" + run_file + "' --quiet --out " + out.path());
  CHECK(replay.exit_code == 0);
  CHECK_THAT(replay.out, Contains("root hash identical " + reader.attribute("root_hash")));
  const auto other_seed = testing::run_into(out, "workflows/phantoms_smoke.toml --seed 18");
  const Artifact other_request =
      RunReader(other_seed).read_artifact("phantoms", "request_phantoms");
  CHECK(other_request.values != request.values);
}

}  // namespace
}  // namespace rxflow
