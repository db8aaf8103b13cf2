#include "schema/param_check.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

TEST_CASE("conform_param_value checks type, range and choices", "[param]") {
  const ParamSpec epochs = ParamSpec::integer("epochs", 10, 1, 1000, "");
  CHECK(conform_param_value(epochs, ParamValue{std::int64_t{5}}));
  CHECK_FALSE(conform_param_value(epochs, ParamValue{std::int64_t{0}}));
  CHECK_FALSE(conform_param_value(epochs, ParamValue{std::int64_t{1001}}));
  CHECK_FALSE(conform_param_value(epochs, ParamValue{5.0}));
  CHECK_FALSE(conform_param_value(epochs, ParamValue{std::string("ten")}));
  CHECK(param_expectation(epochs) == "an integer in [1, 1000]");

  const ParamSpec rate = ParamSpec::real("rate", 0.5, 0.0, 1.0, "");
  const auto widened = conform_param_value(rate, ParamValue{std::int64_t{1}});
  REQUIRE(widened);
  CHECK(std::get<double>(*widened) == 1.0);
  CHECK_FALSE(conform_param_value(rate, ParamValue{1.5}));
  CHECK_FALSE(conform_param_value(rate, ParamValue{std::nan("")}));

  const ParamSpec rule = ParamSpec::choice("rule", "a", {"a", "b"}, "");
  CHECK(conform_param_value(rule, ParamValue{std::string("b")}));
  CHECK_FALSE(conform_param_value(rule, ParamValue{std::string("c")}));
  CHECK(param_expectation(rule) == "a string, one of \"a\", \"b\"");

  const ParamSpec probabilities = ParamSpec::real_list("p", {0.5, 0.5}, 0.0, 1.0, "", 2);
  CHECK(conform_param_value(probabilities, ParamValue{std::vector<double>{0.1, 0.9}}));
  CHECK_FALSE(conform_param_value(probabilities, ParamValue{std::vector<double>{0.1}}));
  CHECK_FALSE(conform_param_value(probabilities, ParamValue{std::vector<double>{0.1, 2.0}}));

  const ParamSpec names = ParamSpec::text_list("names", {}, "");
  const auto empty = conform_param_value(names, ParamValue{std::vector<double>{}});
  REQUIRE(empty);
  CHECK(std::get<std::vector<std::string>>(*empty).empty());
}

TEST_CASE("format_param_value writes TOML that reads back the same", "[param]") {
  CHECK(format_param_value(ParamValue{70.0}) == "70.0");
  CHECK(format_param_value(ParamValue{0.1}) == "0.1");
  CHECK(format_param_value(ParamValue{std::int64_t{-3}}) == "-3");
  CHECK(format_param_value(ParamValue{std::string("a\"b\n")}) == "\"a\\\"b\\n\"");
  CHECK(format_param_value(ParamValue{std::vector<std::string>{"x", "y"}}) == "[\"x\", \"y\"]");
}

}  // namespace
}  // namespace rxflow
