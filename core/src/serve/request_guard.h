// The rules every request to rxflow serve passes before it is routed, seen
// on its line and headers only (the body is not read yet), and the CSRF
// token its forms carry. The server answers only to the names it printed
// (Host allow-list, against DNS rebinding); takes bodies only as one
// form-encoded block of known length within the limit (no Transfer-Encoding,
// no Content-Encoding: the library's chunk decoder and decompressors never
// see a request); and takes POSTs only from its own pages (Origin, when
// sent, must be its own; Sec-Fetch-Site must not be cross-site or
// same-site). Byte ranges are not served. A refusal's message never quotes
// the request. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "serve/http_server.h"

namespace rxflow {

struct RequestRules {
  // "host:port" as the Host header must name the server, lower case.
  std::vector<std::string> allowed_hosts;
  std::size_t max_body_bytes = 64 * 1024;
};

struct Refusal {
  int status = 400;
  std::string message;  // one line for the page; names the rule, not the request
};

// The Host values a server bound to host:port answers to: the loopback
// names always, and host itself.
std::vector<std::string> allowed_hosts_for(const std::string& host, int port);

std::optional<Refusal> screen_request(const HttpRequest& request, const RequestRules& rules);

// A new random token (64 hex digits) for the forms of one server process.
std::string new_csrf_token();
// Compares in time independent of where they differ.
bool csrf_token_matches(const std::string& expected, const std::string& given);

}  // namespace rxflow
