#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "audit/workflow_comparison.h"
#include "serve/http_server.h"
#include "serve/pages.h"
#include "serve/request_form.h"
#include "serve/request_guard.h"
#include "serve/run_queue.h"
#include "serve/run_summary.h"
#include "serve/serve.h"
#include "serve/static_files.h"
#include "support/errors.h"
#include "support/install_paths.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJobIdPattern = "[0-9a-f]{24}";
constexpr const char* kRunIdPattern = "[0-9]{8}-[0-9]{6}-[0-9a-f]{6}";

// Scripts, styles, images, fetches and form posts from this server only;
// nothing inline; no framing.
constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// The run's report page as its reporter wrote it: its own inline style, no
// script at all, in a sandbox (an origin of its own).
constexpr const char* kReportPolicy =
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

constexpr std::chrono::milliseconds kLongestWait{10'000};

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

std::string content_type_of(const std::string& name) {
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".json")) return "application/json";
  return "application/octet-stream";
}

void refuse(HttpResponse& response, int status, const std::string& message) {
  response.status = status;
  response.body = message_page(status, message);
}

void redirect(HttpResponse& response, const std::string& path) {
  response.status = 303;
  response.headers.emplace_back("Location", path);
  response.body.clear();
}

std::string field(const std::vector<std::pair<std::string, std::string>>& fields,
                  const std::string& name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return "";
}

// Made field by field: GCC 12 takes the strings an aggregate initialiser
// leaves default for uninitialised (-Wmaybe-uninitialized).
RunOptions run_options(const ServeArgs& args) {
  RunOptions options;
  options.results_dir = args.results_dir;
  return options;
}

// Everything the routes share. Handlers run on several threads: the queue
// and the summaries synchronise themselves; planning is serialised here.
class ServeApp {
 public:
  ServeApp(const ServeArgs& args, PluginLoader& loader, Spec base, const Plan& base_plan)
      : args_(args),
        loader_(loader),
        base_spec_(std::move(base)),
        form_(request_form_of(base_plan)),
        summaries_((fs::path(args.results_dir) / base_plan.spec.name).string()),
        queue_(args.queue, run_options(args)) {
    site_.workflow_name = base_plan.spec.name;
    site_.workflow_description = base_plan.spec.description;
    site_.workflow_file = args.workflow.workflow_file;
    site_.csrf_token = new_csrf_token();
  }

  void add_routes(HttpServer& server) {
    server.get("/", [this](const HttpRequest& q, HttpResponse& r) { form(q, r); });
    server.post("/runs", [this](const HttpRequest& q, HttpResponse& r) { submit(q, r); });
    const std::string any_id = std::string("(") + kJobIdPattern + "|" + kRunIdPattern + ")";
    server.get("/runs/" + any_id, [this](const HttpRequest& q, HttpResponse& r) { page(q, r); });
    server.get("/runs/" + any_id + "/status",
               [this](const HttpRequest& q, HttpResponse& r) { status(q, r); });
    server.post("/runs/" + any_id + "/cancel",
                [this](const HttpRequest& q, HttpResponse& r) { cancel(q, r); });
    server.get(std::string("/runs/(") + kRunIdPattern + ")/files/([a-z0-9_]+\\.[a-z0-9]+)",
               [this](const HttpRequest& q, HttpResponse& r) { download(q, r); });
    server.get("/history", [this](const HttpRequest&, HttpResponse& r) {
      r.body = history_page(site_, queue_.active(), summaries_.all());
    });
    server.get("/compare", [this](const HttpRequest& q, HttpResponse& r) { compare(q, r); });
    // Browsers ask for it; there is none.
    server.get("/favicon.ico", [](const HttpRequest&, HttpResponse& r) { r.status = 204; });
    server.get("/static/style.css", [](const HttpRequest&, HttpResponse& r) {
      r.content_type = "text/css; charset=utf-8";
      r.body = kServeStylesheet;
    });
    server.get("/static/app.js", [](const HttpRequest&, HttpResponse& r) {
      r.content_type = "text/javascript; charset=utf-8";
      r.body = kServeScript;
    });
  }

  void shutdown() { queue_.shutdown(); }

 private:
  void form(const HttpRequest& request, HttpResponse& response) {
    FormPage page;
    page.values = form_.initial;
    const auto from = request.query.find("from");
    if (from != request.query.end() && is_run_id(from->second)) {
      if (const auto run = summaries_.find(from->second); run && run->read_error.empty()) {
        for (const auto& [name, value] : run->request) page.values[name] = value;
        for (const TunableField& tunable : form_.tunables) {
          const std::string value = run->param_value(tunable.name);
          if (!value.empty()) page.values[tunable.name] = value;
        }
        page.from_run = run->run_id;
      }
    }
    response.body = form_page(site_, form_, page);
  }

