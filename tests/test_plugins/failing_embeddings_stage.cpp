// A valid embedding plugin that throws when its `fail` parameter is true,
// to prove that a failing stage leaves a run file marked failed. Built a
// second time with TEST_PLUGIN_VERSION "1.1.0" to prove that replay refuses
// a plugin whose version differs from the recorded one.
#include <stdexcept>

#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

#ifndef TEST_PLUGIN_VERSION
#define TEST_PLUGIN_VERSION "1.0.0"
#endif

namespace {

class FailingEmbeddingsStage final : public rxflow::Plugin {
 public:
  rxflow::PluginInfo describe() const override {
    using rxflow::DType;
    return {
        "failing_embeddings",
        rxflow::kinds::embedding(),
        TEST_PLUGIN_VERSION,
        "test plugin: one drug with a zero vector, or a deliberate failure",
        {{"request_drugs", DType::kString, 1, "", true}},
        {{"drug_names", DType::kString, 1, "", false},
         {"embeddings", DType::kFloat64, 2, "", false},
         {"request_embeddings", DType::kFloat64, 2, "", false},
         {"unknown_drugs", DType::kString, 1, "", false}},
        {rxflow::ParamSpec::boolean("fail", true, "throw from run()"),
         {"code", rxflow::ParamType::kInt, std::nullopt, 0.0, 9.0, {}, "a required parameter"}}};
  }

  void run(rxflow::StageContext& ctx) override {
    if (ctx.param_bool("fail")) throw std::runtime_error("deliberate failure for the test");
    const std::uint64_t n =
        ctx.has_input("request_drugs") ? ctx.input("request_drugs").shape[0] : 0;
    ctx.emit("drug_names", rxflow::Artifact::vector(std::vector<std::string>{"DrugA"}));
    ctx.emit("embeddings", rxflow::Artifact::matrix(1, 2, {0.0, 0.0}));
    ctx.emit("request_embeddings", rxflow::Artifact::matrix(n, 2, std::vector<double>(2 * n, 0.0)));
    ctx.emit("unknown_drugs", rxflow::Artifact::vector(std::vector<std::string>{}));
  }
};

}  // namespace

RXFLOW_PLUGIN(FailingEmbeddingsStage)
