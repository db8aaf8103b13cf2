#include <chrono>
#include <iomanip>

#include "commands/commands.h"
#include "audit/verify.h"

namespace rxflow {

int command_verify(const std::string& run_file, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const RunReader reader(run_file);
  const VerifyResult result = verify_run(reader);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << run_file << ": " << result.artifacts << " artifacts (" << std::fixed
      << std::setprecision(1) << result.value_bytes / 1e6 << " MB of values) and " << result.stages
      << " stage records rehashed in " << std::setprecision(3) << seconds << " s\n";
  if (result.problems.empty()) {
    out << "OK";
    if (!result.root_hash.empty()) out << ": root hash " << result.root_hash;
    if (reader.attribute("status") == "failed")
      out << " (a failed run: the stages it recorded match; it has no root hash)";
    out << "\n";
    return 0;
  }
  out << "FAILED: " << result.problems.size() << " mismatch"
      << (result.problems.size() == 1 ? "" : "es") << "\n";
  for (const std::string& problem : result.problems) out << "  " << problem << "\n";
  return 1;
}

}  // namespace rxflow