  void submit(const HttpRequest& request, HttpResponse& response) {
    const auto fields = parse_form_fields(request.body);
    if (!csrf_token_matches(site_.csrf_token, field(fields, "csrf_token"))) {
      return refuse(response, 403,
                    "the form is not one this server made (its token is missing or from an "
                    "earlier start of the server); reload the form and send it again");
    }
    FormPage page;
    for (const ParamSpec& column : form_.columns)
      page.values[column.name] = field(fields, column.name);
    for (const TunableField& tunable : form_.tunables)
      page.values[tunable.name] = field(fields, tunable.name);
    std::shared_ptr<const Plan> plan;
    try {
      Spec spec = base_spec_;
      set_request_row(spec, form_, fields);
      set_tunable_params(spec, form_, fields);
      const std::lock_guard<std::mutex> lock(plan_mutex_);
      plan = std::make_shared<const Plan>(make_plan(
          std::move(spec), loader_, PlanOptions{args_.workflow.seed, {builtin_data_dir()}}));
    } catch (const InputError& error) {
      page.error = error.what();
      response.status = 400;
      response.body = form_page(site_, form_, page);
      return;
    }
    const std::optional<std::string> job = queue_.submit(std::move(plan));
    if (!job) {
      response.headers.emplace_back("Retry-After", "5");
      return refuse(response, 503,
                    "the queue is full: " + std::to_string(args_.queue) +
                        " runs wait already; send the form again when one has run");
    }
    redirect(response, "/runs/" + *job);
  }

  // The job behind an id from a URL: a job id, or the run id of a job this
  // process still follows.
  std::optional<JobStatus> job_of(const std::string& id) const {
    return is_run_id(id) ? queue_.status_of_run(id) : queue_.status(id);
  }

  void page(const HttpRequest& request, HttpResponse& response) {
    const std::string& id = request.captures.at(0);
    const std::optional<JobStatus> job = job_of(id);
    if (job && !job->ended()) {
      response.body = pending_page(site_, *job, id);
      return;
    }
    if (!is_run_id(id)) {
      if (!job) return refuse(response, 404, "no run of that id");
      if (!job->run_id.empty() && !summaries_.run_file(job->run_id).empty()) {
        return redirect(response, "/runs/" + job->run_id);
      }
      response.body = job_ended_page(site_, *job);
      return;
    }
    const std::optional<RunSummary> run = summaries_.find(id);
    if (!run) return refuse(response, 404, "no run of that id in this server's results folder");
    response.body = run_page(site_, form_, *run, files_of(*run));
  }

  void status(const HttpRequest& request, HttpResponse& response) {
    const std::string& id = request.captures.at(0);
    std::optional<JobStatus> job = job_of(id);
    // ?wait=ended: answer when the job ended, or after kLongestWait.
    if (job && !job->ended() && request.query.count("wait") > 0) {
      job = queue_.wait_until_ended(job->job_id, kLongestWait);
    }
    if (!job && is_run_id(id) && !summaries_.run_file(id).empty()) {
      job = JobStatus{};  // a run this process did not start: ended
      job->state = JobState::kComplete;
      job->run_id = id;
    }
    if (!job) return refuse(response, 404, "no run of that id");
    const bool has_page = !job->run_id.empty() && !summaries_.run_file(job->run_id).empty();
    response.content_type = "application/json";
    response.body = job_status_json(*job, "/runs/" + (job->ended() && has_page ? job->run_id : id));
  }

  void cancel(const HttpRequest& request, HttpResponse& response) {
    const std::string& id = request.captures.at(0);
    if (!csrf_token_matches(site_.csrf_token,
                            field(parse_form_fields(request.body), "csrf_token"))) {
      return refuse(response, 403, "the form is not one this server made; reload the page");
    }
    const std::optional<JobStatus> job = job_of(id);
    if (!job) return refuse(response, 404, "no run of that id is waiting or running");
    queue_.cancel(job->job_id);
    redirect(response, "/runs/" + id);
  }

  std::vector<std::string> files_of(const RunSummary& run) const {
    std::vector<std::string> files;
    for (const std::string& name : run_download_names()) {
      std::error_code error;
      if (name == "run.h5" || (!run.report_dir.empty() &&
                               fs::is_regular_file(fs::path(run.report_dir) / name, error))) {
        files.push_back(name);
      }
    }
    return files;
  }

