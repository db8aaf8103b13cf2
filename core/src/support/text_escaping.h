// Making workflow text (names, descriptions, drug names, patient ids, file
// paths) safe in each language rxflow writes by hand, so that nothing but
// the text comes out: HTML element content and attributes, gnuplot string
// literals, POSIX shell words and CSV fields; and numbers written for
// people. (JSON is written by nlohmann-json.) Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rxflow {

// & < > " ' as character references.
std::string html_escape(std::string_view text);

// A gnuplot single-quoted literal, quotes included. Single quotes block
// backquote command substitution and @ macros; ' is doubled; control
// characters (a newline would end the command line) become spaces.
std::string gnuplot_quote(std::string_view text);

// A POSIX shell word, quotes included: '...' with each ' written '\''.
std::string shell_quote(std::string_view text);

// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break,
// quotes doubled. Fields starting with = + - @ are prefixed with ' so that a
// spreadsheet shows them as text instead of evaluating them.
std::string csv_field(std::string_view text);

// Text for a one-line message: control characters (a line break in a
// quoted input) written as \n, \r, \t or \xNN.
std::string one_line(std::string_view text);

// 17 significant digits ("%.17g"): read back, it is the same double. NaN
// and infinities as printf writes them ("nan", "inf").
std::string round_trip_text(double value);

// value with a fixed number of decimals ("0.944"), or nan_text for NaN.
std::string decimal_text(double value, int decimals, std::string_view nan_text);

}  // namespace rxflow
