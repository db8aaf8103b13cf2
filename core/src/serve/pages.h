// The HTML pages of rxflow serve, as functions of what they show. Every
// value from a workflow, a form or a run file is HTML-escaped where it is
// written; pages hold no inline script or style (the stylesheet and the
// progress script are same-origin static files, static_files.h), so the
// server's Content-Security-Policy can forbid both. Pure functions;
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/workflow_comparison.h"
#include "serve/request_form.h"
#include "serve/run_queue.h"
#include "serve/run_summary.h"

namespace rxflow {

// What every page says about the server.
struct SiteInfo {
  std::string workflow_name;
  std::string workflow_description;
  std::string workflow_file;
  std::string csrf_token;
};

// The files of a run offered for download, by fixed name: the run file as
// "run.h5", then the report's files.
const std::vector<std::string>& run_download_names();

struct FormPage {
  std::map<std::string, std::string> values;  // column -> text shown
  std::string error;                          // one line; "" for none
  std::string from_run;                       // the run whose inputs these are, if any
};

std::string form_page(const SiteInfo& site, const RequestForm& form, const FormPage& page);

// A job that has not ended (queued or running).
std::string pending_page(const SiteInfo& site, const JobStatus& job, const std::string& page_id);

// A job that ended without a run file (cancelled while it waited, or its
// file could not be written).
std::string job_ended_page(const SiteInfo& site, const JobStatus& job);

// An ended run. files: the download names that exist for it.
std::string run_page(const SiteInfo& site, const RequestForm& form, const RunSummary& run,
                     const std::vector<std::string>& files);

std::string history_page(const SiteInfo& site, const std::vector<JobStatus>& active,
                         const std::vector<RunSummary>& runs);

// parameters: what `rxflow diff` lists under "workflow and parameters".
std::string compare_page(const SiteInfo& site, const RequestForm& form, const RunSummary& a,
                         const RunSummary& b, const ValueChanges& parameters);

// A refusal or an error: the status and one line; never echoes the request.
std::string message_page(int status, const std::string& message);

// The job's progress as JSON, for the page's script.
std::string job_status_json(const JobStatus& job, const std::string& result_path);

}  // namespace rxflow