  void download(const HttpRequest& request, HttpResponse& response) {
    const std::string& id = request.captures.at(0);
    const std::string& name = request.captures.at(1);
    const auto& names = run_download_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return refuse(response, 404,
                    "no such file: a run offers " + std::to_string(names.size()) +
                        " files by fixed names (see its page)");
    }
    const std::string file = summaries_.run_file(id);
    if (file.empty()) return refuse(response, 404, "no run of that id");
    if (name == "run.h5") {
      response.file_path = file;
      response.content_type = "application/x-hdf5";
      response.headers.emplace_back(
          "Content-Disposition",
          "attachment; filename=\"" + fs::path(file).filename().string() + "\"");
      return;
    }
    const fs::path path = fs::path(file.substr(0, file.size() - 3)) / name;
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return refuse(response, 404, "the run has no such file");
    response.file_path = path.string();
    response.content_type = content_type_of(name);
    if (name == "report.html")
      response.headers.emplace_back("Content-Security-Policy", kReportPolicy);
  }

  void compare(const HttpRequest& request, HttpResponse& response) {
    const auto a = request.query.find("a");
    const auto b = request.query.find("b");
    if (a == request.query.end() || b == request.query.end() || !is_run_id(a->second) ||
        !is_run_id(b->second)) {
      return refuse(response, 400, "pick two runs to compare (A and B) on the history page");
    }
    const auto run_a = summaries_.find(a->second);
    const auto run_b = summaries_.find(b->second);
    if (!run_a || !run_b) return refuse(response, 404, "no run of that id");
    ValueChanges changes;
    try {
      const RunReader reader_a(run_a->file), reader_b(run_b->file);
      changes = workflow_changes(reader_a, reader_b, records_by_id(reader_a.stages()),
                                 records_by_id(reader_b.stages()));
    } catch (const std::exception& error) {
      return refuse(response, 500, "a run file cannot be read: " + one_line(error.what()));
    }
    response.body = compare_page(site_, form_, *run_a, *run_b, changes);
  }

  const ServeArgs& args_;
  PluginLoader& loader_;
  const Spec base_spec_;
  const RequestForm form_;
  SiteInfo site_;
  RunSummaries summaries_;
  RunQueue queue_;
  std::mutex plan_mutex_;
};

// Stops the server at the first SIGINT or SIGTERM; a second ends the
// process at once. REQUIRES: both signals blocked in every thread.
void watch_signals(HttpServer& server) {
  std::thread([&server] {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    int signal = 0;
    sigwait(&signals, &signal);
    server.stop();
    sigwait(&signals, &signal);
    std::_Exit(128 + signal);
  }).detach();
}

}  // namespace

int command_serve(const ServeArgs& args, std::ostream& out, std::ostream& err) {
  PluginLoader loader(default_plugin_path(args.workflow.plugin_path));
  Spec spec = parse_spec_file(args.workflow.workflow_file);
  for (const std::string& assignment : args.workflow.overrides) apply_override(spec, assignment);
  const Plan base_plan =
      make_plan(spec, loader, PlanOptions{args.workflow.seed, {builtin_data_dir()}});

  // Debian's cpp-httplib 0.11 sends without MSG_NOSIGNAL: a client that goes
  // away in the middle of an answer would otherwise end the server.
  signal(SIGPIPE, SIG_IGN);
  // Signals go to the watcher only: blocked here, before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ServeApp app(args, loader, std::move(spec), base_plan);
  HttpServerOptions options;
  options.max_body_bytes = args.max_body_bytes;
  options.default_headers = {{"Content-Security-Policy", kPolicy},
                             {"X-Content-Type-Options", "nosniff"},
                             {"X-Frame-Options", "DENY"},
                             {"Referrer-Policy", "same-origin"},
                             {"Cross-Origin-Opener-Policy", "same-origin"},
                             {"Cache-Control", "no-store"}};
  options.error_page = [](int status) {
    return message_page(status, status == 404   ? "no such page"
                                : status == 413 ? "the request is too large"
                                : status < 500  ? "the request was not understood"
                                                : "the server failed on this request");
  };
  options.on_exception = [&err](const std::string& what) {
    err << "rxflow serve: a request failed: " + one_line(what) + "\n" << std::flush;
  };
  HttpServer server(options);
  const int port = server.bind(args.host, args.port);
  RequestRules rules{allowed_hosts_for(args.host, port), args.max_body_bytes};
  server.screen([rules](const HttpRequest& request) -> std::optional<HttpResponse> {
    const std::optional<Refusal> refusal = screen_request(request, rules);
    if (!refusal) return std::nullopt;
    HttpResponse response;
    refuse(response, refusal->status, refusal->message);
    return response;
  });
  app.add_routes(server);
  watch_signals(server);

  const std::string shown_host =
      args.host.find(':') != std::string::npos ? "[" + args.host + "]" : args.host;
  out << "http://" << shown_host << ":" << port << "/" << std::endl;
  err << "rxflow serve: " << base_plan.spec.name << " from " << args.workflow.workflow_file
      << "; runs go to " << (fs::path(args.results_dir) / base_plan.spec.name).string()
      << "/, one at a time, " << args.queue << " may wait; Ctrl-C stops\n";
  if (!is_loopback(args.host)) {
    err << "rxflow serve: warning: listening on " << args.host
        << ", not only this machine: whoever reaches port " << port
        << " can run the workflow and download every run of it (there is no login)\n";
  }
  err << std::flush;
  server.run();
  err << "rxflow serve: stopping; a run still going on is stopped and kept as failed "
         "(\"cancelled\")\n"
      << std::flush;
  app.shutdown();
  return 0;
}

}  // namespace rxflow
