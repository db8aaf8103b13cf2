// The neural stages as a user meets them: the case-study workflow through
// the rxflow command, weight files in and out, and refusals of bad input.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <regex>

#include "fake_stage_context.h"
#include "loader/plugin_loader.h"
#include "store/run_reader.h"
#include "store/tensor_file.h"
#include "support/install_paths.h"
#include "test_support.h"

namespace rxflow {
namespace {

using testing::run_rxflow;

std::string run_file_of(const testing::CommandResult& result) {
  return result.out.substr(0, result.out.find('\n'));
}

std::map<std::string, std::string> artifact_hashes(const std::string& run_file) {
  std::map<std::string, std::string> hashes;
  for (const StoredStage& stage : RunReader(run_file).stages()) {
    for (const ArtifactRecord& artifact : stage.record.outputs)
      hashes[stage.record.id + "." + artifact.name] = artifact.sha256;
  }
  return hashes;
}

TEST_CASE(
    "the case study trains and draws bit-identically for one seed, whatever the thread settings",
    "[e2e][neural]") {
  testing::TempDir out;
  const std::string args = "run workflows/case_study.toml --quiet --out " + out.path();
  const auto a = run_rxflow(args, "OMP_NUM_THREADS=1 EIGEN_NUM_THREADS=1");
  const auto b = run_rxflow(args, "OMP_NUM_THREADS=2 EIGEN_NUM_THREADS=2");
  const auto c = run_rxflow(args + " --seed 1");
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  REQUIRE(c.exit_code == 0);
  const auto hashes_a = artifact_hashes(run_file_of(a));
  CHECK(hashes_a == artifact_hashes(run_file_of(b)));
  const auto hashes_c = artifact_hashes(run_file_of(c));
  for (const char* changed :
       {"train.state.0.weight", "train.train_loss", "train.p0", "image.images"}) {
    INFO(changed);
    CHECK(hashes_c.at(changed) != hashes_a.at(changed));
  }
  const RunReader reader(run_file_of(a));
  const Artifact images = reader.read_artifact("image", "images");
  CHECK(images.shape == std::vector<std::uint64_t>{1, 64, 64});
  const Artifact p0 = reader.read_artifact("train", "p0");
  REQUIRE(p0.shape == std::vector<std::uint64_t>{1});
  const double p = std::get<std::vector<double>>(p0.values)[0];
  CHECK(p > 0.0);
  CHECK(p < 1.0);
  // Cross-fitted (cv = 5): every train and validation row has an
  // out-of-fold prediction; 20 repeats of p0.
  CHECK(reader.read_artifact("train", "validation_probabilities").shape ==
        std::vector<std::uint64_t>{160});
  CHECK(reader.read_artifact("train", "fold_p0").shape == std::vector<std::uint64_t>{5, 1});
  CHECK(reader.read_artifact("train", "repeat_p0").shape == std::vector<std::uint64_t>{20, 1});
  CHECK(reader.read_artifact("train", "test_inputs").shape == std::vector<std::uint64_t>{40, 39});
}

// Whether every value is a float widened to double.
bool all_floats(const Artifact& artifact) {
  const auto& values = std::get<std::vector<double>>(artifact.values);
  return std::all_of(values.begin(), values.end(), [](double value) {
    return static_cast<double>(static_cast<float>(value)) == value;
  });
}

// The largest difference between an artifact of a float32 run and of a
// float64 run; checks that the first holds floats widened to float64 and
// the second does not.
double float32_distance(const RunReader& narrow, const RunReader& wide, const std::string& stage,
                        const std::string& name) {
  const Artifact narrow_values = narrow.read_artifact(stage, name);
  const Artifact wide_values = wide.read_artifact(stage, name);
  CHECK(narrow_values.dtype() == DType::kFloat64);
  CHECK(all_floats(narrow_values));
  CHECK_FALSE(all_floats(wide_values));
  const auto& a = std::get<std::vector<double>>(narrow_values.values);
  const auto& b = std::get<std::vector<double>>(wide_values.values);
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

TEST_CASE("dtype float32 computes in float and stores float64 artifacts close to float64's",
          "[e2e][neural]") {
  testing::TempDir out;
  const std::string args = "run workflows/case_study.toml --quiet --out " + out.path();
  const auto narrow = run_rxflow(args);  // the case study sets dtype = "float32"
  const auto wide = run_rxflow(args + " --set train.dtype=float64");
  REQUIRE(narrow.exit_code == 0);
  REQUIRE(wide.exit_code == 0);
  const RunReader narrow_run(run_file_of(narrow)), wide_run(run_file_of(wide));
  for (const char* name :
       {"state.0.weight", "state.1.running_var", "state.6.bias", "test_probabilities", "p0"}) {
    INFO(name);
    // The same draws (initialisation rounded, the same dropout masks) and ten
    // epochs of the same steps: the two types stay close.
    CHECK(float32_distance(narrow_run, wide_run, "train", name) <= 1e-2);
  }
  const auto unknown = run_rxflow(args + " --set train.dtype=float16");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err,
             Catch::Matchers::Contains("parameter \"dtype\" must be a string, one of \"float64\", "
                                       "\"float32\", got \"float16\""));
}

// Decoder tensors of latent_dim 100 (no condition): small sines, so that no
// pixel saturates and float32's rounding shows in the images.
NamedArtifacts decoder_weights() {
  const std::pair<const char*, std::vector<std::uint64_t>> shapes[] = {
      {"0.weight", {8192, 100}},     {"0.bias", {8192}},
      {"2.weight", {128, 64, 4, 4}}, {"2.bias", {64}},
      {"4.weight", {64, 32, 4, 4}},  {"4.bias", {32}},
      {"6.weight", {32, 1, 4, 4}},   {"6.bias", {1}}};
  NamedArtifacts tensors;
  double salt = 0;
  for (const auto& [name, shape] : shapes) {
    std::uint64_t size = 1;
    for (std::uint64_t extent : shape) size *= extent;
    std::vector<double> values(size);
    for (std::size_t i = 0; i < size; ++i) values[i] = 0.05 * std::sin(0.7 * i + salt);
    tensors.emplace_back(name, Artifact{shape, std::move(values), {}});
    salt += 1;
  }
  return tensors;
}

TEST_CASE("the case study's decoder computes in float32, close to float64, from any weights",
          "[e2e][neural]") {
  testing::TempDir dir;
  const std::string args =
      "run workflows/case_study.toml --quiet --set train.cv=0 "
      "--set train.repeats=1 --out " +
      dir.path();
  write_tensor_file(dir.file("decoder.h5"), decoder_weights());
  const std::string from_file = " --set image.weights=" + dir.file("decoder.h5");
  // Untrained (the seeded initialisation) and from a weights file.
  for (const std::string& weights : {std::string(), from_file}) {
    INFO("weights: " << (weights.empty() ? "seeded" : "file"));
    const auto narrow = run_rxflow(args + weights);  // the case study sets dtype = "float32"
    const auto wide = run_rxflow(args + weights + " --set image.dtype=float64");
    REQUIRE(narrow.exit_code == 0);
    REQUIRE(wide.exit_code == 0);
    const RunReader narrow_run(run_file_of(narrow)), wide_run(run_file_of(wide));
    // The same draws, rounded to float on their way in.
    const Artifact narrow_latents = narrow_run.read_artifact("image", "latents");
    const Artifact wide_latents = wide_run.read_artifact("image", "latents");
    std::vector<double> rounded;
    for (double value : std::get<std::vector<double>>(wide_latents.values))
      rounded.push_back(static_cast<float>(value));
    CHECK(std::get<std::vector<double>>(narrow_latents.values) == rounded);
    // Each pixel is a few hundred rounded products from its float64 twin;
    // in [0, 1] a float's step is at most 6e-8.
    const double worst = float32_distance(narrow_run, wide_run, "image", "images");
    CHECK(worst > 0);
    CHECK(worst < 1e-6);
  }
  const auto unknown = run_rxflow(args + " --set image.dtype=float16");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "rxflow: --set image.dtype=float16: stage \"image\": parameter \"dtype\" must be a "
        "string, one of \"float64\", \"float32\", got \"float16\"\n");
}

TEST_CASE("weights written from a run load back and reproduce its predictions", "[e2e][neural]") {
  testing::TempDir dir;
  // One network, trained on the train fold (no cross-fitting, no repeats).
  const std::string one_network =
      "run workflows/case_study.toml --quiet --set train.cv=0 --set train.repeats=1 ";
  const auto trained = run_rxflow(one_network + "--out " + dir.path());
  REQUIRE(trained.exit_code == 0);
  const RunReader reader(run_file_of(trained));
  NamedArtifacts state;
  for (const ArtifactRecord& artifact : testing::record_of(reader, "train").outputs) {
    if (artifact.name.rfind("state.", 0) == 0)
      state.emplace_back(artifact.name.substr(6), reader.read_artifact("train", artifact.name));
  }
  REQUIRE(state.size() == 11);
  write_tensor_file(dir.file("weights.h5"), state);
  const auto loaded = run_rxflow(one_network + "--set train.weights=" + dir.file("weights.h5") +
                                 " --out " + dir.path());
  REQUIRE(loaded.exit_code == 0);
  const RunReader again(run_file_of(loaded));
  CHECK(again.read_artifact("train", "p0").values == reader.read_artifact("train", "p0").values);
  CHECK(again.read_artifact("train", "test_probabilities").values ==
        reader.read_artifact("train", "test_probabilities").values);
  CHECK(again.read_artifact("train", "train_loss").shape == std::vector<std::uint64_t>{0});
  // The file's hash is part of the run's identity.
  CHECK_FALSE(testing::record_of(again, "train").files.empty());
  // Loaded weights are one network: nothing to cross-fit or repeat.
  const auto with_cv =
      run_rxflow("run workflows/case_study.toml --set train.weights=" + dir.file("weights.h5") +
                 " --out " + dir.path());
  CHECK(with_cv.exit_code == 1);
  CHECK_THAT(with_cv.err, Catch::Matchers::Contains(
                              "cannot be combined with cv = 5 or repeats = 20, which retrain"));

  SECTION("a weight file with a missing, extra or misshapen tensor is refused by name") {
    struct Case {
      NamedArtifacts tensors;
      std::string message;
    };
    const auto first_weight = std::find_if(state.begin(), state.end(),
                                           [](const auto& t) { return t.first == "0.weight"; });
    REQUIRE(first_weight != state.end());
    NamedArtifacts missing = state;
    missing.erase(missing.begin() + (first_weight - state.begin()));
    NamedArtifacts extra = state;
    extra.emplace_back("7.weight", Artifact::matrix(1, 1, {0.0}));
    NamedArtifacts misshapen = state;
    misshapen[static_cast<std::size_t>(first_weight - state.begin())].second =
        Artifact::matrix(128, 40, std::vector<double>(128 * 40, 0.0));
    // The case study computes in float32, whose largest value is about 3.4e38.
    NamedArtifacts too_large = state;
    std::get<std::vector<double>>(
        too_large[static_cast<std::size_t>(first_weight - state.begin())].second.values)[40] =
        -1e300;
    const Case cases[] = {
        {missing, "tensor \"0.weight\" is missing (expected shape [128, 39])"},
        {extra, "tensor \"7.weight\" is not part of this network (shape [1, 1])"},
        {misshapen, "tensor \"0.weight\": expected shape [128, 39], found [128, 40] of float64"},
        {too_large,
         "tensor \"0.weight\" holds -1e+300 at [1, 1], outside float32's range (largest "
         "3.40282e+38)"},
    };
    for (const Case& c : cases) {
      write_tensor_file(dir.file("bad.h5"), c.tensors);
      const auto result = run_rxflow(one_network + "--set train.weights=" + dir.file("bad.h5") +
                                     " --out " + dir.path());
      CHECK(result.exit_code == 1);
      CHECK_THAT(result.err,
                 Catch::Matchers::Contains("stage \"train\" (plugin ffnn_classifier) failed") &&
                     Catch::Matchers::Contains(c.message));
    }
    const std::string text = dir.write("not_hdf5.h5", "text");
    const auto not_hdf5 =
        run_rxflow(one_network + "--set train.weights=" + text + " --out " + dir.path());
    CHECK(not_hdf5.exit_code == 1);
    CHECK_THAT(not_hdf5.err, Catch::Matchers::Contains("not_hdf5.h5: not an HDF5 file"));
  }
}

TEST_CASE("too few rows for a batch, or an empty fold, fails the stage with the numbers",
          "[e2e][neural]") {
  testing::TempDir dir;
  const auto few = run_rxflow(
      "run workflows/case_study.toml --set cohort.n=20 --set train.cv=0 --out " + dir.path());
  CHECK(few.exit_code == 1);
  CHECK_THAT(few.err, Catch::Matchers::Contains(
                          "the training fold has 12 rows, fewer than one batch (batch_size = 16)"));
  const auto empty = run_rxflow(
      "run workflows/case_study.toml --set cohort.n=200 --set train.train_fraction=0.9 "
      "--set train.validation_fraction=0.1 --out " +
      dir.path());
  CHECK(empty.exit_code == 1);
  CHECK_THAT(empty.err, Catch::Matchers::Contains("leaves a fold empty"));
  const auto one_fold =
      run_rxflow("run workflows/case_study.toml --set train.cv=1 --out " + dir.path());
  CHECK(one_fold.exit_code == 1);
  CHECK_THAT(one_fold.err, Catch::Matchers::Contains("parameter \"cv\" is 1, which holds every "
                                                     "row out of its one fold model"));
  // 16 rows to cross-fit cannot hold 20 of each class.
  const auto folds = run_rxflow(
      "run workflows/case_study.toml --set cohort.n=20 --set train.cv=20 --out " + dir.path());
  CHECK(folds.exit_code == 1);
  CHECK_THAT(folds.err, Catch::Matchers::Contains("cv = 20 needs at least 20 rows of each class "
                                                  "to cross-fit, the pool has "));
}

TEST_CASE("the classifier refuses non-finite values and mismatched widths, naming the input",
          "[neural]") {
  PluginLoader loader({builtin_plugin_dir()});
  const LoadedPlugin& plugin = loader.load("ffnn_classifier");
  auto context = [&] {
    testing::FakeStageContext ctx(plugin.info, 1);
    ctx.inputs["features"] = Artifact::matrix(40, 2, std::vector<double>(80, 0.5));
    std::vector<std::int64_t> labels(40);
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int64_t>(i % 2);
    ctx.inputs["labels"] = Artifact::vector(labels);
    ctx.inputs["drug"] = Artifact::vector(std::vector<std::int64_t>(40, 0));
    ctx.inputs["embeddings"] = Artifact::matrix(1, 3, {0.1, 0.2, 0.3});
    ctx.inputs["request_features"] = Artifact::matrix(1, 2, {0.5, 0.5});
    ctx.inputs["request_embeddings"] = Artifact::matrix(1, 3, {0.1, 0.2, 0.3});
    ctx.params["batch_size"] = std::int64_t{4};
    return ctx;
  };
  {
    auto ctx = context();
    plugin.create()->run(ctx);
    CHECK(ctx.outputs.at("p0").shape == std::vector<std::uint64_t>{1});
    CHECK(ctx.outputs.at("state.0.weight").shape == std::vector<std::uint64_t>{128, 5});
  }
  {
    auto ctx = context();
    std::get<std::vector<double>>(ctx.inputs["features"].values)[7] =
        std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(plugin.create()->run(ctx),
                      "input \"features\" holds a non-finite value (inf) at [3, 1]");
  }
  {
    auto ctx = context();
    std::get<std::vector<double>>(ctx.inputs["embeddings"].values)[2] = 1e39;
    plugin.create()->run(ctx);  // finite in float64
    ctx.params["dtype"] = std::string("float32");
    CHECK_THROWS_WITH(
        plugin.create()->run(ctx),
        "input \"embeddings\" holds 1e+39 at [0, 2], outside float32's range (largest "
        "3.40282e+38)");
  }
  {
    auto ctx = context();
    ctx.inputs["request_features"] = Artifact::matrix(1, 3, {0.5, 0.5, 0.5});
    CHECK_THROWS_WITH(plugin.create()->run(ctx),
                      "input \"request_features\" has 3 columns, \"features\" has 2");
  }
  {
    auto ctx = context();
    ctx.inputs["drug"] = Artifact::vector(std::vector<std::int64_t>(40, 5));
    CHECK_THROWS_WITH(plugin.create()->run(ctx),
                      "input \"drug\" holds row 5 at [0], but embeddings has 1 rows");
  }
}

TEST_CASE("the decoder's latent depends only on the stage seed, patient and drug", "[neural]") {
  PluginLoader loader({builtin_plugin_dir()});
  const LoadedPlugin& plugin = loader.load("conv_decoder");
  // A request is its patient id and drug.
  using Request = std::pair<std::string, std::string>;
  auto requests_into = [](testing::FakeStageContext& ctx, const std::vector<Request>& requests) {
    std::vector<std::string> ids, drugs;
    for (const auto& [id, drug] : requests) {
      ids.push_back(id);
      drugs.push_back(drug);
    }
    ctx.inputs["request_ids"] = Artifact::vector(ids);
    ctx.inputs["request_drugs"] = Artifact::vector(drugs);
  };
  auto latents = [&](const std::vector<Request>& requests) {
    testing::FakeStageContext ctx(plugin.info, 7);
    ctx.params["latent_dim"] = std::int64_t{8};
    requests_into(ctx, requests);
    plugin.create()->run(ctx);
    return std::get<std::vector<double>>(ctx.outputs.at("latents").values);
  };
  const Request a{"p1", "DrugA"}, b{"p2", "DrugA"}, a_spaced{"p1", " druga "};
  const auto one = latents({a});
  const auto two = latents({b, a});
  CHECK(std::vector<double>(two.begin() + 8, two.end()) ==
        one);                         // order of requests does not matter
  CHECK(latents({a_spaced}) == one);  // drug names compared canonically
  CHECK(std::vector<double>(two.begin(), two.begin() + 8) != one);

  testing::FakeStageContext conditioned(plugin.info, 7);
  conditioned.params["condition"] = true;
  requests_into(conditioned, {a});
  CHECK_THROWS_WITH(
      plugin.create()->run(conditioned),
      "condition = true needs the inputs request_features and request_embeddings bound");
}

}  // namespace
}  // namespace rxflow
