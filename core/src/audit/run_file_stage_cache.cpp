#include "audit/run_file_stage_cache.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <vector>

#include "audit/verify.h"
#include "store/provenance.h"
#include "store/run_file.h"
#include "store/run_reader.h"
#include "support/errors.h"
#include "support/isolated.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

constexpr double kSecondsPerFile = 300;

// The ended run files under folder, hidden folders left out.
std::vector<std::string> run_files_under(const std::string& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw InputError(folder + ": expected a folder of run files to reuse stages from, found " +
                     (fs::exists(folder, error) ? "something else" : "nothing"));
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(
           folder, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name.front() == '.') {
      if (it->is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error) && is_ended_run_file_name(name)) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// In the child: "run_id\n" then "key\tstage\n" per lendable stage, or ""
// for a file that does not verify.
std::string lendable_stages(const std::string& file) {
  try {
    const RunReader reader(file);
    if (!verify_run(reader).ok()) return "";
    std::ostringstream out;
    out << reader.attribute("run_id") << "\n";
    const std::string engine = reader.attribute("engine_version");
    const std::string commit = reader.attribute("git_commit");
    for (const StoredStage& stored : reader.stages()) {
      const StageRecord& record = stored.record;
      if (record.renders || record.status != "complete") continue;
      out << stage_reuse_key(record, engine, commit) << "\t" << record.id << "\n";
    }
    return out.str();
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

RunFileStageCache::RunFileStageCache(const std::string& folder) {
  const std::vector<std::string> files = run_files_under(folder);
  const std::vector<IsolatedOutcome> outcomes = map_isolated(
      files.size(), [&](std::size_t i) { return lendable_stages(files[i]); }, kSecondsPerFile);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const IsolatedOutcome& outcome = outcomes[i];
    if (outcome.kind != IsolatedOutcome::Kind::kDone || outcome.output.empty()) {
      ++skipped_;
      continue;
    }
    ++files_;
    std::istringstream lines(outcome.output);
    std::string run_id, line;
    std::getline(lines, run_id);
    while (std::getline(lines, line)) {
      const std::size_t tab = line.find('\t');
      sources_.emplace(line.substr(0, tab), Source{files[i], run_id, line.substr(tab + 1)});
    }
  }
}

std::optional<CachedStage> RunFileStageCache::find(const std::string& key) {
  const auto found = sources_.find(key);
  if (found == sources_.end()) return std::nullopt;
  const Source& source = found->second;
  try {
    const RunReader reader(source.file);
    const StoredStage stored = reader.read_stage(source.stage);
    CachedStage stage{{}, stored.record.log, source.run_id, source.stage};
    for (const ArtifactRecord& output : stored.record.outputs) {
      Artifact artifact = reader.read_artifact(source.stage, output.name);
      // Changed since it was verified: computed again instead.
      if (artifact_sha256(artifact) != output.sha256) return std::nullopt;
      stage.outputs.emplace_back(output.name, std::move(artifact));
    }
    return stage;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace rxflow
