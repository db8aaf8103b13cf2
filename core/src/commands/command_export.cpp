// rxflow export: every artifact of a run for people without HDF5 tools.
// Tables (rank 0 to 2) become CSV (or JSON with --json), stacks of images
// (rank 3, float64 in [0, 1]) one grayscale PNG per image, anything else
// JSON; manifest.json lists every artifact with dtype, shape, hash and files.
// File names come from stage and artifact names, which the reader accepts
// only as identifiers; each path is checked to stay inside --to as well.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "commands/commands.h"
#include "store/run_reader.h"
#include "support/errors.h"
#include "support/png_writer.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// One value of any dtype, for CSV.
std::string csv_cell(const Artifact& artifact, std::size_t i) {
  return std::visit(
      [&](const auto& values) -> std::string {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, double>) {
          return round_trip_text(values[i]);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(values[i]);
        } else {
          return csv_field(values[i]);
        }
      },
      artifact.values);
}

std::string csv_text(const Artifact& artifact) {
  const std::size_t width = artifact.shape.size() == 2 ? artifact.shape[1] : 1;
  const std::size_t rows = width == 0 ? 0 : artifact.element_count() / width;
  std::string text;
  for (std::size_t c = 0; c < width; ++c) {
    if (c) text += ',';
    if (c < artifact.columns.size()) {
      text += csv_field(artifact.columns[c]);
    } else if (width == 1) {
      text += "value";
    } else {
      text += 'c';
      text += std::to_string(c);
    }
  }
  text += '\n';
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < width; ++c) {
      if (c) text += ',';
      text += csv_cell(artifact, r * width + c);
    }
    text += '\n';
  }
  return text;
}

// Nested arrays following the shape (NaN and infinities as null).
nlohmann::ordered_json json_values(const Artifact& artifact, std::size_t axis, std::size_t& next) {
  if (axis == artifact.shape.size()) {
    const std::size_t i = next++;
    return std::visit([&](const auto& values) { return nlohmann::ordered_json(values[i]); },
                      artifact.values);
  }
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (std::uint64_t i = 0; i < artifact.shape[axis]; ++i) {
    items.push_back(json_values(artifact, axis + 1, next));
  }
  return items;
}

std::string json_text(const std::string& stage, const std::string& name, const Artifact& artifact) {
  std::size_t next = 0;
  const nlohmann::ordered_json json{{"artifact", stage + "." + name},
                                    {"dtype", dtype_name(artifact.dtype())},
                                    {"shape", artifact.shape},
                                    {"columns", artifact.columns},
                                    {"values", json_values(artifact, 0, next)}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool is_image_stack(const Artifact& artifact) {
  const auto* values = std::get_if<std::vector<double>>(&artifact.values);
  if (!values || artifact.shape.size() != 3 || values->empty()) return false;
  for (double value : *values) {
    if (!(value >= 0.0 && value <= 1.0)) return false;
  }
  return true;
}

// REQUIRES: relative holds no ".." (names are identifiers); checked again here.
fs::path inside(const fs::path& to, const std::string& relative) {
  const fs::path path = (to / relative).lexically_normal();
  const std::string base = to.lexically_normal().string();
  if (path.string().compare(0, base.size(), base) != 0 ||
      relative.find("..") != std::string::npos) {
    throw InputError(relative + ": a path outside the export folder");
  }
  return path;
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary);
  file << bytes;
  if (!file) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

namespace {

// Writes everything into `to`; returns the number of artifacts and files.
std::pair<std::size_t, std::size_t> export_into(const RunReader& reader, const ExportArgs& args,
                                                const fs::path& to);

}  // namespace

int command_export(const ExportArgs& args, std::ostream& out) {
  const RunReader reader(args.run_file);
  fs::path target = fs::path(args.to_dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  std::error_code error;
  if (fs::exists(target, error) &&
      !(fs::is_directory(target, error) && fs::is_empty(target, error))) {
    throw InputError(args.to_dir +
                     ": already exists and is not an empty folder (export never "
                     "overwrites; choose a new folder)");
  }
  // Written beside the target and renamed into place when complete, so a
  // file that fails halfway leaves no half export.
  const fs::path staging = target.parent_path() / ("." + target.filename().string() + ".partial");
  fs::remove_all(staging, error);
  fs::create_directories(staging, error);
  if (error) throw InputError(args.to_dir + ": cannot create the folder (" + error.message() + ")");
  std::pair<std::size_t, std::size_t> counts;
  try {
    counts = export_into(reader, args, staging);
  } catch (...) {
    fs::remove_all(staging, error);
    throw;
  }
  fs::remove(target, error);  // an empty folder given as --to
  fs::rename(staging, target, error);
  if (error) {
    throw InputError(args.to_dir + ": cannot move the export into place (" + error.message() + ")");
  }
  out << args.to_dir << ": " << counts.first << " artifacts as " << counts.second
      << " files, listed in manifest.json\n";
  return 0;
}

namespace {

std::pair<std::size_t, std::size_t> export_into(const RunReader& reader, const ExportArgs& args,
                                                const fs::path& to) {
  nlohmann::ordered_json artifacts = nlohmann::ordered_json::array();
  std::size_t files = 0;
  for (const StoredStage& stored : reader.stages()) {
    const std::string& stage = stored.record.id;
    fs::create_directories(inside(to, stage));
    for (const ArtifactRecord& record : stored.record.outputs) {
      const Artifact artifact = reader.read_artifact(stage, record.name);
      std::vector<std::string> written;
      if (is_image_stack(artifact)) {
        fs::create_directories(inside(to, stage + "/" + record.name));
        const auto& values = std::get<std::vector<double>>(artifact.values);
        const int height = static_cast<int>(artifact.shape[1]);
        const int width = static_cast<int>(artifact.shape[2]);
        const std::size_t pixels = artifact.shape[1] * artifact.shape[2];
        for (std::uint64_t i = 0; i < artifact.shape[0]; ++i) {
          const std::vector<double> image(values.begin() + i * pixels,
                                          values.begin() + (i + 1) * pixels);
          const std::string file = stage + "/" + record.name + "/" + std::to_string(i) + ".png";
          write_file(inside(to, file), encode_grayscale_png(image, height, width));
          written.push_back(file);
        }
      } else if (artifact.shape.size() <= 2 && !args.json) {
        const std::string file = stage + "/" + record.name + ".csv";
        write_file(inside(to, file), csv_text(artifact));
        written.push_back(file);
      } else {
        const std::string file = stage + "/" + record.name + ".json";
        write_file(inside(to, file), json_text(stage, record.name, artifact));
        written.push_back(file);
      }
      files += written.size();
      artifacts.push_back({{"stage", stage},
                           {"name", record.name},
                           {"dtype", dtype_name(artifact.dtype())},
                           {"shape", artifact.shape},
                           {"sha256", record.sha256},
                           {"files", written}});
    }
  }
  const nlohmann::ordered_json manifest{{"run_file", args.run_file},
                                        {"run_id", reader.attribute("run_id")},
                                        {"status", reader.attribute("status")},
                                        {"root_hash", reader.attribute("root_hash")},
                                        {"artifacts", artifacts}};
  write_file(to / "manifest.json",
             manifest.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return {artifacts.size(), files};
}

}  // namespace

}  // namespace rxflow
