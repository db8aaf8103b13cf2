// rxflow export: every artifact of a run for people without HDF5 tools.
// Tables (rank 0 to 2) become CSV (or JSON with --json), stacks of images
// (rank 3, float64 in [0, 1]) one grayscale PNG per image, anything else
// JSON; manifest.json lists every artifact with dtype, shape, hash and files.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "commands/commands.h"
#include "support/errors.h"
#include "support/png_writer.h"
#include "support/text_escaping.h"

namespace rxflow {
namespace {

namespace fs = std::filesystem;

// One value of any dtype, for CSV or JSON.
std::string cell(const Artifact& artifact, std::size_t i, bool json) {
  return std::visit(
      [&](const auto& values) -> std::string {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, double>) {
          return json ? json_number(values[i]) : round_trip_text(values[i]);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(values[i]);
        } else {
          return json ? json_string(values[i]) : csv_field(values[i]);
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
      text += cell(artifact, r * width + c, false);
    }
    text += '\n';
  }
  return text;
}

// Nested arrays following the shape.
void json_values(const Artifact& artifact, std::size_t axis, std::size_t& next, std::string& out) {
  if (axis == artifact.shape.size()) {
    out += cell(artifact, next++, true);
    return;
  }
  out += "[";
  for (std::uint64_t i = 0; i < artifact.shape[axis]; ++i) {
    if (i) out += ",";
    json_values(artifact, axis + 1, next, out);
  }
  out += "]";
}

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
  return out + "]";
}

// `"dtype": "float64", "shape": [2, 6]`, as both the files and the manifest write it.
std::string json_layout(const Artifact& artifact) {
  std::string text = "\"dtype\": " + json_string(dtype_name(artifact.dtype())) + ", \"shape\": [";
  for (std::size_t i = 0; i < artifact.shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(artifact.shape[i]);
  return text + "]";
}

std::string json_text(const std::string& stage, const std::string& name, const Artifact& artifact) {
  std::string text = "{\"artifact\": " + json_string(stage + "." + name) + ", " +
                     json_layout(artifact) + ", \"columns\": " + json_array(artifact.columns) +
                     ", \"values\": ";
  std::size_t next = 0;
  json_values(artifact, 0, next, text);
  return text + "}\n";
}

bool is_image_stack(const Artifact& artifact) {
  const auto* values = std::get_if<std::vector<double>>(&artifact.values);
  if (!values || artifact.shape.size() != 3 || values->empty()) return false;
  for (double value : *values) {
    if (!(value >= 0.0 && value <= 1.0)) return false;
  }
  return true;
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary);
  file << bytes;
  if (!file) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

int command_export(const ExportArgs& args, std::ostream& out) {
  const RunReader reader(args.run_file);
  const fs::path to(args.to_dir);
  std::error_code error;
  if (fs::exists(to, error) && !(fs::is_directory(to, error) && fs::is_empty(to, error))) {
    throw InputError(args.to_dir +
                     ": already exists and is not an empty folder (export never "
                     "overwrites; choose a new folder)");
  }
  fs::create_directories(to, error);
  if (error) throw InputError(args.to_dir + ": cannot create the folder (" + error.message() + ")");

  std::string manifest = "{\"run_file\": " + json_string(args.run_file) +
                         ",\n \"run_id\": " + json_string(reader.attribute("run_id")) +
                         ",\n \"status\": " + json_string(reader.attribute("status")) +
                         ",\n \"root_hash\": " + json_string(reader.attribute("root_hash")) +
                         ",\n \"artifacts\": [";
  std::size_t artifacts = 0, files = 0;
  for (const StoredStage& stored : reader.stages()) {
    const std::string& stage = stored.record.id;
    fs::create_directories(to / stage);
    for (const ArtifactRecord& record : stored.record.outputs) {
      const Artifact artifact = reader.read_artifact(stage, record.name);
      std::vector<std::string> written;
      if (is_image_stack(artifact)) {
        const fs::path folder = to / stage / record.name;
        fs::create_directories(folder);
        const auto& values = std::get<std::vector<double>>(artifact.values);
        const int height = static_cast<int>(artifact.shape[1]);
        const int width = static_cast<int>(artifact.shape[2]);
        const std::size_t pixels = artifact.shape[1] * artifact.shape[2];
        for (std::uint64_t i = 0; i < artifact.shape[0]; ++i) {
          const std::vector<double> image(values.begin() + i * pixels,
                                          values.begin() + (i + 1) * pixels);
          const std::string file = stage + "/" + record.name + "/" + std::to_string(i) + ".png";
          write_file(to / file, encode_grayscale_png(image, height, width));
          written.push_back(file);
        }
      } else if (artifact.shape.size() <= 2 && !args.json) {
        const std::string file = stage + "/" + record.name + ".csv";
        write_file(to / file, csv_text(artifact));
        written.push_back(file);
      } else {
        const std::string file = stage + "/" + record.name + ".json";
        write_file(to / file, json_text(stage, record.name, artifact));
        written.push_back(file);
      }
      files += written.size();
      manifest += std::string(artifacts++ ? "," : "") + "\n  {\"stage\": " + json_string(stage) +
                  ", \"name\": " + json_string(record.name) + ", " + json_layout(artifact) +
                  ", \"sha256\": " + json_string(record.sha256) +
                  ", \"files\": " + json_array(written) + "}";
    }
  }
  write_file(to / "manifest.json", manifest + "\n ]}\n");
  out << args.to_dir << ": " << artifacts << " artifacts as " << files
      << " files, listed in manifest.json\n";
  return 0;
}

}  // namespace rxflow
