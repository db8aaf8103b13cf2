// The phantom simulator's promises (docs/plugins/phantom_simulator.md),
// tested as properties rather than against stored images: the lesion grows
// and brightens with its documented drivers, values stay in [0, 1], a seed
// gives the same bits, patients differ, requests get eq. 1's response, and
// the stage's phantoms depend only on their own row or request.
#include "phantom.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numbers>

#include "cohort.h"
#include "fake_stage_context.h"
#include "loader/plugin_loader.h"
#include "response_fit.h"
#include "support/install_paths.h"

namespace rxflow::phantom {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

std::vector<double> noiseless(const Anatomy& anatomy, const PhantomDrivers& drivers,
                              const Lesion& lesion) {
  std::vector<double> image(kPixels);
  render(anatomy, drivers, lesion, 0.0, nullptr, image.data());
  return image;
}

// Pixels the lesion raised by more than half its contrast, and the largest
// raise: the lesion as it shows in the image.
struct Measured {
  int area = 0;
  double peak = 0;
};
Measured measure_lesion(const Anatomy& anatomy, const PhantomDrivers& drivers,
                        const Lesion& lesion) {
  const std::vector<double> with = noiseless(anatomy, drivers, lesion);
  const std::vector<double> without = noiseless(anatomy, drivers, Lesion{});
  Measured m;
  for (int p = 0; p < kPixels; ++p) {
    const double raise = with[static_cast<std::size_t>(p)] - without[static_cast<std::size_t>(p)];
    if (raise > lesion.contrast / 2) ++m.area;
    m.peak = std::max(m.peak, raise);
  }
  return m;
}

TEST_CASE("lesion severity, radius and contrast follow their documented drivers", "[phantom]") {
  const LesionRange range;
  PhantomDrivers d{0.5, 0.5, 0.5, 0.5, 0.5};
  const Lesion middle = lesion_of(d, range);
  PhantomDrivers worse = d;
  worse.response = 0.2;
  CHECK(lesion_of(worse, range).radius > middle.radius);
  CHECK(lesion_of(worse, range).contrast > middle.contrast);
  PhantomDrivers sicker = d;
  sicker.comorbidity = 0.9;
  CHECK(lesion_of(sicker, range).radius > middle.radius);
  CHECK(lesion_of(sicker, range).contrast == middle.contrast);  // contrast: response and age only
  PhantomDrivers marked = d;
  marked.genetic_marker = 0.9;
  CHECK(lesion_of(marked, range).radius > middle.radius);
  PhantomDrivers older = d;
  older.age_norm = 0.9;
  CHECK(lesion_of(older, range).contrast > middle.contrast);
  CHECK(lesion_of(older, range).radius == middle.radius);
  // The ends of the ranges: severity 0 (full response, no risk factors) and
  // 1 (no response, every risk factor at its maximum).
  const Lesion least = lesion_of({0, 0, 0, 0, 1}, range);
  const Lesion most = lesion_of({1, 1, 1, 1, 0}, range);
  CHECK(least.severity == 0.0);
  CHECK(least.radius == range.min_radius);
  CHECK(least.contrast == range.min_contrast);
  CHECK(most.severity == Approx(1.0).epsilon(1e-15));
  CHECK(most.radius == Approx(range.max_radius).epsilon(1e-15));
  CHECK(most.contrast == Approx(range.max_contrast).epsilon(1e-15));
}

TEST_CASE("the lesion in the image has the documented area and contrast", "[phantom]") {
  // The lesion at the centre of the right organ, clear of the spine.
  const Anatomy anatomy;
  const PhantomDrivers drivers{0.4, 0.5, 0.3, 0.2, 0.5};
  for (double radius : {3.0, 5.0, 7.0, 9.0}) {
    INFO("radius " << radius);
    const Lesion lesion{0.5, radius, 0.4};
    const Measured m = measure_lesion(anatomy, drivers, lesion);
    CHECK(m.area == Approx(std::numbers::pi * radius * radius).epsilon(0.1));
    CHECK(m.peak == Approx(lesion.contrast).epsilon(1e-12));
  }
}

TEST_CASE("the lesion's area grows as the response falls, on any anatomy", "[phantom]") {
  Rng rng(17);
  const LesionRange range;
  for (int trial = 0; trial < 25; ++trial) {
    INFO("trial " << trial);
    PhantomDrivers drivers{rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform(), 0.0};
    const Anatomy anatomy = draw_anatomy(drivers, rng);
    int previous_area = -1;
    for (double response : {0.95, 0.6, 0.3, 0.05}) {
      drivers.response = response;
      const Measured m = measure_lesion(anatomy, drivers, lesion_of(drivers, range));
      CHECK(m.area > previous_area);
      previous_area = m.area;
    }
  }
}

TEST_CASE("phantoms stay in [0, 1], clamped where noise or contrast would leave it", "[phantom]") {
  PhantomConfig loud;
  loud.noise_sd = 0.5;
  loud.lesion = {2.0, 12.0, 1.0, 1.0};
  Rng rng(3);
  bool saw_zero = false, saw_one = false;
  for (int i = 0; i < 20; ++i) {
    const PhantomDrivers d{rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform(),
                           rng.uniform()};
    for (const PhantomConfig& config : {PhantomConfig{}, loud}) {
      const std::vector<double> image = simulate_phantom(d, config, rng);
      REQUIRE(image.size() == static_cast<std::size_t>(kPixels));
      CHECK(*std::min_element(image.begin(), image.end()) >= 0.0);
      CHECK(*std::max_element(image.begin(), image.end()) <= 1.0);
      saw_zero = saw_zero || std::count(image.begin(), image.end(), 0.0) > 0;
      saw_one = saw_one || std::count(image.begin(), image.end(), 1.0) > 0;
    }
  }
  CHECK(saw_zero);
  CHECK(saw_one);
}

TEST_CASE("one seed gives the same bits; another seed or patient another phantom", "[phantom]") {
  const PhantomDrivers d{0.3, 0.6, 0.2, 0.4, 0.7};
  Rng a(11), b(11), c(12);
  const std::vector<double> first = simulate_phantom(d, PhantomConfig{}, a);
  CHECK(same_bits(first, simulate_phantom(d, PhantomConfig{}, b)));
  CHECK(!same_bits(first, simulate_phantom(d, PhantomConfig{}, c)));
  for (double PhantomDrivers::*driver :
       {&PhantomDrivers::age_norm, &PhantomDrivers::weight_norm, &PhantomDrivers::genetic_marker,
        &PhantomDrivers::comorbidity, &PhantomDrivers::response}) {
    PhantomDrivers other = d;
    other.*driver = 1.0 - d.*driver;
    Rng same(11);
    CHECK(!same_bits(first, simulate_phantom(other, PhantomConfig{}, same)));
  }
}

TEST_CASE("the body widens with weight and its tissue brightens with age", "[phantom]") {
  const auto body_pixels = [](const std::vector<double>& image) {
    return std::count_if(image.begin(), image.end(), [](double v) { return v > 0.05; });
  };
  Rng rng(21);
  for (int trial = 0; trial < 10; ++trial) {
    const std::uint64_t seed = rng.next_u64();
    PhantomDrivers light{0.5, 0.0, 0.5, 0.5, 0.5}, heavy = light;
    heavy.weight_norm = 1.0;
    Rng light_rng(seed), heavy_rng(seed);
    const Anatomy light_body = draw_anatomy(light, light_rng);
    const Anatomy heavy_body = draw_anatomy(heavy, heavy_rng);
    CHECK(body_pixels(noiseless(heavy_body, heavy, Lesion{})) >
          body_pixels(noiseless(light_body, light, Lesion{})));
    PhantomDrivers old = light;
    old.age_norm = 1.0;
    const std::vector<double> young_image = noiseless(light_body, light, Lesion{});
    const std::vector<double> old_image = noiseless(light_body, old, Lesion{});
    // The image centre is tissue (between the organs, above the spine).
    CHECK(old_image[32 * kImageSize + 32] > young_image[32 * kImageSize + 32]);
  }
}

std::vector<double> drug_table() {
  return {0.5, -1.0, 0.25, 2.0, -0.75, 1.5, -2.0, 0.0, 1.0, 0.3, -0.4, -1.2};  // 3 drugs, dim 4
}

cohort::Cohort simulate(cohort::Balance balance, double noise, std::vector<double> drug_weights,
                        std::int64_t n = 300) {
  cohort::CohortConfig config;
  config.n = n;
  config.balance = balance;
  config.noise_sigma = noise;
  config.drug_weights = std::move(drug_weights);
  Rng rng(31);
  return cohort::simulate_cohort(config, drug_table(), 4, rng);
}

TEST_CASE("eq. 1 fitted to the cohort gives back each patient's response", "[phantom]") {
  const std::vector<double> table = drug_table();
  for (cohort::Balance balance :
       {cohort::Balance::kNone, cohort::Balance::kCentered, cohort::Balance::kPrevalence}) {
    INFO("balance " << static_cast<int>(balance));
    const cohort::Cohort c = simulate(balance, 0.0, {1, 1, 1});
    const ResponseWeights weights{c.w_p, c.w_d};
    const ResponseFit fit = fit_response(weights, c.features, table, c.drug, c.s);
    CHECK(fit.rows == c.s.size());
    // Without noise the fit is exact: alpha and beta of the cohort's defaults.
    CHECK(fit.patient_coefficient == Approx(cohort::CohortConfig{}.alpha).epsilon(1e-9));
    CHECK(fit.drug_coefficient == Approx(cohort::CohortConfig{}.beta).epsilon(1e-9));
    CHECK(fit.rms_residual < 1e-9);
    for (std::size_t i = 0; i < c.s.size(); ++i) {
      const double predicted = predict_response(fit, weights, &c.features[i * 7],
                                                &table[static_cast<std::size_t>(c.drug[i]) * 4]);
      CHECK(predicted == Approx(c.s[i]).margin(1e-9));
    }
  }
  SECTION("with noise, close to the noise-free response") {
    const cohort::Cohort c = simulate(cohort::Balance::kPrevalence, 0.1, {1, 1, 1});
    const ResponseFit fit = fit_response({c.w_p, c.w_d}, c.features, table, c.drug, c.s);
    CHECK(fit.patient_coefficient == Approx(0.6).margin(0.05));
    CHECK(fit.drug_coefficient == Approx(0.4).margin(0.05));
    CHECK(fit.rms_residual == Approx(0.1).margin(0.02));
  }
  SECTION("one drug: its term cannot be told from the offset and is 0") {
    const cohort::Cohort c = simulate(cohort::Balance::kNone, 0.0, {0, 1, 0});
    const ResponseWeights weights{c.w_p, c.w_d};
    const ResponseFit fit = fit_response(weights, c.features, table, c.drug, c.s);
    CHECK(fit.drug_coefficient == 0.0);
    CHECK(predict_response(fit, weights, &c.features[0], &table[4]) == Approx(c.s[0]).margin(1e-9));
  }
  SECTION("too few patients away from 0 and 1 is refused") {
    const std::vector<double> s{1e-300, 0.5, 1.0, 0.7};
    const cohort::Cohort c = simulate(cohort::Balance::kNone, 0.0, {1, 1, 1}, 4);
    CHECK_THROWS_WITH(fit_response({c.w_p, c.w_d}, c.features, table, c.drug, s),
                      Catch::Contains("input s has 2 patients with 0 < s < 1"));
  }
}

// The stage through the loaded plugin, with a cohort of n and two requests.
class StageRun {
 public:
  explicit StageRun(std::int64_t n = 24, std::uint64_t seed = 5)
      : plugin_(loader_.load("phantom_simulator")), ctx(plugin_.info, seed) {
    const cohort::Cohort c = simulate(cohort::Balance::kPrevalence, 0.1, {1, 1, 1}, n);
    const auto rows = static_cast<std::uint64_t>(n);
    ctx.inputs["features"] = Artifact::matrix(rows, 7, c.features, cohort::feature_column_names());
    ctx.inputs["s"] = Artifact::vector(c.s);
    ctx.inputs["drug"] = Artifact::vector(c.drug);
    ctx.inputs["embeddings"] = Artifact::matrix(3, 4, drug_table());
    ctx.inputs["w_p"] = Artifact::vector(c.w_p);
    ctx.inputs["w_d"] = Artifact::vector(c.w_d);
    std::vector<double> request_features;
    for (const auto& x : {cohort::normalize_patient(52, 82, patients::Gender::kFemale, 0.72, 0.3),
                          cohort::normalize_patient(70, 60, patients::Gender::kMale, 0.1, 0.8)}) {
      request_features.insert(request_features.end(), x.begin(), x.end());
    }
    ctx.inputs["request_features"] =
        Artifact::matrix(2, 7, request_features, cohort::feature_column_names());
    const std::vector<double> table = drug_table();
    std::vector<double> request_embeddings(table.begin(), table.begin() + 4);
    request_embeddings.insert(request_embeddings.end(), table.begin() + 8, table.end());
    ctx.inputs["request_embeddings"] = Artifact::matrix(2, 4, request_embeddings);
    ctx.inputs["request_ids"] = Artifact::vector(std::vector<std::string>{"p1", "p2"});
    ctx.inputs["request_drugs"] = Artifact::vector(std::vector<std::string>{"DrugA", "DrugC"});
  }

