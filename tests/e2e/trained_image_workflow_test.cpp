// The trained-image workflow as a user runs it, on a reduced configuration:
// the VAE's loss falls, its reconstructions beat the untrained decoder's and
// a flat gray image, its decoded images differ across conditions, the
// conv_decoder stage draws with the trained weights, and a replay
// recomputes the whole run bit for bit; its report shows the image beside the
// patient's phantom, the grid across features and the training table. And
// the two stages alone: the
// trainer's decoder.* outputs load into conv_decoder (float64 or float32),
// all or none.
#include <catch2/catch.hpp>
#include <cmath>

#include "fake_stage_context.h"
#include "loader/plugin_loader.h"
#include "store/run_reader.h"
#include "support/install_paths.h"
#include "support/text_escaping.h"
#include "test_support.h"

namespace rxflow {
namespace {

using Catch::Matchers::Contains;
using testing::run_rxflow;

const std::vector<double>& values(const Artifact& artifact) {
  return std::get<std::vector<double>>(artifact.values);
}

TEST_CASE("workflows/case_study_trained_image.toml trains, draws, and replays bit-identically",
          "[e2e][cvae]") {
  testing::TempDir out;
  const int evaluation_rows = 32;
  const std::string run_file = testing::run_into(
      out,
      "workflows/case_study_trained_image.toml --set cohort.n=96 --set train_image.epochs=4 "
      "--set train_image.batch_size=16 --set train_image.evaluation_rows=" +
          std::to_string(evaluation_rows));
  const RunReader reader(run_file);

  const Artifact losses = reader.read_artifact("train_image", "losses");
  REQUIRE(losses.shape == std::vector<std::uint64_t>{4, 3});
  const auto& loss = values(losses);
  CHECK(loss[3 * 3 + 2] < loss[0 * 3 + 2]);  // total, last epoch against first
  CHECK(loss[3 * 3 + 0] < loss[0 * 3 + 0]);  // reconstruction BCE alike

  const Artifact quality = reader.read_artifact("train_image", "quality");
  REQUIRE(quality.shape == std::vector<std::uint64_t>{5, 2});
  const double untrained_mse = values(quality)[0], trained_mse = values(quality)[4 * 2];
  CHECK(trained_mse < untrained_mse);
  // A flat mid-gray image, computed here from the phantoms themselves.
  const Artifact phantom_artifact = reader.read_artifact("phantoms", "phantoms");
  const auto& phantoms = values(phantom_artifact);
  double gray_mse = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(evaluation_rows) * 64 * 64; ++i)
    gray_mse += (phantoms[i] - 0.5) * (phantoms[i] - 0.5);
  gray_mse /= evaluation_rows * 64.0 * 64.0;
  CHECK(trained_mse < gray_mse);
  CHECK(values(quality)[4 * 2 + 1] > 1e-4);  // decoded images differ across conditions

  // conv_decoder drew the case patient with the trained tensors (shape
  // [8192, 16 + 7 + 32]: latent, features, embedding).
  CHECK(reader.read_artifact("train_image", "decoder.0.weight").shape ==
        std::vector<std::uint64_t>{8192, 16 + 7 + 32});
  const Artifact image = reader.read_artifact("image", "images");
  CHECK(image.shape == std::vector<std::uint64_t>{1, 64, 64});
  for (double v : values(image)) REQUIRE((std::isfinite(v) && v >= 0.0 && v <= 1.0));
  const auto dry_run = run_rxflow("run workflows/case_study_trained_image.toml --dry-run");
  CHECK_THAT(dry_run.out, Contains("train_image.decoder.0.weight"));

  const auto replay = run_rxflow("replay '" + run_file + "' --quiet --out " + out.path());
  CHECK(replay.exit_code == 0);
  CHECK_THAT(replay.out, Contains("root hash identical " + reader.attribute("root_hash")));

