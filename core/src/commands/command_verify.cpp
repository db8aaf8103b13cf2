// rxflow verify: the file proves itself complete and unchanged, or says
// each thing that does not match.
#include <chrono>
#include <iomanip>

#include "audit/verify.h"
#include "commands/commands.h"

namespace rxflow {
namespace {

struct VerifyReport {
  std::string run_file;
  std::string status;
  std::uint64_t format_version = 0;
  VerifyResult result;
  double seconds = 0;
};

nlohmann::ordered_json to_json(const VerifyReport& report) {
  return {{"run_file", report.run_file},
          {"ok", report.result.ok()},
          {"status", report.status},
          {"format_version", report.format_version},
          {"root_hash", report.result.root_hash},
          {"artifacts", report.result.artifacts},
          {"stages", report.result.stages},
          {"value_bytes", report.result.value_bytes},
          {"seconds", report.seconds},
          {"problems", report.result.problems},
          {"notes", report.result.notes}};
}

void print_text(const VerifyReport& report, std::ostream& out) {
  const VerifyResult& result = report.result;
  out << report.run_file << ": " << result.artifacts << " artifacts (" << std::fixed
      << std::setprecision(1) << result.value_bytes / 1e6 << " MB of values) and " << result.stages
      << " stage records rehashed in " << std::setprecision(3) << report.seconds << " s\n";
  for (const std::string& note : result.notes) out << "note: " << note << "\n";
  if (result.ok()) {
    out << "OK";
    if (!result.root_hash.empty()) out << ": root hash " << result.root_hash;
    if (report.status == "failed")
      out << " (a failed run: the stages it recorded match; it has no root hash)";
    out << "\n";
    return;
  }
  out << "FAILED: " << result.problems.size() << " mismatch"
      << (result.problems.size() == 1 ? "" : "es") << "\n";
  for (const std::string& problem : result.problems) out << "  " << problem << "\n";
}

}  // namespace

int command_verify(const std::string& run_file, OutputFormat format, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const RunReader reader(run_file);
  VerifyReport report{run_file, reader.attribute("status"), reader.format_version(),
                      verify_run(reader), 0};
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_result(report, format, out);
  return report.result.ok() ? 0 : 1;
}

}  // namespace rxflow
