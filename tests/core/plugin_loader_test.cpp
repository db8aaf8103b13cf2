// Plugin loading: found by name on the path, ABI checked first, and every
// broken library refused with its file and the reason.
#include "loader/plugin_loader.h"

#include <catch2/catch.hpp>

#include "support/errors.h"
#include "support/install_paths.h"

namespace rxflow {
namespace {

const std::string kTestDir = RXFLOW_TEST_PLUGIN_DIR;

TEST_CASE("built-in plugins load and describe themselves", "[loader]") {
  PluginLoader loader({builtin_plugin_dir()});
  const LoadedPlugin& embeddings = loader.load("synthetic_embeddings");
  CHECK(embeddings.info.kind.name == "embedding");
  CHECK(embeddings.sha256.size() == 64);
  CHECK(&loader.load("synthetic_embeddings") == &embeddings);
  const LoadedPlugin& cohort = loader.load("cohort_simulator");
  CHECK(cohort.info.kind.name == "simulator");
  CHECK(loader.load("html_report").info.kind.renders);
  CHECK_FALSE(cohort.info.kind.renders);
  CHECK(cohort.create() != nullptr);
}

TEST_CASE("broken plugin libraries are refused naming the file and the reason", "[loader]") {
  struct Case {
    const char* file;
    const char* reason;
  };
  const Case cases[] = {
      {"rxflow-not_a_library.so", "not a loadable shared library ("},
      {"rxflow-wrong_abi.so", "plugin ABI version 999, this rxflow needs 3"},
      {"rxflow-wrong_fingerprint.so", "plugin ABI fingerprint 1, this rxflow has "},
      {"rxflow-no_factory.so", "rxflow plugin without a factory"},
      {"rxflow-throwing_describe.so",
       "the plugin failed to describe itself: it threw something that is not a std::exception"},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    const std::string file = kTestDir + "/" + c.file;
    CHECK_THROWS_WITH(load_plugin_file(file), Catch::Matchers::StartsWith(file + ": ") &&
                                                  Catch::Matchers::Contains(c.reason));
  }
  PluginLoader loader({kTestDir});
  CHECK_THROWS_WITH(loader.load("misnamed"),
                    Catch::Matchers::Contains(
                        "describes plugin \"someone_else\", but its file name says \"misnamed\""));
  CHECK_THROWS_WITH(
      loader.load("absent"),
      Catch::Matchers::Contains("unknown plugin \"absent\": no rxflow-absent.so in " + kTestDir));
}

TEST_CASE("a plugin may bring a kind of its own, one kind has one contract", "[loader]") {
  PluginLoader loader({builtin_plugin_dir(), kTestDir});
  const LoadedPlugin& tally = loader.load("tally");
  CHECK(tally.info.kind.name == "tally");
  REQUIRE(tally.info.kind.outputs.size() == 1);
  CHECK(tally.info.kind.outputs[0].name == "count");
  loader.load("synthetic_embeddings");
  CHECK_THROWS_WITH(loader.load("odd_embeddings"),
                    Catch::Matchers::Contains("rxflow-odd_embeddings.so: the plugin states kind "
                                              "embedding with another contract than ") &&
                        Catch::Matchers::Contains("rxflow-synthetic_embeddings.so (outputs"));
}

TEST_CASE("plugin names are identifiers, never paths", "[loader]") {
  PluginLoader loader({builtin_plugin_dir()});
  for (const char* name : {"x/../../evil", "../rxflow-cohort_simulator", "", "a.b"}) {
    INFO(name);
    CHECK_THROWS_WITH(loader.load(name), Catch::Matchers::Contains("is not an identifier"));
  }
}

TEST_CASE("the first folder on the path wins and later copies show as shadowed", "[loader]") {
  const std::size_t builtin = PluginLoader({builtin_plugin_dir()}).list().size();
  PluginLoader loader({builtin_plugin_dir(), kTestDir, builtin_plugin_dir()});
  std::size_t shadowed = 0, cohort = 0;
  for (const PluginFile& file : loader.list()) {
    shadowed += file.shadowed;
    if (file.name == "cohort_simulator") {
      CHECK(file.shadowed == (cohort > 0));
      ++cohort;
    }
  }
  CHECK(cohort == 2);
  CHECK(shadowed == builtin);
}

}  // namespace
}  // namespace rxflow
