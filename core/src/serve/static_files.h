// The static files of rxflow serve's pages, built into the program so that
// the server needs no folder of its own: the stylesheet and the script that
// follows a pending run. Same-origin files, so that the Content-Security-
// Policy allows no inline style or script at all.
#pragma once

#include <string_view>

namespace rxflow {

extern const std::string_view kServeStylesheet;  // /static/style.css
extern const std::string_view kServeScript;      // /static/app.js

}  // namespace rxflow
