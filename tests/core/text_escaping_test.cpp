#include "support/text_escaping.h"

#include <catch2/catch.hpp>

namespace rxflow {
namespace {

TEST_CASE("workflow text is escaped for HTML, gnuplot, CSV and JSON", "[report]") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  // Single quotes stop backquote and @ substitution; the newline would end the command.
  CHECK(gnuplot_quote("a'b`date`@m\nsystem(\"x\")") == "'a''b`date`@m system(\"x\")'");
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"\nnext") == "\"say \"\"hi\"\"\nnext\"");
  CHECK(csv_field("=HYPERLINK(1)") == "'=HYPERLINK(1)");
  CHECK(json_string("a\"b\\c\nd\x01") == "\"a\\\"b\\\\c\\nd\\u0001\"");
}

}  // namespace
}  // namespace rxflow
