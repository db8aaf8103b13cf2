// A plugin whose description names another plugin than its file does.
#include "rxflow/kinds.h"
#include "rxflow/plugin_registration.h"

namespace {

class MisnamedStage final : public rxflow::Plugin {
 public:
  rxflow::PluginInfo describe() const override {
    return {"someone_else", rxflow::kinds::reporter(), "1.0.0", "test plugin", {}, {}, {}};
  }
  void run(rxflow::StageContext&) override {}
};

}  // namespace

RXFLOW_PLUGIN(MisnamedStage)