  void run() { plugin_.create()->run(ctx); }
  const std::vector<double>& input(const std::string& port) const {
    return std::get<std::vector<double>>(ctx.inputs.at(port).values);
  }
  const std::vector<double>& output(const std::string& port) const {
    return std::get<std::vector<double>>(ctx.outputs.at(port).values);
  }
  // The phantom of row i of output `port`.
  std::vector<double> image(const std::string& port, std::size_t i) const {
    const std::vector<double>& all = output(port);
    return {all.begin() + static_cast<std::ptrdiff_t>(i * kPixels),
            all.begin() + static_cast<std::ptrdiff_t>((i + 1) * kPixels)};
  }

 private:
  PluginLoader loader_{{builtin_plugin_dir()}};
  const LoadedPlugin& plugin_;

 public:
  testing::FakeStageContext ctx;
};

TEST_CASE("phantom_simulator emits a phantom and a condition per patient and request",
          "[phantom]") {
  StageRun run;
  run.run();
  const auto& out = run.ctx.outputs;
  CHECK(out.at("phantoms").shape == std::vector<std::uint64_t>{24, 64, 64});
  CHECK(out.at("request_phantoms").shape == std::vector<std::uint64_t>{2, 64, 64});
  CHECK(out.at("conditions").shape == std::vector<std::uint64_t>{24, 11});
  CHECK(out.at("request_conditions").shape == std::vector<std::uint64_t>{2, 11});
  CHECK(out.at("lesions").shape == std::vector<std::uint64_t>{24, 4});
  for (const char* port : {"phantoms", "request_phantoms"}) {
    const std::vector<double>& v = run.output(port);
    CHECK(*std::min_element(v.begin(), v.end()) >= 0.0);
    CHECK(*std::max_element(v.begin(), v.end()) <= 1.0);
  }
  // A condition is the patient's features, then its drug's embedding.
  const auto& features = std::get<std::vector<double>>(run.ctx.inputs.at("features").values);
  const auto& drug = std::get<std::vector<std::int64_t>>(run.ctx.inputs.at("drug").values);
  const auto& s = std::get<std::vector<double>>(run.ctx.inputs.at("s").values);
  const std::vector<double> table = drug_table();
  for (std::size_t i = 0; i < 24; ++i) {
    for (std::size_t j = 0; j < 7; ++j)
      CHECK(run.output("conditions")[i * 11 + j] == features[i * 7 + j]);
    for (std::size_t j = 0; j < 4; ++j) {
      CHECK(run.output("conditions")[i * 11 + 7 + j] ==
            table[static_cast<std::size_t>(drug[i]) * 4 + j]);
    }
    CHECK(run.output("lesions")[i * 4] == s[i]);  // the cohort's own response
  }
  // Every patient's phantom differs from every other's.
  for (std::size_t i = 0; i < 24; ++i) {
    for (std::size_t j = i + 1; j < 24; ++j)
      CHECK(!same_bits(run.image("phantoms", i), run.image("phantoms", j)));
  }
  // The requests' responses come from eq. 1 fitted to the cohort.
  const std::vector<double>& fit = run.output("response_fit");
  CHECK(fit[0] == Approx(0.6).margin(0.1));
  const double response = run.output("request_lesions")[0];
  CHECK(response > 0.0);
  CHECK(response < 1.0);
}

TEST_CASE("phantom_simulator gives the same bits for a seed; a phantom depends on its own row",
          "[phantom]") {
  StageRun a, b, other_seed(24, 6), fewer;
  // The first 10 rows only (the fit for the requests sees fewer rows too).
  fewer.ctx.inputs["features"] =
      Artifact::matrix(10, 7, {a.input("features").begin(), a.input("features").begin() + 70},
                       cohort::feature_column_names());
  fewer.ctx.inputs["s"] =
      Artifact::vector(std::vector<double>(a.input("s").begin(), a.input("s").begin() + 10));
  const auto& drug = std::get<std::vector<std::int64_t>>(a.ctx.inputs.at("drug").values);
  fewer.ctx.inputs["drug"] =
      Artifact::vector(std::vector<std::int64_t>(drug.begin(), drug.begin() + 10));
  a.run();
  b.run();
  other_seed.run();
  fewer.run();
  for (const char* port : {"phantoms", "request_phantoms", "conditions", "lesions"}) {
    INFO(port);
    CHECK(same_bits(a.output(port), b.output(port)));
  }
  CHECK(!same_bits(a.output("phantoms"), other_seed.output("phantoms")));
  CHECK(!same_bits(a.output("request_phantoms"), other_seed.output("request_phantoms")));
  // However the rows are split (among threads, say), a phantom is the same.
  CHECK(fewer.ctx.outputs.at("phantoms").shape[0] == 10);
  for (std::size_t i = 0; i < 10; ++i)
    CHECK(same_bits(a.image("phantoms", i), fewer.image("phantoms", i)));

  // Requests in the other order: each keeps its own phantom.
  StageRun swapped;
  auto swap_rows = [](Artifact& artifact) {
    auto& v = std::get<std::vector<double>>(artifact.values);
    const std::size_t cols = artifact.shape[1];
    std::swap_ranges(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(cols),
                     v.begin() + static_cast<std::ptrdiff_t>(cols));
  };
  swap_rows(swapped.ctx.inputs["request_features"]);
  swap_rows(swapped.ctx.inputs["request_embeddings"]);
  swapped.ctx.inputs["request_ids"] = Artifact::vector(std::vector<std::string>{"p2", "p1"});
  swapped.ctx.inputs["request_drugs"] =
      Artifact::vector(std::vector<std::string>{"drugc", "DrugA"});
  swapped.run();
  CHECK(same_bits(swapped.image("request_phantoms", 0), a.image("request_phantoms", 1)));
  CHECK(same_bits(swapped.image("request_phantoms", 1), a.image("request_phantoms", 0)));
}

TEST_CASE("phantom_simulator refuses inputs and parameters it cannot use", "[phantom]") {
  SECTION("requests without their ids") {
    StageRun run;
    run.ctx.inputs.erase("request_ids");
    CHECK_THROWS_WITH(run.run(), Catch::Contains("request_ids and request_drugs must be bound"));
  }
  SECTION("features that are not the cohort's") {
    StageRun run;
    run.ctx.inputs["features"].columns[0] = "height";
    CHECK_THROWS_WITH(run.run(), Catch::Contains("input features has columns height"));
  }
  SECTION("a response outside [0, 1]") {
    StageRun run;
    std::get<std::vector<double>>(run.ctx.inputs["s"].values)[3] = 1.5;
    CHECK_THROWS_WITH(run.run(), "input s row 3 is 1.500000, outside [0, 1]");
  }
  SECTION("a lesion range upside down") {
    StageRun run;
    run.ctx.params["lesion_min_radius"] = 10.0;
    CHECK_THROWS_WITH(run.run(), Catch::Contains("lesion_min_radius (10.000000) must not exceed "
                                                 "lesion_max_radius (9.000000)"));
  }
}

}  // namespace
}  // namespace rxflow::phantom