  // The report: the generated image beside the patient's phantom, the grid
  // across features, and the training table with the run file's numbers.
  const std::string folder = run_file.substr(0, run_file.size() - 3);
  const std::string page = testing::read_text(folder + "/report.html");
  CHECK_THAT(page, Contains("src=\"image_1.png\"") && Contains("src=\"phantom_1.png\""));
  CHECK(page.find("src=\"image_1.png\"") < page.find("src=\"phantom_1.png\""));
  CHECK(testing::read_text(folder + "/phantom_1.png") !=
        testing::read_text(folder + "/image_1.png"));
  const Artifact grid = reader.read_artifact("image", "grid_images");
  REQUIRE(grid.shape == std::vector<std::uint64_t>{3, 5, 64, 64});
  const auto labels =
      std::get<std::vector<std::string>>(reader.read_artifact("image", "grid_labels").values);
  REQUIRE(labels.size() == 15);
  CHECK(labels.front() == "age 18");
  CHECK(labels[4] == "age 90");
  CHECK(labels.back() == "comorbidity 1");
  for (std::size_t cell = 0; cell < 15; ++cell) {
    CHECK_THAT(page, Contains("src=\"grid_" + std::to_string(cell + 1) + ".png\" alt=\"" +
                              labels[cell] + "\""));
  }
  // Each feature's first and last value give different images.
  const auto& pixels = values(grid);
  for (std::size_t feature = 0; feature < 3; ++feature) {
    const std::size_t first = feature * 5 * 4096, last = first + 4 * 4096;
    double difference = 0;
    for (std::size_t p = 0; p < 4096; ++p)
      difference += std::abs(pixels[first + p] - pixels[last + p]);
    CHECK(difference > 0);
  }
  CHECK_THAT(page,
             Contains("<tr><th>untrained</th><td>&ndash;</td><td>&ndash;</td><td>&ndash;</td><td>" +
                      decimal_text(untrained_mse, 4, "") + "</td>"));
  CHECK_THAT(page, Contains("<tr><th>4</th><td>" + decimal_text(loss[3 * 3 + 0], 4, "") +
                            "</td><td>" + decimal_text(loss[3 * 3 + 1], 4, "") + "</td><td>" +
                            decimal_text(loss[3 * 3 + 2], 4, "") + "</td><td>" +
                            decimal_text(trained_mse, 4, "") + "</td>"));
}

// Trains on six small patterned phantoms; returns the trainer's outputs.
std::map<std::string, Artifact, std::less<>> train_tiny(PluginLoader& loader) {
  const LoadedPlugin& trainer = loader.load("cvae_trainer");
  testing::FakeStageContext ctx(trainer.info, 3);
  ctx.params["epochs"] = std::int64_t{1};
  ctx.params["batch_size"] = std::int64_t{3};
  ctx.params["latent_dim"] = std::int64_t{3};
  ctx.params["evaluation_rows"] = std::int64_t{2};
  std::vector<double> phantoms(6 * 64 * 64), conditions(6 * 4);
  for (std::size_t i = 0; i < phantoms.size(); ++i) phantoms[i] = 0.5 + 0.4 * std::sin(0.01 * i);
  for (std::size_t i = 0; i < conditions.size(); ++i) conditions[i] = std::cos(0.9 * i);
  ctx.inputs["phantoms"] = Artifact{{6, 64, 64}, phantoms, {}};
  ctx.inputs["conditions"] = Artifact::matrix(6, 4, conditions);
  trainer.create()->run(ctx);
  return ctx.outputs;
}

TEST_CASE("conv_decoder draws with a trainer's decoder.* tensors, all bound or none",
          "[e2e][cvae]") {
  PluginLoader loader({builtin_plugin_dir()});
  const auto trained = train_tiny(loader);
  const LoadedPlugin& decoder = loader.load("conv_decoder");
  auto context = [&](std::int64_t latent_dim) {
    testing::FakeStageContext ctx(decoder.info, 7);
    ctx.params["latent_dim"] = latent_dim;
    ctx.params["condition"] = true;
    ctx.inputs["request_ids"] = Artifact::vector(std::vector<std::string>{"p1"});
    ctx.inputs["request_drugs"] = Artifact::vector(std::vector<std::string>{"DrugA"});
    ctx.inputs["request_features"] = Artifact::matrix(1, 2, {0.1, -0.2});
    ctx.inputs["request_embeddings"] = Artifact::matrix(1, 2, {0.3, 0.4});
    return ctx;
  };
  auto untrained = context(3);
  decoder.create()->run(untrained);

  auto bound = context(3);
  std::size_t tensors = 0;
  for (const auto& [name, artifact] : trained) {
    if (name.rfind("decoder.", 0) != 0) continue;
    bound.inputs[name] = artifact;
    ++tensors;
  }
  REQUIRE(tensors == 8);
  decoder.create()->run(bound);
  CHECK(bound.outputs.at("latents").values == untrained.outputs.at("latents").values);
  CHECK(bound.outputs.at("images").values != untrained.outputs.at("images").values);

  // The trainer's float64 tensors load into a float32 decoder, rounded.
  auto narrow = context(3);
  narrow.inputs = bound.inputs;
  narrow.params["dtype"] = std::string("float32");
  decoder.create()->run(narrow);
  const std::vector<double>& narrow_images = values(narrow.outputs.at("images"));
  const std::vector<double>& wide_images = values(bound.outputs.at("images"));
  REQUIRE(narrow_images.size() == wide_images.size());
  for (std::size_t i = 0; i < narrow_images.size(); ++i) {
    REQUIRE(static_cast<float>(narrow_images[i]) == narrow_images[i]);
    REQUIRE(narrow_images[i] == Approx(wide_images[i]).margin(1e-5));
  }
  auto too_wide = context(3);  // finite in float64, not in float32
  too_wide.params["dtype"] = std::string("float32");
  too_wide.inputs["request_features"] = Artifact::matrix(1, 2, {0.1, 1e39});
  CHECK_THROWS_WITH(decoder.create()->run(too_wide),
                    "input \"request_features\" holds 1e+39 at [0, 1], outside float32's range "
                    "(largest 3.40282e+38)");

  auto partly = bound;
  partly.inputs.erase("decoder.6.bias");
  CHECK_THROWS_WITH(decoder.create()->run(partly),
                    Contains("decoder.6.bias") && Contains("bound only in part"));

  auto grid = bound;
  grid.params["grid_steps"] = std::int64_t{3};
  CHECK_THROWS_WITH(decoder.create()->run(grid), Contains("age_norm"));
  grid.inputs["request_features"].columns = {"age_norm", "genetic_marker"};
  CHECK_THROWS_WITH(decoder.create()->run(grid), Contains("comorbidity"));
  grid.params["condition"] = false;
  CHECK_THROWS_WITH(decoder.create()->run(grid), Contains("condition = true"));

  auto wider = context(5);  // latent 5 + 4: the trained Linear takes 3 + 4
  for (const auto& [name, artifact] : bound.inputs) wider.inputs[name] = artifact;
  CHECK_THROWS_WITH(decoder.create()->run(wider),
                    Contains("\"0.weight\"") && Contains("[8192, 9]") && Contains("[8192, 7]"));
}

}  // namespace
}  // namespace rxflow
