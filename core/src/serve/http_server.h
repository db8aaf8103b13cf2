// HttpServer: the small part of an HTTP server that rxflow serve needs, in
// front of the library that implements it (Debian's cpp-httplib 0.11), so
// that the library can be swapped by rewriting http_server.cpp alone: only
// that file includes <httplib.h>. Routes are regular expressions over the
// decoded path; a screen sees every request's line and headers before its
// body is read and may answer instead of the route. Every connection
// serves one request and is closed (no keep-alive), so a request refused
// before its body was read never leaves that body to be taken for the next
// request. Handlers run on the server's worker threads, several at once.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rxflow {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;                        // "GET", "POST", ...; HEAD is answered by GET routes
  std::string path;                          // percent-decoded, without the query
  HeaderList headers;                        // as received, in order
  std::map<std::string, std::string> query;  // decoded; the first of repeated names
  std::string body;                          // empty in screens
  std::vector<std::string> captures;         // the route's groups, 1-based in the regex

  // The value of the first header of that name (case-insensitive), "" when none.
  std::string header(std::string_view name) const;
  std::size_t header_count(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  HeaderList headers;     // added to the server's default headers
  std::string file_path;  // set: the body is this file, streamed
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;
// A response sends it instead of routing the request; nullopt lets it pass.
using HttpScreen = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

struct HttpServerOptions {
  std::size_t max_body_bytes = 64 * 1024;  // larger bodies get 413 unread
  std::size_t threads = 64;                // connections served at once
  int read_timeout_seconds = 5;            // for a request's line, headers and body
  HeaderList default_headers;              // on every response, errors included
  // The page for a status with no body of its own (404, 413, 500, ...).
  std::function<std::string(int status)> error_page;
  // Told about every exception a handler threw (the client sees a bare 500).
  std::function<void(const std::string& what)> on_exception;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes and the screen are set before run().
  void get(const std::string& path_regex, HttpHandler handler);
  void post(const std::string& path_regex, HttpHandler handler);
  void screen(HttpScreen screen);

  // Binds host:port (0: a free port) and returns the port. Throws
  // InputError when it cannot.
  int bind(const std::string& host, int port);
  // Serves until stop(). REQUIRES: bind() succeeded.
  void run();
  // From any thread, also before run() started; run() then returns at once.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Name=value pairs of an application/x-www-form-urlencoded body or query
// ('+' is a space, %XX a byte), in order. Malformed escapes stay as written.
std::vector<std::pair<std::string, std::string>> parse_form_fields(std::string_view text);

}  // namespace rxflow
