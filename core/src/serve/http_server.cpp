#include "serve/http_server.h"

#include <httplib.h>
#include <strings.h>

#include <filesystem>
#include <fstream>

#include "support/errors.h"

namespace rxflow {
namespace {

HttpRequest request_of(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method == "HEAD" ? "GET" : in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.headers) {
    // httplib adds the peer's and its own address as headers; they were not sent.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT") {
      continue;
    }
    out.headers.emplace_back(name, value);
  }
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  for (std::size_t i = 1; i < in.matches.size(); ++i) out.captures.push_back(in.matches[i].str());
  return out;
}

void send(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) {
    to.headers.erase(name);  // a handler's header replaces the default of that name
    to.set_header(name, value);
  }
  if (from.file_path.empty()) {
    to.set_content(from.body, from.content_type);
    return;
  }
  auto file = std::make_shared<std::ifstream>(from.file_path, std::ios::binary);
  std::error_code error;
  const auto size = std::filesystem::file_size(from.file_path, error);
  if (!*file || error) {
    to.status = 404;
    return;
  }
  to.set_content_provider(static_cast<std::size_t>(size), from.content_type,
                          [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                            char buffer[64 * 1024];
                            file->seekg(static_cast<std::streamoff>(offset));
                            const std::size_t wanted = std::min(length, sizeof buffer);
                            file->read(buffer, static_cast<std::streamsize>(wanted));
                            const std::streamsize got = file->gcount();
                            if (got <= 0) return false;
                            sink.write(buffer, static_cast<std::size_t>(got));
                            return true;
                          });
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
               hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return "";
}

std::size_t HttpRequest::header_count(std::string_view name) const {
  std::size_t count = 0;
  for (const auto& [key, value] : headers) {
    count += key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0;
  }
  return count;
}

std::vector<std::pair<std::string, std::string>> parse_form_fields(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t equals = pair.find('=');
      fields.emplace_back(
          form_decode(pair.substr(0, equals)),
          equals == std::string_view::npos ? "" : form_decode(pair.substr(equals + 1)));
    }
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return fields;
}

struct HttpServer::Impl {
  httplib::Server server;
  HttpServerOptions options;
  HttpScreen screen;
  bool stopped = false;
  std::mutex mutex;  // guards stopped against a stop() racing run()
  // The socket the library made last for bind(): the one that listens.
  socket_t listening = INVALID_SOCKET;
};

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  httplib::Server& server = impl_->server;
  const std::size_t threads = impl_->options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(1);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a
  // second server (any process of the same user) could bind the same port
  // and take a share of the connections.
  server.set_socket_options([impl = impl_.get()](socket_t sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl->listening = sock;
  });
  server.set_read_timeout(impl_->options.read_timeout_seconds, 0);
  server.set_write_timeout(impl_->options.read_timeout_seconds, 0);
  server.set_payload_max_length(impl_->options.max_body_bytes);
  httplib::Headers defaults;
  for (const auto& [name, value] : impl_->options.default_headers) defaults.emplace(name, value);
  server.set_default_headers(defaults);
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!impl_->screen) return httplib::Server::HandlerResponse::Unhandled;
    std::optional<HttpResponse> answer = impl_->screen(request_of(req));
    if (!answer) return httplib::Server::HandlerResponse::Unhandled;
    send(*answer, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0 || !impl_->options.error_page) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        res.set_content(impl_->options.error_page(res.status), "text/html; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      }));
  // Never the exception's text in the response: httplib's own handler
  // would put it in a header.
  server.set_exception_handler(
      [this](const httplib::Request&, httplib::Response& res, std::exception_ptr thrown) {
        std::string what = "an exception that is not a std::exception";
        try {
          std::rethrow_exception(thrown);
        } catch (const std::exception& error) {
          what = error.what();
        } catch (...) {
        }
        if (impl_->options.on_exception) impl_->options.on_exception(what);
        res = httplib::Response();
        res.status = 500;
        for (const auto& [name, value] : impl_->options.default_headers) {
          res.set_header(name, value);
        }
      });
}

HttpServer::~HttpServer() { stop(); }

namespace {

httplib::Server::Handler wrap(HttpHandler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    HttpRequest request = request_of(req);
    request.body = req.body;
    HttpResponse response;
    handler(request, response);
    send(response, res);
  };
}

}  // namespace

void HttpServer::get(const std::string& path_regex, HttpHandler handler) {
  impl_->server.Get(path_regex, wrap(std::move(handler)));
}

void HttpServer::post(const std::string& path_regex, HttpHandler handler) {
  impl_->server.Post(path_regex, wrap(std::move(handler)));
}

void HttpServer::screen(HttpScreen screen) { impl_->screen = std::move(screen); }

int HttpServer::bind(const std::string& host, int port) {
  const int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                              : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw InputError("cannot listen on " + host + ":" + std::to_string(port) +
                     " (the address is in use, or not one of this machine's)");
  }
  // Debian's library listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG,
  // compiled in): 50 connections opened at once overflowed it, the kernel
  // dropped handshakes and clients retried them a second later. Listening
  // again on the listening socket raises its backlog (Linux).
  if (::listen(impl_->listening, SOMAXCONN) != 0) {
    throw InputError("cannot listen on " + host + ":" + std::to_string(port) +
                     " with a backlog of " + std::to_string(SOMAXCONN));
  }
  return bound;
}

void HttpServer::run() {
  {
    const std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->stopped) return;
  }
  impl_->server.listen_after_bind();
}

void HttpServer::stop() {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->stopped = true;
  impl_->server.stop();
}

}  // namespace rxflow
