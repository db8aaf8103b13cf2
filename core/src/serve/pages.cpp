#include "serve/pages.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/text_escaping.h"

namespace rxflow {
namespace {

std::string esc(std::string_view text) { return html_escape(text); }

// refresh_seconds > 0: the page reloads itself when scripts do not run
// (with scripts, app.js follows the job and reloads when it ends).
std::string page_start(const SiteInfo& site, const std::string& title, int refresh_seconds = 0) {
  std::ostringstream out;
  out << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << esc(title) << " · rxflow serve</title>\n"
      << "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
      << "<script src=\"/static/app.js\" defer></script>\n";
  if (refresh_seconds > 0) {
    out << "<noscript><meta http-equiv=\"refresh\" content=\"" << refresh_seconds
        << "\"></noscript>\n";
  }
  out << "</head>\n<body>\n<header><a class=\"brand\" href=\"/\">rxflow serve</a>"
      << "<span class=\"workflow\">" << esc(site.workflow_name) << "</span>"
      << "<nav><a href=\"/\">New request</a><a href=\"/history\">History</a></nav></header>\n"
      << "<main>\n";
  return out.str();
}

std::string page_end(const SiteInfo& site) {
  return "</main>\n<footer>" + esc(site.workflow_file) +
         " · every submission is an ordinary run file</footer>\n</body>\n</html>\n";
}

std::string probability_text(double value) { return decimal_text(value, 3, "–"); }

std::string label_of(const std::string& column) {
  std::string label = column;
  for (char& c : label) c = c == '_' ? ' ' : c;
  if (!label.empty())
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

std::string csrf_field(const SiteInfo& site) {
  return "<input type=\"hidden\" name=\"csrf_token\" value=\"" + esc(site.csrf_token) + "\">";
}

std::string number_attribute(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// One field named name for a value of this schema entry (a row column or
// a tunable parameter).
void write_field(std::ostringstream& out, const RequestForm& form, const std::string& name,
                 const std::string& label, const ParamSpec& column, const std::string& value) {
  const std::string id = "field-" + name;
  const std::string constraint = describe_constraint(column);
  out << "<div class=\"field\"><label for=\"" << esc(id) << "\">" << esc(label) << "</label>";
  const std::vector<std::string> choices =
      column.type == ParamType::kBool ? std::vector<std::string>{"true", "false"} : column.choices;
  if ((column.type == ParamType::kString || column.type == ParamType::kBool) && !choices.empty()) {
    out << "<select id=\"" << esc(id) << "\" name=\"" << esc(name) << "\">";
    for (const std::string& choice : choices) {
      out << "<option" << (choice == value ? " selected" : "") << " value=\"" << esc(choice)
          << "\">" << esc(choice) << "</option>";
    }
    out << "</select>";
  } else if (column.type == ParamType::kFloat || column.type == ParamType::kInt) {
    out << "<input id=\"" << esc(id) << "\" name=\"" << esc(name)
        << "\" type=\"number\" required step=\"" << (column.type == ParamType::kInt ? "1" : "any")
        << "\"";
    if (column.min) out << " min=\"" << number_attribute(*column.min) << "\"";
    if (column.max) out << " max=\"" << number_attribute(*column.max) << "\"";
    out << " value=\"" << esc(value) << "\">";
  } else {
    out << "<input id=\"" << esc(id) << "\" name=\"" << esc(name)
        << "\" type=\"text\" required maxlength=\"200\" value=\"" << esc(value) << "\"";
    if (name == form.drug_column && !form.drugs.empty()) out << " list=\"drug-list\"";
    out << ">";
    if (name == form.drug_column && !form.drugs.empty()) {
      out << "<datalist id=\"drug-list\">";
      for (const std::string& drug : form.drugs) out << "<option value=\"" << esc(drug) << "\">";
      out << "</datalist>";
    }
  }
  out << "<small>" << esc(column.help);
  if (!constraint.empty()) out << " · " << esc(constraint);
  if (name == form.drug_column && !form.drugs.empty()) {
    out << " · known: " << esc(std::to_string(form.drugs.size()))
        << " drugs; any other name gets a generated embedding";
  }
  out << "</small></div>\n";
}

void write_request_table(std::ostringstream& out, const RequestForm& form, const RunSummary& run) {
  out << "<table class=\"request\">";
  for (const ParamSpec& column : form.columns) {
    out << "<tr><th>" << esc(label_of(column.name)) << "</th><td>"
        << esc(run.request_value(column.name)) << "</td></tr>";
  }
  for (const TunableField& tunable : form.tunables) {
    out << "<tr><th>" << esc(tunable.name) << "</th><td>" << esc(run.param_value(tunable.name))
        << "</td></tr>";
  }
  out << "</table>\n";
}

std::string run_link(const std::string& run_id) {
  return "<a href=\"/runs/" + esc(run_id) + "\">" + esc(run_id) + "</a>";
}

}  // namespace

const std::vector<std::string>& run_download_names() {
  static const std::vector<std::string> names{"run.h5",
                                              "report.html",
                                              "image_1.png",
                                              "success_30_days.svg",
                                              "reliability.svg",
                                              "roc.svg",
                                              "loss.svg",
                                              "confusion_raw.svg",
                                              "confusion_calibrated.svg",
                                              "retrains_1.svg",
                                              "metrics.json"};
  return names;
}

std::string form_page(const SiteInfo& site, const RequestForm& form, const FormPage& page) {
  std::ostringstream out;
  out << page_start(site, "New request");
  out << "<h1>Treatment response for one patient</h1>\n";
  if (!site.workflow_description.empty()) {
    out << "<p class=\"lead\">" << esc(site.workflow_description) << "</p>\n";
  }
  if (!page.from_run.empty()) {
    out << "<p class=\"note\">The inputs of run " << run_link(page.from_run) << ".</p>\n";
  }
  if (!page.error.empty()) {
    out << "<p class=\"error\" role=\"alert\" id=\"form-error\">" << esc(page.error) << "</p>\n";
  }
  out << "<form method=\"post\" action=\"/runs\" class=\"request-form\">\n"
      << csrf_field(site) << "\n";
  auto value_of = [&](const std::string& name) {
    const auto found = page.values.find(name);
    return found == page.values.end() ? std::string() : found->second;
  };
  for (const ParamSpec& column : form.columns) {
    write_field(out, form, column.name, label_of(column.name), column, value_of(column.name));
  }
  if (!form.tunables.empty()) {
    out << "<fieldset class=\"tunables\" id=\"tunables\"><legend>Workflow parameters</legend>\n";
    for (const TunableField& tunable : form.tunables) {
      const auto initial = form.initial.find(tunable.name);
      write_field(out, form, tunable.name,
                  tunable.name +
                      " (workflow: " + (initial == form.initial.end() ? "" : initial->second) + ")",
                  tunable.param, value_of(tunable.name));
    }
    out << "</fieldset>\n";
  }
  out << "<button type=\"submit\">Run</button>\n</form>\n";
  out << page_end(site);
  return out.str();
}

std::string pending_page(const SiteInfo& site, const JobStatus& job, const std::string& page_id) {
  std::ostringstream out;
  const bool queued = job.state == JobState::kQueued;
  out << page_start(site, queued ? "Queued" : "Running", 1);
  out << "<section class=\"pending\" data-status=\"/runs/" << esc(page_id) << "/status\">\n";
  out << "<h1 id=\"state\">" << (queued ? "Queued" : "Running") << "</h1>\n";
  out << "<p id=\"progress-text\">";
  if (queued) {
    out << esc(std::to_string(job.waiting_before)) << " waiting before it";
  } else if (job.stages > 0) {
    out << "stage " << esc(std::to_string(job.stages_done + 1)) << " of "
        << esc(std::to_string(job.stages)) << ": " << esc(job.stage);
  } else {
    out << "starting";
  }
  out << "</p>\n<progress id=\"progress\" max=\""
      << esc(std::to_string(std::max<std::size_t>(job.stages, 1))) << "\" value=\""
      << esc(std::to_string(job.stages_done)) << "\"></progress>\n";
  if (!job.run_id.empty()) out << "<p>run " << esc(job.run_id) << "</p>\n";
  out << "<form method=\"post\" action=\"/runs/" << esc(page_id) << "/cancel\">" << csrf_field(site)
      << "<button type=\"submit\" class=\"secondary\">Cancel</button></form>\n";
  out << "</section>\n" << page_end(site);
  return out.str();
}

std::string job_ended_page(const SiteInfo& site, const JobStatus& job) {
  std::ostringstream out;
  out << page_start(site, job_state_name(job.state));
  out << "<h1>" << esc(label_of(job_state_name(job.state))) << "</h1>\n";
  if (!job.error.empty()) out << "<p class=\"error\">" << esc(job.error) << "</p>\n";
  out << "<p><a href=\"/\">New request</a></p>\n" << page_end(site);
  return out.str();
}

std::string run_page(const SiteInfo& site, const RequestForm& form, const RunSummary& run,
                     const std::vector<std::string>& files) {
  std::ostringstream out;
  out << page_start(site, "Run " + run.run_id);
  const std::string base = "/runs/" + esc(run.run_id) + "/files/";
  auto has = [&](const std::string& name) {
    return std::find(files.begin(), files.end(), name) != files.end();
  };
  out << "<section class=\"result\" id=\"result\">\n";
  if (!run.read_error.empty()) {
    out << "<h1>Run " << esc(run.run_id)
        << "</h1>\n<p class=\"error\">the run file cannot be read: " << esc(run.read_error)
        << "</p>\n";
  } else if (run.status != "complete") {
    out << "<h1>Run " << esc(run.run_id) << ": " << esc(run.status) << "</h1>\n";
    out << "<p class=\"error\" id=\"run-error\">" << esc(run.error) << "</p>\n";
  } else {
    const std::string patient = run.request_value("patient_id");
    const std::string drug = run.request_value(form.drug_column);
    out << "<p class=\"subject\">" << esc(patient.empty() ? "request" : patient) << " · "
        << esc(drug) << "</p>\n";
    out << "<div class=\"probabilities\"><div><span class=\"label\">calibrated probability of "
           "response</span><span class=\"big\" id=\"p-calibrated\">"
        << esc(probability_text(run.metric("calibrated_p0"))) << "</span></div>"
        << "<div><span class=\"label\">raw (classifier)</span><span class=\"medium\" "
           "id=\"p-raw\">"
        << esc(probability_text(run.metric("p0"))) << "</span></div></div>\n";
  }
  if (!run.unknown_drugs.empty()) {
    out << "<p class=\"warning\" id=\"unknown-drug\">Not in the embedding table, so its "
           "embedding was generated (not learned from data): ";
    for (std::size_t i = 0; i < run.unknown_drugs.size(); ++i) {
      out << (i ? ", " : "") << "<q>" << esc(run.unknown_drugs[i]) << "</q>";
    }
    out << "</p>\n";
  }
  out << "<div class=\"figures\">";
  if (has("image_1.png")) {
    out << "<figure><img id=\"generated-image\" class=\"generated\" src=\"" << base
        << "image_1.png\" width=\"192\" height=\"192\" alt=\"synthetic image\"><figcaption>"
           "synthetic image (64×64)</figcaption></figure>";
  }
  if (has("success_30_days.svg")) {
    out << "<figure class=\"wide\"><img id=\"curve\" src=\"" << base
        << "success_30_days.svg\" alt=\"probability of success over 30 days\"><figcaption>30-day "
           "curve</figcaption></figure>";
  }
  out << "</div>\n";
  std::vector<std::string> plots;
  for (const std::string& name : files) {
    if (name.ends_with(".svg") && name != "success_30_days.svg") plots.push_back(name);
  }
  if (!plots.empty()) {
    out << "<details><summary>Plots of the test fold and the training</summary><div "
           "class=\"plots\">";
    for (const std::string& name : plots) {
      out << "<img src=\"" << base << esc(name) << "\" alt=\"" << esc(name) << "\">";
    }
    out << "</div></details>\n";
  }
  out << "<h2>Request</h2>\n";
  write_request_table(out, form, run);
  out << "<p><a class=\"button\" id=\"run-again\" href=\"/?from=" << esc(run.run_id)
      << "\">Run again with these inputs</a></p>\n";
  out << "<h2>Record</h2>\n<table class=\"record\">"
      << "<tr><th>run id</th><td><a href=\"/runs/" << esc(run.run_id) << "\">" << esc(run.run_id)
      << "</a></td></tr>"
      << "<tr><th>status</th><td>" << esc(run.status) << "</td></tr>"
      << "<tr><th>started</th><td>" << esc(run.started_at) << "</td></tr>"
      << "<tr><th>root seed</th><td>" << esc(run.seed) << "</td></tr>"
      << "<tr><th>root hash</th><td><code id=\"root-hash\">"
      << esc(run.root_hash.empty() ? "–" : run.root_hash) << "</code></td></tr>";
  for (const HeadlineMetric& metric : run.metrics) {
    out << "<tr><th>" << esc(metric.name) << "</th><td>" << esc(decimal_text(metric.value, 4, "–"))
        << "</td></tr>";
  }
  out << "</table>\n<h2>Downloads</h2>\n<ul class=\"downloads\">";
  for (const std::string& name : files) {
    out << "<li><a href=\"" << base << esc(name) << "\"" << (name == "run.h5" ? " download" : "")
        << ">"
        << esc(name == "run.h5" ? run.run_id + (run.status == "complete" ? ".h5" : ".failed.h5")
                                : name)
        << "</a></li>";
  }
  out << "</ul>\n</section>\n" << page_end(site);
  return out.str();
}

std::string history_page(const SiteInfo& site, const std::vector<JobStatus>& active,
                         const std::vector<RunSummary>& runs) {
  std::ostringstream out;
  out << page_start(site, "History");
  out << "<h1>History</h1>\n";
  if (!active.empty()) {
    out << "<h2>Waiting and running</h2>\n<ul class=\"active\">";
    for (const JobStatus& job : active) {
      out << "<li><a href=\"/runs/" << esc(job.job_id) << "\">" << esc(job_state_name(job.state))
          << (job.run_id.empty() ? "" : " · " + esc(job.run_id)) << "</a></li>";
    }
    out << "</ul>\n";
  }
  if (runs.empty()) {
    out << "<p>No runs of this workflow in the results folder yet.</p>\n" << page_end(site);
    return out.str();
  }
  out << "<form method=\"get\" action=\"/compare\">\n<table class=\"history\" id=\"history\">"
      << "<thead><tr><th>A</th><th>B</th><th>started (UTC)</th><th>run</th><th>patient</th>"
         "<th>drug</th><th>calibrated</th><th>raw</th><th>status</th><th></th></tr></thead>"
         "<tbody>\n";
  for (const RunSummary& run : runs) {
    const std::string drug = run.request_value("drug");
    out << "<tr><td><input type=\"radio\" name=\"a\" value=\"" << esc(run.run_id)
        << "\" aria-label=\"compare as A\"></td><td><input type=\"radio\" name=\"b\" value=\""
        << esc(run.run_id) << "\" aria-label=\"compare as B\"></td><td>" << esc(run.started_at)
        << "</td><td>" << run_link(run.run_id) << "</td><td>"
        << esc(run.request_value("patient_id")) << "</td><td>" << esc(drug);
    if (!run.unknown_drugs.empty()) {
      out << " <span class=\"tag\" title=\"not in the embedding table\">generated "
             "embedding</span>";
    }
    out << "</td><td>" << esc(probability_text(run.metric("calibrated_p0"))) << "</td><td>"
        << esc(probability_text(run.metric("p0"))) << "</td><td>"
        << esc(run.read_error.empty() ? run.status : "unreadable")
        << "</td><td><a href=\"/?from=" << esc(run.run_id) << "\">run again</a></td></tr>\n";
  }
  out << "</tbody></table>\n<button type=\"submit\" class=\"secondary\">Compare A and "
         "B</button>\n</form>\n"
      << page_end(site);
  return out.str();
}

std::string compare_page(const SiteInfo& site, const RequestForm& form, const RunSummary& a,
                         const RunSummary& b, const ValueChanges& parameters) {
  std::ostringstream out;
  out << page_start(site, "Compare");
  out << "<h1>Compare two runs</h1>\n<table class=\"compare\"><thead><tr><th></th><th>A: "
      << run_link(a.run_id) << "</th><th>B: " << run_link(b.run_id) << "</th></tr></thead><tbody>";
  auto row = [&](const std::string& name, const std::string& x, const std::string& y) {
    out << "<tr" << (x != y ? " class=\"differs\"" : "") << "><th>" << esc(name) << "</th><td>"
        << esc(x) << "</td><td>" << esc(y) << "</td></tr>";
  };
  for (const ParamSpec& column : form.columns) {
    row(label_of(column.name), a.request_value(column.name), b.request_value(column.name));
  }
  row("root seed", a.seed, b.seed);
  std::vector<std::string> names;
  for (const auto* run : {&a, &b}) add_metric_names(names, run->metrics);
  for (const std::string& name : names) {
    row(name, decimal_text(a.metric(name), 4, "–"), decimal_text(b.metric(name), 4, "–"));
  }
  row("status", a.status, b.status);
  row("root hash", a.root_hash, b.root_hash);
  out << "</tbody></table>\n<p class=\"note\">Rows that differ are marked.</p>\n";
  out << "<h2>Workflow and parameters that differ</h2>\n";
  if (parameters.empty()) {
    out << "<p id=\"parameters-same\">None: both ran the same workflow with the same "
           "parameters and rows.</p>\n";
  } else {
    out << "<table class=\"compare\" id=\"parameters\"><thead><tr><th></th><th>A</th><th>B</th>"
           "</tr></thead><tbody>";
    for (const ValueChange& change : parameters) {
      out << "<tr><th>" << esc(change.what) << "</th><td>" << esc(change.a.empty() ? "–" : change.a)
          << "</td><td>" << esc(change.b.empty() ? "–" : change.b) << "</td></tr>";
    }
    out << "</tbody></table>\n";
  }
  out << "<p class=\"note\">As <code>rxflow diff A.h5 B.h5</code> lists them; it also compares "
         "seeds, plugins, the environment and every artifact.</p>\n"
      << page_end(site);
  return out.str();
}

std::string message_page(int status, const std::string& message) {
  std::ostringstream out;
  out << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << status
      << " · rxflow serve</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
      << "</head>\n<body>\n<header><a class=\"brand\" href=\"/\">rxflow serve</a></header>\n"
      << "<main>\n<h1>" << status << "</h1>\n<p class=\"error\">" << esc(message)
      << "</p>\n<p><a href=\"/\">Back to the form</a></p>\n</main>\n</body>\n</html>\n";
  return out.str();
}

std::string job_status_json(const JobStatus& job, const std::string& result_path) {
  nlohmann::ordered_json json{{"state", job_state_name(job.state)},
                              {"waiting_before", job.waiting_before},
                              {"run_id", job.run_id},
                              {"stages", job.stages},
                              {"stages_done", job.stages_done},
                              {"stage", job.stage},
                              {"error", job.error},
                              {"result", result_path}};
  return json.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace rxflow
