// The case study as the README's first command runs it, and the report a
// person reads: files, numbers that match the run file, text from the
// workflow that stays text, and a page whose images load in Chromium; the
// sweep report likewise.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "store/run_reader.h"
#include "support/text_escaping.h"
#include "test_support.h"

namespace rxflow {
namespace {

using testing::run_rxflow;

std::string run_file_of(const testing::CommandResult& result) {
  return result.out.substr(0, result.out.find('\n'));
}

double scalar_at(const RunReader& reader, const char* stage, const char* name) {
  return std::get<std::vector<double>>(reader.read_artifact(stage, name).values).at(0);
}

// Fields of one CSV record (RFC 4180), for checking what a spreadsheet would see.
std::vector<std::string> parse_csv_record(const std::string& text, std::size_t& at) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (; at < text.size(); ++at) {
    const char c = text[at];
    if (quoted) {
      if (c == '"' && at + 1 < text.size() && text[at + 1] == '"') {
        fields.back() += '"';
        ++at;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      ++at;
      break;
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// Opens check.html (beside report.html) in headless Chromium and returns what it reports.
std::string chromium_check(const std::string& folder) {
  std::filesystem::copy_file(RXFLOW_SOURCE_DIR "/tests/e2e/report_check.html",
                             folder + "/check.html");
  testing::TempDir profile;
  const std::string dump = profile.file("dom.html");
  const std::string command =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--user-data-dir=" +
      shell_quote(profile.file("profile")) +
      " --allow-file-access-from-files --virtual-time-budget=10000 --dump-dom " +
      shell_quote("file://" + folder + "/check.html") + " > " + shell_quote(dump) + " 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  std::smatch match;
  const std::string dom = testing::read_text(dump);
  REQUIRE(std::regex_search(dom, match, std::regex("<pre id=\"result\">([^<]*)</pre>")));
  return match[1];
}

TEST_CASE("the case study runs as one command and its report shows the run's numbers",
          "[e2e][report]") {
  testing::TempDir out;
  const auto result = run_rxflow("run workflows/case_study.toml --out " + out.path());
  REQUIRE(result.exit_code == 0);
  const std::string run_file = run_file_of(result);
  const RunReader reader(run_file);
  const double p0 = scalar_at(reader, "train", "p0");
  const double calibrated = scalar_at(reader, "calibrate", "calibrated_p0");
  const std::string folder = run_file.substr(0, run_file.size() - 3);
  for (const char* file :
       {"report.html", "metrics.json", "image_1.png", "roc.svg", "reliability.svg", "loss.svg",
        "confusion_raw.svg", "confusion_calibrated.svg", "success_30_days.svg"}) {
    INFO(file);
    CHECK(std::filesystem::file_size(folder + "/" + file) > 100);
  }
  char expected[64];
  std::snprintf(expected, sizeof expected, "calibrated probability %.3f (raw %.3f)", calibrated,
                p0);
  CHECK_THAT(result.err, Catch::Matchers::Contains(expected) &&
                             Catch::Matchers::Contains("report: " + folder + "/report.html"));

  const std::string html = testing::read_text(folder + "/report.html");
  CHECK_THAT(html, Catch::Matchers::Contains(reader.attribute("root_hash")));
  char percent[16];
  std::snprintf(percent, sizeof percent, "%.0f%%", 100 * calibrated);
  CHECK_THAT(html,
             Catch::Matchers::Contains(std::string("id=\"calibrated-probability-1\">") + percent));
  CHECK_THAT(testing::read_text(folder + "/metrics.json"),
             Catch::Matchers::Contains("\"calibrator\": \"isotonic_calibrator\""));
  // The guard: the page says so when calibration worsened the test Brier
  // score (metrics row 0 raw, row 1 calibrated; column 5 the Brier score).
  const auto metrics =
      std::get<std::vector<double>>(reader.read_artifact("evaluate", "metrics").values);
  const bool worse = metrics.at(11) > metrics.at(5);
  CHECK(worse == (html.find("id=\"brier-warning\"") != std::string::npos));
  CHECK(worse ==
        (html.find("Calibration made the test fold's Brier score worse") != std::string::npos));
  // The spread over the classifier's 20 repeats: the lowest and highest
  // calibrated repeat bound the 95% interval the page shows.
  const auto repeats = std::get<std::vector<double>>(
      reader.read_artifact("calibrate", "calibrated_repeat_p0").values);
  REQUIRE(repeats.size() == 20);
  CHECK_THAT(html,
             Catch::Matchers::Contains("Over 20 retrains from derived seeds: calibrated mean"));
  const auto [low, high] = std::minmax_element(repeats.begin(), repeats.end());
  std::snprintf(percent, sizeof percent, "%.0f%%", 100 * *low);
  const std::string lowest = percent;
  std::snprintf(percent, sizeof percent, "%.0f%%", 100 * *high);
  const std::string highest = percent;
  const std::size_t spread = html.find("id=\"spread-1\"");
  REQUIRE(spread != std::string::npos);
  const std::string interval = html.substr(html.find("95% of retrains in ", spread) + 19, 24);
  INFO(interval << " from repeats in [" << lowest << ", " << highest << "]");
  CHECK(std::stod(interval) >= std::stod(lowest));
  CHECK(std::stod(interval.substr(interval.find("&ndash;") + 7)) <= std::stod(highest));
  std::snprintf(percent, sizeof percent, "%.0f%%", 100 * calibrated);

  // The root hash the report shows is the run's, and the report is outside it.
  const auto stages = reader.stages();
  CHECK(stages.back().record.plugin_kind == "reporter");
  CHECK(stages.back().record.renders);
  // The reporter writes into its run's folder and nowhere else.
  std::vector<std::string> entries;
  for (const auto& entry : std::filesystem::directory_iterator(out.path() + "/case_study")) {
    entries.push_back(entry.path().string());
  }
  std::sort(entries.begin(), entries.end());
  CHECK(entries == std::vector<std::string>{folder, run_file});

  const std::string check = chromium_check(folder);
  CHECK_THAT(check, Catch::Matchers::StartsWith(
                        "IMAGES 8 BROKEN [] SCRIPTS 0 ROWS 0 FAILED 0 PROBABILITY ") &&
                        Catch::Matchers::EndsWith(percent));
}

TEST_CASE("text from the workflow comes out as text in HTML, gnuplot and CSV", "[e2e][report]") {
  testing::TempDir dir;
  const std::string marker = dir.file("gnuplot-ran-a-command");
  const std::string hostile_id =
      "p\\\"1', <script>alert(1)</script>\\n=SUM(A1) `touch " + marker + "` @x";
  const std::string hostile_drug =
      "Drug\\\"Q' system(\\\"touch " + marker + "\\\") <img src=x onerror=alert(2)>";
  std::string text = testing::read_text(RXFLOW_SOURCE_DIR "/workflows/case_study.toml");
  text = std::regex_replace(text, std::regex("patient_id = \"case-study-patient\""),
                            "patient_id = \"" + hostile_id + "\"");
  text =
      std::regex_replace(text, std::regex("drug = \"DrugA\""), "drug = \"" + hostile_drug + "\"");
  text = std::regex_replace(text, std::regex("description = \"[^\"]*\""),
                            "description = \"</title><script>alert(3)</script>\\nline two\"");
  const std::string workflow = dir.write("hostile.toml", text);
  // An apostrophe in the results folder reaches gnuplot's shell as text.
  const std::string results = dir.file("o'brien's results");
  const auto result =
      run_rxflow("run " + shell_quote(workflow) + " --quiet --out " + shell_quote(results));
  REQUIRE(result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(marker));
  const std::string run_file = run_file_of(result);
  const std::string folder = run_file.substr(0, run_file.size() - 3);
  const std::string html = testing::read_text(folder + "/report.html");
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK_THAT(html, Catch::Matchers::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(html, Catch::Matchers::Contains("&lt;/title&gt;&lt;script&gt;alert(3)"));

  const std::string exported = dir.file("exported");
  REQUIRE(run_rxflow("export " + shell_quote(run_file) + " --to " + exported).exit_code == 0);
  for (const auto& [file, expected] :
       {std::pair{"/requests/request_ids.csv",
                  "p\"1', <script>alert(1)</script>\n=SUM(A1) `touch " + marker + "` @x"},
        {"/requests/request_drugs.csv",
         "Drug\"Q' system(\"touch " + marker + "\") <img src=x onerror=alert(2)>"}}) {
    INFO(file);
    const std::string csv = testing::read_text(exported + file);
    std::size_t at = 0;
    CHECK(parse_csv_record(csv, at) == std::vector<std::string>{"value"});
    CHECK(parse_csv_record(csv, at) == std::vector<std::string>{expected});
    CHECK(at == csv.size());
  }

  const std::string check = chromium_check(folder);
  CHECK_THAT(check, Catch::Matchers::StartsWith("IMAGES 8 BROKEN [] SCRIPTS 0 "));
}

// A sweep of the smoke workflow with a tally stage whose metric is its
// `value` parameter, so every mean the report shows is known exactly.
std::string tally_sweep(const testing::TempDir& dir, const std::string& sweep) {
  return dir.write("tallies.toml",
                   testing::smoke_workflow() +
                       "\n[[stage]]\nid = \"count\"\nplugin = \"tally\"\n[stage.params]\nvalue = "
                       "1\n\n" +
                       sweep);
}

testing::CommandResult run_sweep(const std::string& workflow, const testing::TempDir& out,
                                 const std::string& options = "") {
  return run_rxflow("sweep " + shell_quote(workflow) +
                    " --plugin-path '" RXFLOW_TEST_PLUGIN_DIR "' --out " + shell_quote(out.path()) +
                    " " + options);
}

TEST_CASE("a sweep writes its report: each metric by each swept parameter, every point linked",
          "[e2e][report][sweep]") {
  testing::TempDir dir, out;
  const std::string workflow = tally_sweep(
      dir,
      "[sweep]\nrepeats = 2\n[sweep.grid]\n\"count.value\" = [5, 7]\n\"cohort.alpha\" = "
      "[0.2, 0.6]\n");
  const auto swept = run_sweep(workflow, out);
  REQUIRE(swept.exit_code == 0);
  const std::string folder = out.file("smoke/sweep/report");
  CHECK_THAT(swept.err, Catch::Matchers::Contains("report: " + folder + "/report.html"));
  const std::string html = testing::read_text(folder + "/report.html");
  // One plot per metric and axis (the axes in name order): tally by
  // cohort.alpha, tally by count.value.
  CHECK(std::filesystem::file_size(folder + "/metric0_axis0.svg") > 1000);
  CHECK(std::filesystem::file_size(folder + "/metric0_axis1.svg") > 1000);
  CHECK_FALSE(std::filesystem::exists(folder + "/metric0_axis2.svg"));
  // Each combination's mean over its repeats is its count.value, with no spread.
  CHECK_THAT(html, Catch::Matchers::Contains(
                       "<td class=\"text\">0.2</td><td class=\"text\">5</td><td>2</td><td>0</"
                       "td><td>5.0000 <small>[5.0000, 5.0000]</small></td>"));
  CHECK_THAT(html, Catch::Matchers::Contains(
                       "<td class=\"text\">0.6</td><td class=\"text\">7</td><td>2</td><td>0</"
                       "td><td>7.0000 <small>[7.0000, 7.0000]</small></td>"));
  for (const auto& entry : std::filesystem::directory_iterator(out.file("smoke/sweep"))) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".h5") && name != "sweep.h5") {
      CHECK_THAT(html, Catch::Matchers::Contains("<a href=\"../" + name + "\">"));
    }
  }
  CHECK(chromium_check(folder) ==
        "IMAGES 2 BROKEN [] SCRIPTS 0 ROWS 8 FAILED 0 PROBABILITY missing");
}

TEST_CASE("rxflow report redraws a sweep's report, failed points and text axes are shown",
          "[e2e][report][sweep]") {
  testing::TempDir dir, out, to;
  // A text axis (its values as labels), one of whose values fails its points.
  const std::string workflow = tally_sweep(
      dir,
      "[sweep]\nrepeats = 2\n[sweep.grid]\n\"count.throw_in\" = [\"nowhere\", \"run\"]\n"
      "\"count.value\" = [3, 4]\n");
  const auto swept = run_sweep(workflow, out, "--no-report");
  CHECK(swept.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(out.file("smoke/sweep/report")));
  const auto report = run_rxflow("report " + shell_quote(out.file("smoke/sweep/sweep.h5")) +
                                 " --to " + shell_quote(to.path()));
  REQUIRE(report.exit_code == 0);
  CHECK(report.out == to.path() + "/report.html\n");
  const std::string html = testing::read_text(to.path() + "/report.html");
  CHECK_THAT(html, Catch::Matchers::Contains("8 points (4 combinations): 4 complete, 4 failed."));
  CHECK_THAT(testing::read_text(to.path() + "/metric0_axis0.svg"),
             Catch::Matchers::Contains("<text>\"nowhere\"</text>") &&
                 Catch::Matchers::Contains("<text>\"run\"</text>"));
  CHECK(chromium_check(to.path()) ==
        "IMAGES 2 BROKEN [] SCRIPTS 0 ROWS 8 FAILED 4 PROBABILITY missing");

  const auto missing = run_rxflow("report " + shell_quote(dir.file("none.h5")));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Matchers::StartsWith("rxflow: " + dir.file("none.h5")));
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
}

}  // namespace
}  // namespace rxflow
