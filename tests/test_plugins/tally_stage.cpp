// A plugin of a kind the engine has never heard of ("tally"), defined here
// with its own contract: proof that a new kind needs no engine edit. It
// counts its input's values (or the value parameter), and throws on demand,
// from check() or run(), a std::exception or something else; with
// check_cancelled, its run asks whether the run was cancelled first.
#include <stdexcept>

#include "rxflow/plugin_registration.h"

namespace {

rxflow::KindContract tally_kind() {
  return {"tally", {}, {{"count", rxflow::DType::kInt64, 0, "how many"}}};
}

class TallyStage final : public rxflow::Plugin {
 public:
  rxflow::PluginInfo describe() const override {
    using rxflow::DType;
    using rxflow::ParamSpec;
    return {
        "tally",
        tally_kind(),
        "1.0.0",
        "test plugin of a new kind: counts",
        {{"values", DType::kFloat64, -1, "anything to count", true}},
        {{"count", DType::kInt64, 0, "the count"},
         {"tally_metrics", DType::kFloat64, 2, "the count as a metric", false, true}},
        {ParamSpec::integer("value", 1, 0, 1000, "the count when nothing is bound"),
         ParamSpec::choice("throw_in", "nowhere", {"nowhere", "check", "run"}, "where to throw"),
         ParamSpec::choice("throw_what", "std", {"std", "int"}, "what to throw"),
         ParamSpec::boolean("check_cancelled", false, "call check_cancelled() first in run")}};
  }

  void check(rxflow::PlanCheck& ctx) const override {
    if (ctx.param_string("throw_in") == "check") throw_it(ctx);
  }

  void run(rxflow::StageContext& ctx) override {
    if (ctx.param_bool("check_cancelled")) ctx.check_cancelled();
    if (ctx.param_string("throw_in") == "run") throw_it(ctx);
    const std::int64_t count = ctx.has_input("values")
                                   ? static_cast<std::int64_t>(ctx.input("values").element_count())
                                   : ctx.param_int("value");
    ctx.emit("count", rxflow::Artifact{{}, std::vector<std::int64_t>{count}, {}});
    ctx.emit("tally_metrics",
             rxflow::Artifact::matrix(1, 1, {static_cast<double>(count)}, {"tally"}));
  }

 private:
  [[noreturn]] static void throw_it(const rxflow::StageParams& ctx) {
    if (ctx.param_string("throw_what") == "int") throw 42;
    throw std::runtime_error("deliberate failure in " + ctx.param_string("throw_in"));
  }
};

}  // namespace

RXFLOW_PLUGIN(TallyStage)
