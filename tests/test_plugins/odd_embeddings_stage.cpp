// A plugin that names the kind "embedding" but states another contract than
// rxflow's embedding plugins do: refused once one of those is loaded.
#include "rxflow/plugin_registration.h"

namespace {

class OddEmbeddingsStage final : public rxflow::Plugin {
 public:
  rxflow::PluginInfo describe() const override {
    using rxflow::DType;
    return {"odd_embeddings",
            {"embedding", {}, {{"vectors", DType::kFloat64, 2, ""}}},
            "1.0.0",
            "test plugin: an embedding with a contract of its own",
            {},
            {{"vectors", DType::kFloat64, 2, ""}},
            {}};
  }
  void run(rxflow::StageContext&) override {}
};

}  // namespace

RXFLOW_PLUGIN(OddEmbeddingsStage)
