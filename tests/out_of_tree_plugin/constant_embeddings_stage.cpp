// An embedding plugin from outside the tree: every drug gets the same vector.
#include <rxflow/kinds.h>
#include <rxflow/plugin_registration.h>

namespace {

class ConstantEmbeddingsStage final : public rxflow::Plugin {
 public:
  rxflow::PluginInfo describe() const override {
    using rxflow::DType;
    return {"constant_embeddings",
            rxflow::kinds::embedding(),
            "2.0.0",
            "every drug gets the vector (value, ..., value)",
            {{"request_drugs", DType::kString, 1, "the requests' drugs", true}},
            {{"drug_names", DType::kString, 1, "requested drugs", false},
             {"embeddings", DType::kFloat64, 2, "one row per drug", false},
             {"request_embeddings", DType::kFloat64, 2, "one row per request", false},
             {"unknown_drugs", DType::kString, 1, "always empty", false}},
            {rxflow::ParamSpec::real("value", 0.25, -1.0, 1.0, "every component"),
             rxflow::ParamSpec::integer("dim", 4, 1, 64, "dimension")}};
  }

  void run(rxflow::StageContext& ctx) override {
    const double value = ctx.param_float("value");
    const auto dim = static_cast<std::uint64_t>(ctx.param_int("dim"));
    std::vector<std::string> names;
    if (ctx.has_input("request_drugs")) {
      names = std::get<std::vector<std::string>>(ctx.input("request_drugs").values);
    }
    const std::uint64_t n = names.size();
    ctx.emit("drug_names", rxflow::Artifact::vector(std::move(names)));
    ctx.emit("embeddings", rxflow::Artifact::matrix(n, dim, std::vector<double>(n * dim, value)));
    ctx.emit("request_embeddings",
             rxflow::Artifact::matrix(n, dim, std::vector<double>(n * dim, value)));
    ctx.emit("unknown_drugs", rxflow::Artifact::vector(std::vector<std::string>{}));
  }
};

}  // namespace

RXFLOW_PLUGIN(ConstantEmbeddingsStage)
