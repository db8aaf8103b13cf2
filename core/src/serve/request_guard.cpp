#include "serve/request_guard.h"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <random>
#include <sstream>

namespace rxflow {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool allowed(const std::vector<std::string>& hosts, const std::string& host) {
  return std::find(hosts.begin(), hosts.end(), lower(host)) != hosts.end();
}

}  // namespace

std::vector<std::string> allowed_hosts_for(const std::string& host, int port) {
  const std::string suffix = ":" + std::to_string(port);
  std::vector<std::string> hosts{"127.0.0.1" + suffix, "localhost" + suffix, "[::1]" + suffix};
  const std::string named =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + suffix;
  if (!allowed(hosts, named)) hosts.push_back(lower(named));
  return hosts;
}

std::optional<Refusal> screen_request(const HttpRequest& request, const RequestRules& rules) {
  if (request.method != "GET" && request.method != "POST") {
    return Refusal{405, "only GET and POST are answered"};
  }
  if (request.header_count("Host") != 1 || !allowed(rules.allowed_hosts, request.header("Host"))) {
    return Refusal{421,
                   "the request's Host header does not name this server as it was started "
                   "(open the address rxflow serve printed)"};
  }
  if (request.header_count("Transfer-Encoding") > 0) {
    return Refusal{501, "request bodies with a Transfer-Encoding (chunked) are not accepted"};
  }
  if (request.header_count("Content-Encoding") > 0) {
    return Refusal{415, "compressed request bodies (Content-Encoding) are not accepted"};
  }
  // cpp-httplib cuts any answer to a requested range whatever its status
  // (an error page too) and builds multipart answers for many: not served.
  if (request.header_count("Range") > 0) return Refusal{416, "byte ranges are not served"};
  const std::size_t lengths = request.header_count("Content-Length");
  if (lengths > 1) return Refusal{400, "more than one Content-Length header"};
  if (lengths == 1) {
    const std::string length = request.header("Content-Length");
    if (length.empty() || length.size() > 12 ||
        length.find_first_not_of("0123456789") != std::string::npos) {
      return Refusal{400, "the Content-Length header is not a number"};
    }
    if (std::stoull(length) > rules.max_body_bytes) {
      return Refusal{413, "the request body is larger than " +
                              std::to_string(rules.max_body_bytes) + " bytes"};
    }
  }
  if (request.method != "POST") return std::nullopt;
  if (lengths == 0) return Refusal{411, "a POST needs a Content-Length header"};
  if (request.header_count("Origin") > 1) return Refusal{403, "more than one Origin header"};
  if (request.header_count("Origin") == 1) {
    const std::string origin = lower(request.header("Origin"));
    if (!origin.starts_with("http://") || !allowed(rules.allowed_hosts, origin.substr(7))) {
      return Refusal{403, "forms are accepted only from this server's own pages (Origin)"};
    }
  }
  const std::string site = lower(request.header("Sec-Fetch-Site"));
  if (site == "cross-site" || site == "same-site") {
    return Refusal{403, "forms are accepted only from this server's own pages (Sec-Fetch-Site)"};
  }
  const std::string type = lower(request.header("Content-Type"));
  if (type != "application/x-www-form-urlencoded" &&
      !type.starts_with("application/x-www-form-urlencoded;")) {
    return Refusal{415, "forms are accepted as application/x-www-form-urlencoded only"};
  }
  return std::nullopt;
}

std::string new_csrf_token() {
  std::random_device device;
  std::ostringstream token;
  for (int i = 0; i < 8; ++i) token << std::hex << std::setw(8) << std::setfill('0') << device();
  return token.str();
}

bool csrf_token_matches(const std::string& expected, const std::string& given) {
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(expected[i] ^ given[i]);
  }
  return difference == 0;
}

}  // namespace rxflow
