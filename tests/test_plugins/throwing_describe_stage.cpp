// A plugin whose description throws something that is not a std::exception.
#include "rxflow/plugin_registration.h"

namespace {

class ThrowingDescribeStage final : public rxflow::Plugin {
 public:
  rxflow::PluginInfo describe() const override { throw 7; }
  void run(rxflow::StageContext&) override {}
};

}  // namespace

RXFLOW_PLUGIN(ThrowingDescribeStage)
