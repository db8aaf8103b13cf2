#include "support/text_escaping.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace rxflow {
namespace {

TEST_CASE("workflow text is escaped for HTML, gnuplot and CSV", "[report]") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  // Single quotes stop backquote and @ substitution; the newline would end the command.
  CHECK(gnuplot_quote("a'b`date`@m\nsystem(\"x\")") == "'a''b`date`@m system(\"x\")'");
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"\nnext") == "\"say \"\"hi\"\"\nnext\"");
  CHECK(csv_field("=HYPERLINK(1)") == "'=HYPERLINK(1)");
}

TEST_CASE("a shell-quoted word reaches the program unchanged", "[report]") {
  // What /bin/sh hands printf is compared with the text, byte for byte.
  for (const std::string text :
       {"plain", "it's", "''", "$(touch /tmp/x) `id` \\ \" ; |", "results/o'brien's runs/"}) {
    INFO(text);
    FILE* pipe = popen(("printf %s " + shell_quote(text)).c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[256];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    CHECK(pclose(pipe) == 0);
    CHECK(out == text);
  }
}

}  // namespace
}  // namespace rxflow
