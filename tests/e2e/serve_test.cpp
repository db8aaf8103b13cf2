// rxflow serve end to end: each test starts `rxflow serve` on a free port of
// 127.0.0.1 (--port 0, the printed address says which), talks to it with
// cpp-httplib's client, and stops it by its PID. What a submission makes is
// an ordinary run file; a bad value gets the CLI's message; and every rule
// of docs/serve.md ("What every request passes") is tried. Waiting for a run
// is a request that the server answers when the run ended (status?wait=ended),
// in a bounded loop; nothing sleeps.
#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "serve/http_server.h"
#include "serve/request_guard.h"
#include "store/run_reader.h"
#include "test_support.h"

namespace rxflow::testing {
namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

// One `rxflow serve` process: started by the constructor, stopped (SIGTERM,
// then waited for) by the destructor or stop().
class ServeProcess {
 public:
  explicit ServeProcess(const TempDir& dir, std::vector<std::string> extra = {}) {
    // httplib's client writes without MSG_NOSIGNAL: a body the server
    // refuses unread must give this test EPIPE, not end it.
    signal(SIGPIPE, SIG_IGN);
    results_ = dir.file("results");
    err_file_ = dir.file("serve.err");
    std::vector<std::string> args{RXFLOW_BIN,  "serve", "workflows/case_study.toml", "--port", "0",
                                  "--results", results_};
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      // A test that dies (a failed REQUIRE, a signal) takes its server along.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(out[1], STDOUT_FILENO);
      const int err = open(err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(err, STDERR_FILENO);
      close(out[0]);
      if (chdir(RXFLOW_SOURCE_DIR) != 0) _exit(127);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    // The first line is the address; it is printed once the port is bound.
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    std::smatch match;
    const std::regex address(R"(http://(127\.[0-9.]+):([0-9]+)/)");
    if (!std::regex_match(line, match, address)) {
      stop();
      FAIL("rxflow serve printed \""
           << line << "\", not a loopback address; stderr: " << read_text(err_file_));
    }
    address_ = match[1].str();
    port_ = std::stoi(match[2].str());
    // Bound and listening before the address is printed; answered once served.
    bool answered = false;
    for (int attempt = 0; attempt < 100 && !answered; ++attempt) {
      answered = static_cast<bool>(client().Get("/"));
    }
    REQUIRE(answered);
  }
  ~ServeProcess() { stop(); }

  int stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

  httplib::Client client() const {
    httplib::Client client(address_, port_);
    client.set_read_timeout(30, 0);
    return client;
  }
  std::string host() const { return address_ + ":" + std::to_string(port_); }
  int port() const { return port_; }
  const std::string& results() const { return results_; }
  std::string stderr_text() const { return read_text(err_file_); }

  // The CSRF token of the form page.
  std::string token() const {
    const auto page = client().Get("/");
    REQUIRE(page);
    std::smatch match;
    REQUIRE(std::regex_search(page->body, match,
                              std::regex("name=\"csrf_token\" value=\"([0-9a-f]+)\"")));
    return match[1].str();
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
  std::string address_;
  std::string results_;
  std::string err_file_;
};

httplib::Params patient(const std::string& token, const std::string& drug = "DrugA",
                        const std::string& age = "52") {
  return {{"csrf_token", token},  {"patient_id", "p-17"}, {"age", age},
          {"weight_kg", "82"},    {"gender", "female"},   {"genetic_marker", "0.72"},
          {"comorbidity", "0.3"}, {"drug", drug}};
}

// Submits the form and returns the job's path (/runs/<job-id>).
std::string submit(const ServeProcess& serve, const httplib::Params& form) {
  const auto answer = serve.client().Post("/runs", form);
  REQUIRE(answer);
  REQUIRE(answer->status == 303);
  const std::string location = answer->get_header_value("Location");
  REQUIRE(std::regex_match(location, std::regex("/runs/[0-9a-f]{24}")));
  return location;
}

// The job's status once it ended (the server holds each answer until then).
nlohmann::json wait_until_ended(const ServeProcess& serve, const std::string& job) {
  for (int attempt = 0; attempt < 30; ++attempt) {
    const auto answer = serve.client().Get(job + "/status?wait=ended");
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    const nlohmann::json status = nlohmann::json::parse(answer->body);
    const std::string state = status.at("state");
    if (state != "queued" && state != "running") return status;
  }
  FAIL("the job did not end");
  return {};
}

std::vector<std::string> files_in(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

}  // namespace

TEST_CASE("serve: a submitted form is an ordinary run with its page and history and downloads",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const std::string job = submit(serve, patient(serve.token()));
  const nlohmann::json status = wait_until_ended(serve, job);
  CHECK(status.at("state") == "complete");
  const std::string run_id = status.at("run_id");
  CHECK(status.at("result") == "/runs/" + run_id);

  // The job's page sends on to the run's permalink.
  const auto moved = serve.client().Get(job);
  REQUIRE(moved);
  CHECK(moved->status == 303);
  CHECK(moved->get_header_value("Location") == "/runs/" + run_id);

  // The run file, as `rxflow run` writes it; the form's row is the requests stage's.
  const std::string file = serve.results() + "/case_study/" + run_id + ".h5";
  REQUIRE(fs::exists(file));
  CHECK(run_rxflow("verify " + file).exit_code == 0);
  const RunReader reader(file);
  CHECK(reader.attribute("status") == "complete");
  CHECK(record_of(reader, "requests").rows ==
        std::vector<std::string>{"{age = 52.0, comorbidity = 0.3, drug = \"DrugA\", gender = "
                                 "\"female\", genetic_marker = 0.72, patient_id = \"p-17\", "
                                 "weight_kg = 82.0}"});
  const std::vector<std::string> overrides = reader.overrides();
  REQUIRE(overrides.size() == 1);
  CHECK_THAT(overrides[0], Contains("requests.rows=[{") && Contains("patient_id = \"p-17\""));

  const auto page = serve.client().Get("/runs/" + run_id);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Contains("<code id=\"root-hash\">" + reader.attribute("root_hash")));
  CHECK_THAT(page->body, Contains("id=\"p-calibrated\">") && Contains("id=\"p-raw\">"));
  CHECK_THAT(page->body, Contains("/runs/" + run_id + "/files/image_1.png"));
  CHECK_THAT(page->body, Contains("/runs/" + run_id + "/files/success_30_days.svg"));
  CHECK_THAT(page->body, !Contains("id=\"unknown-drug\""));

  const auto history = serve.client().Get("/history");
  REQUIRE(history);
  CHECK_THAT(history->body, Contains("href=\"/runs/" + run_id + "\""));
  CHECK_THAT(history->body, Contains("href=\"/?from=" + run_id + "\""));
  const auto again = serve.client().Get("/?from=" + run_id);
  REQUIRE(again);
  CHECK_THAT(again->body, Contains("value=\"p-17\""));

  const auto download = serve.client().Get("/runs/" + run_id + "/files/run.h5");
  REQUIRE(download);
  CHECK(download->status == 200);
  CHECK(download->body == read_text(file));
  CHECK_THAT(download->get_header_value("Content-Disposition"), Contains(run_id + ".h5"));
  const auto image = serve.client().Get("/runs/" + run_id + "/files/image_1.png");
  REQUIRE(image);
  CHECK(image->get_header_value("Content-Type") == "image/png");
  CHECK(image->body.substr(1, 3) == "PNG");

  CHECK(serve.stop() == 0);
}

TEST_CASE("serve: a bad value gets the CLI's one-line message with 400 and runs nothing",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const auto answer = serve.client().Post("/runs", patient(serve.token(), "DrugA", "150"));
  REQUIRE(answer);
  CHECK(answer->status == 400);
  const std::string message =
      "stage &quot;requests&quot;: row 1 column &quot;age&quot; must be a number in [18.0, "
      "90.0], got 150";
  CHECK_THAT(answer->body, Contains("form: " + message));
  CHECK_THAT(answer->body, Contains("value=\"150\""));  // what was sent stays in the form

  // The CLI says the same of the same row in a file.
  std::string workflow = read_text(std::string(RXFLOW_SOURCE_DIR) + "/workflows/case_study.toml");
  workflow = std::regex_replace(workflow, std::regex("age = 52"), "age = 150");
  const CommandResult cli = run_rxflow("validate " + dir.write("x.toml", workflow));
  CHECK(cli.exit_code == 2);
  CHECK_THAT(cli.err, Contains(std::regex_replace(message, std::regex("&quot;"), "\"")));

  const auto text = serve.client().Post("/runs", patient(serve.token(), "DrugA", "fifty"));
  REQUIRE(text);
  CHECK(text->status == 400);
  CHECK_THAT(text->body, Contains("must be a number in [18.0, 90.0], got &quot;fifty&quot;"));
  CHECK(files_in(serve.results() + "/case_study").empty());
}

std::string param_of(const StageRecord& record, const std::string& name) {
  for (const auto& [key, value] : record.params) {
    if (key == name) return value;
  }
  FAIL("stage " << record.id << " has no parameter " << name);
  return "";
}

TEST_CASE("serve: the workflow's tunable parameters are form fields, applied as typed overrides",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const auto form = serve.client().Get("/");
  REQUIRE(form);
  // Each [serve] tunable of the case study, with its schema's range or choices
  // and the workflow's value.
  CHECK_THAT(form->body, Contains("name=\"train.epochs\" type=\"number\" required step=\"1\" "
                                  "min=\"1\" max=\"1000\" value=\"10\""));
  CHECK_THAT(form->body, Contains("name=\"cohort.n\" type=\"number\""));
  CHECK_THAT(form->body, Contains("<select id=\"field-calibrate.ensemble\" "
                                  "name=\"calibrate.ensemble\"><option selected value=\"true\">"));

  httplib::Params fields = patient(serve.token());
  fields.emplace("train.epochs", "3");
  fields.emplace("cohort.n", "150");
  fields.emplace("calibrate.ensemble", "true");  // the workflow's value: no override
  const nlohmann::json status = wait_until_ended(serve, submit(serve, fields));
  REQUIRE(status.at("state") == "complete");
  const std::string run_id = status.at("run_id");
  const RunReader reader(serve.results() + "/case_study/" + run_id + ".h5");
  CHECK(param_of(record_of(reader, "train"), "epochs") == "3");
  CHECK(param_of(record_of(reader, "cohort"), "n") == "150");
  // The training ran the epochs the form asked for.
  CHECK(reader.read_artifact("train", "train_loss").element_count() == 3);
  const std::vector<std::string> overrides = reader.overrides();
  CHECK(std::count(overrides.begin(), overrides.end(), "train.epochs=3") == 1);
  CHECK(std::count(overrides.begin(), overrides.end(), "cohort.n=150") == 1);
  CHECK(overrides.size() == 3);  // and the request row
  const auto again = serve.client().Get("/?from=" + run_id);
  REQUIRE(again);
  CHECK_THAT(again->body, Contains("name=\"train.epochs\" type=\"number\" required step=\"1\" "
                                   "min=\"1\" max=\"1000\" value=\"3\""));

  // Out of the schema's range: 400 with the message the CLI gives for --set.
  fields = patient(serve.token());
  fields.emplace("train.epochs", "0");
  const auto refused = serve.client().Post("/runs", fields);
  REQUIRE(refused);
  CHECK(refused->status == 400);
  const CommandResult cli = run_rxflow("validate workflows/case_study.toml --set train.epochs=0");
  CHECK(cli.exit_code == 2);
  std::smatch match;
  REQUIRE(std::regex_search(cli.err, match, std::regex("train\\.epochs=0: (stage .*)")));
  CHECK_THAT(refused->body,
             Contains("train.epochs=0: " +
                      std::regex_replace(match[1].str(), std::regex("\""), "&quot;")));
  for (const std::string& name : files_in(serve.results() + "/case_study")) {
    CHECK(name.starts_with(run_id));  // the refused form ran nothing
  }
}

// Text of an HTML page's cell, as written before html_escape.
std::string unescaped(std::string text) {
  for (const auto& [entity, character] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    text = std::regex_replace(text, std::regex(entity), character);
  }
  return text;
}

TEST_CASE("serve: compare shows the parameters that differ as rxflow diff lists them",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  httplib::Params changed = patient(serve.token());
  changed.emplace("train.epochs", "3");
  changed.emplace("cohort.n", "150");
  std::vector<std::string> runs;
  for (const httplib::Params& fields : {changed, patient(serve.token())}) {
    const nlohmann::json status = wait_until_ended(serve, submit(serve, fields));
    REQUIRE(status.at("state") == "complete");
    runs.push_back(status.at("run_id"));
  }
  const auto page = serve.client().Get("/compare?a=" + runs[0] + "&b=" + runs[1]);
  REQUIRE(page);
  REQUIRE(page->status == 200);
  std::vector<std::string> shown;
  const std::string table = page->body.substr(page->body.find("id=\"parameters\""));
  const std::regex row("<tr><th>([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td></tr>");
  for (std::sregex_iterator it(table.begin(), table.end(), row), end; it != end; ++it) {
    auto side = [](const std::string& cell) { return cell == "–" ? "(none)" : unescaped(cell); };
    shown.push_back(unescaped((*it)[1]) + ": " + side((*it)[2]) + " -> " + side((*it)[3]));
  }
  const std::string folder = serve.results() + "/case_study/";
  const CommandResult diff =
      run_rxflow("diff " + folder + runs[0] + ".h5 " + folder + runs[1] + ".h5 --json");
  REQUIRE(diff.exit_code == 0);
  const auto listed =
      nlohmann::json::parse(diff.out).at("workflow").get<std::vector<std::string>>();
  CHECK(shown == listed);
  CHECK(std::count(shown.begin(), shown.end(), "train.epochs: 3 -> 10") == 1);
  CHECK(std::count(shown.begin(), shown.end(), "cohort.n: 150 -> 200") == 1);

  const auto same = serve.client().Get("/compare?a=" + runs[1] + "&b=" + runs[1]);
  REQUIRE(same);
  CHECK_THAT(same->body, Contains("id=\"parameters-same\"") && !Contains("id=\"parameters\""));
}

TEST_CASE("serve: a [serve] tunable that is not a parameter stops it with file:line, exit 2",
          "[e2e][serve]") {
  TempDir dir;
  const std::string workflow =
      std::regex_replace(read_text(std::string(RXFLOW_SOURCE_DIR) + "/workflows/case_study.toml"),
                         std::regex("\"train\\.epochs\""), "\"train.epoch\"");
  const std::string file = dir.write("x.toml", workflow);
  const CommandResult result = run_rxflow("serve " + file + " --port 0");
  CHECK(result.exit_code == 2);
  CHECK(result.out.empty());  // it never listened
  CHECK_THAT(result.err, Contains(file + ":") &&
                             Contains(": [serve] tunable \"train.epoch\": plugin "
                                      "\"ffnn_classifier\" of stage \"train\" has no parameter "
                                      "\"epoch\""));
}

TEST_CASE("serve: an unknown drug is shown as text and as a generated embedding", "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const std::string drug = "<script>alert(1)</script>";
  const nlohmann::json status =
      wait_until_ended(serve, submit(serve, patient(serve.token(), drug)));
  REQUIRE(status.at("state") == "complete");
  const std::string run_id = status.at("run_id");
  const auto page = serve.client().Get("/runs/" + run_id);
  REQUIRE(page);
  CHECK_THAT(page->body, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(page->body, !Contains(drug));
  CHECK_THAT(page->body, Contains("id=\"unknown-drug\""));
  const auto history = serve.client().Get("/history");
  REQUIRE(history);
  CHECK_THAT(history->body, Contains("generated embedding") && !Contains(drug));
  // What the run file stores is the name as sent.
  const RunReader reader(serve.results() + "/case_study/" + run_id + ".h5");
  CHECK(std::get<std::vector<std::string>>(reader.read_artifact("embed", "unknown_drugs").values) ==
        std::vector<std::string>{drug});
}

TEST_CASE("serve: POSTs pass the Host allow-list and Origin and Sec-Fetch-Site and the CSRF token",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const std::string token = serve.token();

  const auto forged = serve.client().Get("/", {{"Host", "rebound.example:80"}});
  REQUIRE(forged);
  CHECK(forged->status == 421);
  CHECK_THAT(forged->body, !Contains("rebound.example"));  // no request header echoed
  CHECK(serve.client().Get("/", {{"Host", "localhost:" + std::to_string(serve.port())}})->status ==
        200);

  const auto cross =
      serve.client().Post("/runs", {{"Origin", "http://attacker.example"}}, patient(token));
  REQUIRE(cross);
  CHECK(cross->status == 403);
  CHECK_THAT(cross->body, !Contains("attacker.example"));
  CHECK(serve.client().Post("/runs", {{"Origin", "null"}}, patient(token))->status == 403);
  for (const char* site : {"cross-site", "same-site"}) {
    const auto answer = serve.client().Post("/runs", {{"Sec-Fetch-Site", site}}, patient(token));
    REQUIRE(answer);
    CHECK(answer->status == 403);
  }
  httplib::Params without = patient(token);
  without.erase("csrf_token");
  CHECK(serve.client().Post("/runs", without)->status == 403);
  CHECK(serve.client().Post("/runs", patient(std::string(64, '0')))->status == 403);
  CHECK(files_in(serve.results() + "/case_study").empty());

  // Same origin, with the browser's headers: accepted.
  const auto same = serve.client().Post(
      "/runs", {{"Origin", "http://" + serve.host()}, {"Sec-Fetch-Site", "same-origin"}},
      patient(token));
  REQUIRE(same);
  CHECK(same->status == 303);
}

TEST_CASE("serve: no CORS and a strict Content-Security-Policy with no inline script or style",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  for (const char* path : {"/", "/history", "/static/app.js", "/no/such/page"}) {
    const auto answer = serve.client().Get(path, {{"Origin", "http://attacker.example"}});
    REQUIRE(answer);
    INFO(path);
    CHECK_FALSE(answer->has_header("Access-Control-Allow-Origin"));
    const std::string policy = answer->get_header_value("Content-Security-Policy");
    CHECK_THAT(policy, Contains("default-src 'none'") && Contains("script-src 'self'") &&
                           Contains("style-src 'self'") && !Contains("unsafe-inline"));
    CHECK(answer->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK_THAT(answer->body, !Contains("<style") && !Contains(" style=") && !Contains("<script>") &&
                                 !Contains("onclick"));
  }
  const auto preflight = serve.client().Options("/runs");
  REQUIRE(preflight);
  CHECK(preflight->status == 405);
  CHECK_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("serve: downloads only by run id and fixed names", "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const nlohmann::json status = wait_until_ended(serve, submit(serve, patient(serve.token())));
  const std::string run_id = status.at("run_id");
  dir.write("results/case_study/secret.txt", "secret");
  const std::string base = "/runs/" + run_id + "/files/";
  CHECK(serve.client().Get(base + "report.html")->status == 200);
  CHECK_THAT(serve.client().Get(base + "report.html")->get_header_value("Content-Security-Policy"),
             Contains("sandbox") && !Contains("script-src"));
  for (const std::string& path : std::vector<std::string>{
           base + "../secret.txt", base + "..%2Fsecret.txt", base + "%2e%2e%2fsecret.txt",
           base + "secret.txt", base + "report.html%00.png", "/runs/../case_study/secret.txt",
           "/runs/" + run_id + "/../secret.txt", "/runs/20260101-000000-zzzzzz/files/run.h5",
           "/runs/20260101-000000-aaaaaa/files/run.h5", base + "run.h5/../secret.txt"}) {
    const auto answer = serve.client().Get(path);
    REQUIRE(answer);
    INFO(path);
    CHECK(answer->status == 404);
    CHECK_THAT(answer->body, !Contains("secret"));
  }
}

// A socket connected to the server (receives time out after 30 s).
int connected_socket(const ServeProcess& serve) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(serve.port()));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

// The status line the server answers a request head with, sent without
// its body: a refusal before the body is read arrives while the body is
// still unsent (a client that went on writing could meet a closed socket
// first and see no answer at all).
int status_for_head(const ServeProcess& serve, const std::string& head) {
  const int fd = connected_socket(serve);
  REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  std::string answer;
  char buffer[512];
  for (ssize_t got; answer.find("\r\n") == std::string::npos &&
                    (got = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    answer.append(buffer, static_cast<std::size_t>(got));
  }
  close(fd);
  std::smatch match;
  REQUIRE(std::regex_search(answer, match, std::regex(R"(^HTTP/1\.[01] ([0-9]{3}) )")));
  return std::stoi(match[1].str());
}

TEST_CASE(
    "serve: 50 connections opened at once fit its listen backlog, and idle they leave it "
    "serving",
    "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  // The backlog of the listening socket: ss shows it as the Send-Q of a
  // LISTEN line. Debian's cpp-httplib listens with 5: connections beyond
  // those the server has not accepted yet lose their handshake, and their
  // clients retry a second later.
  const std::string command = "ss -Hltn 'sport = :" + std::to_string(serve.port()) + "'";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string listening;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) listening += buffer;
  REQUIRE(pclose(pipe) == 0);
  std::smatch match;
  REQUIRE(std::regex_search(listening, match, std::regex(R"(LISTEN\s+\d+\s+(\d+)\s)")));
  CHECK(std::stoi(match[1].str()) >= 50);

  std::vector<int> idle;
  for (int i = 0; i < 50; ++i) idle.push_back(connected_socket(serve));
  const auto page = serve.client().Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  for (const int fd : idle) close(fd);
}

TEST_CASE("serve: bodies in chunks or compressed or too large are refused unread", "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  const std::string token = serve.token();
  const std::string head = "POST /runs HTTP/1.1\r\nHost: " + serve.host() +
                           "\r\nContent-Type: application/x-www-form-urlencoded\r\n";
  CHECK(status_for_head(serve, head + "Transfer-Encoding: chunked\r\n\r\n") == 501);
  CHECK(status_for_head(serve, head + "Content-Encoding: gzip\r\nContent-Length: 40\r\n\r\n") ==
        415);
  CHECK(status_for_head(serve, head + "Content-Length: 70000\r\n\r\n") == 413);

  const auto multipart =
      serve.client().Post("/runs", httplib::MultipartFormDataItems{{"csrf_token", token, "", ""}});
  REQUIRE(multipart);
  CHECK(multipart->status == 415);
  CHECK(files_in(serve.results() + "/case_study").empty());
  // Byte ranges are refused (the library would cut any answer, an error page too).
  for (const char* range : {"bytes=0-1", "bytes=0-1,4-5"}) {
    CHECK(serve.client().Get("/static/app.js", {{"Range", range}})->status == 416);
  }
  // The server is still there.
  CHECK(serve.client().Get("/")->status == 200);
}

TEST_CASE(
    "serve: one run at a time in a bounded queue and cancel drops a waiting run and stops "
    "a running training, the run kept as failed",
    "[e2e][serve]") {
  TempDir dir;
  // A training of 1000 epochs for each of 1000 retrains and 5 folds, hours
  // long: cancelled while it runs, it can only end by the cancel.
  ServeProcess serve(dir,
                     {"--queue", "1", "--set", "train.epochs=1000", "--set", "train.repeats=1000"});
  const std::string token = serve.token();
  const std::string first = submit(serve, patient(token, "DrugA"));
  const std::string second = submit(serve, patient(token, "DrugB"));
  const auto full = serve.client().Post("/runs", patient(token, "DrugC"));
  REQUIRE(full);
  CHECK(full->status == 503);
  CHECK(full->has_header("Retry-After"));

  const auto waiting = serve.client().Get(second);
  REQUIRE(waiting);
  CHECK_THAT(waiting->body, Contains("Queued") && Contains("http-equiv=\"refresh\""));
  CHECK(serve.client().Post(second + "/cancel", httplib::Params{{"csrf_token", token}})->status ==
        303);
  CHECK(wait_until_ended(serve, second).at("state") == "cancelled");
  CHECK(serve.client().Post(first + "/cancel", httplib::Params{})->status == 403);  // no token

  // Once the training runs (the stages before it take milliseconds), cancel.
  std::string stage;
  for (int attempt = 0; attempt < 100'000 && stage != "train"; ++attempt) {
    const auto answer = serve.client().Get(first + "/status");
    REQUIRE(answer);
    const nlohmann::json status = nlohmann::json::parse(answer->body);
    REQUIRE(status.at("state") == "running");
    stage = status.at("stage");
  }
  REQUIRE(stage == "train");
  CHECK(serve.client().Post(first + "/cancel", httplib::Params{{"csrf_token", token}})->status ==
        303);
  const nlohmann::json stopped = wait_until_ended(serve, first);
  CHECK(stopped.at("state") == "cancelled");
  const std::string run_id = stopped.at("run_id");
  const std::string file = serve.results() + "/case_study/" + run_id + ".failed.h5";
  REQUIRE(fs::exists(file));
  CHECK(run_rxflow("verify " + file).exit_code == 0);  // a whole record of a failed run
  const RunReader reader(file);
  CHECK(reader.attribute("status") == "failed");
  CHECK(reader.attribute("error") == "cancelled during stage \"train\"");
  // The training stopped unfinished, and nothing after it ran.
  const StageRecord train = record_of(reader, "train");
  CHECK(train.status == "failed");
  CHECK(train.error == "cancelled during the stage");
  CHECK(train.outputs.empty());
  CHECK(reader.stages().back().record.id == "train");
  const auto page = serve.client().Get("/runs/" + run_id);
  REQUIRE(page);
  CHECK_THAT(page->body, Contains("cancelled during stage &quot;train&quot;"));
  // The cancelled waiting run left nothing.
  std::vector<std::string> run_files = files_in(serve.results() + "/case_study");
  std::erase_if(run_files, [](const std::string& name) { return !name.ends_with(".h5"); });
  CHECK(run_files == std::vector<std::string>{run_id + ".failed.h5"});
}

TEST_CASE("serve: listens on 127.0.0.1 unless --host says otherwise and then warns",
          "[e2e][serve]") {
  TempDir dir;
  ServeProcess serve(dir);
  CHECK(serve.host().starts_with("127.0.0.1:"));
  CHECK_THAT(serve.stderr_text(), !Contains("warning"));
  // Another loopback address, so that the test's traffic stays on this machine.
  TempDir other_dir;
  ServeProcess other(other_dir, {"--host", "127.0.0.2"});
  CHECK(other.host().starts_with("127.0.0.2:"));
  CHECK_THAT(other.stderr_text(), Contains("warning: listening on 127.0.0.2"));
  CHECK(other.client().Get("/")->status == 200);
  // A port in use: one line, exit 2.
  const CommandResult taken =
      run_rxflow("serve workflows/case_study.toml --port " + std::to_string(serve.port()));
  CHECK(taken.exit_code == 2);
  CHECK_THAT(taken.err, Contains("cannot listen on 127.0.0.1:" + std::to_string(serve.port())));
}

TEST_CASE("HttpServer never sends an exception's text", "[serve]") {
  HttpServerOptions options;
  std::string logged;
  std::mutex mutex;
  options.on_exception = [&](const std::string& what) {
    const std::lock_guard<std::mutex> lock(mutex);
    logged = what;
  };
  HttpServer server(options);
  server.get("/boom", [](const HttpRequest&, HttpResponse&) {
    throw std::runtime_error("secret detail /etc/passwd");
  });
  const int port = server.bind("127.0.0.1", 0);
  std::thread serving([&] { server.run(); });
  httplib::Client client("127.0.0.1", port);
  const auto answer = client.Get("/boom");
  server.stop();
  serving.join();
  REQUIRE(answer);
  CHECK(answer->status == 500);
  CHECK_THAT(answer->body, !Contains("secret"));
  for (const auto& [name, value] : answer->headers) CHECK_THAT(name + value, !Contains("secret"));
  CHECK(logged == "secret detail /etc/passwd");
}

TEST_CASE("form fields are decoded as browsers encode them", "[serve]") {
  CHECK(parse_form_fields("a=1&b=x+y%21&c=&d&=e&f=%zz%2") ==
        std::vector<std::pair<std::string, std::string>>{
            {"a", "1"}, {"b", "x y!"}, {"c", ""}, {"d", ""}, {"", "e"}, {"f", "%zz%2"}});
  CHECK(csrf_token_matches("abc", "abc"));
  CHECK_FALSE(csrf_token_matches("abc", "abd"));
  CHECK_FALSE(csrf_token_matches("abc", ""));
  CHECK(new_csrf_token().size() == 64);
  CHECK(new_csrf_token() != new_csrf_token());
}

}  // namespace rxflow::testing
