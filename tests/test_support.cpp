#include "test_support.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rxflow::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "rxflow-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  const std::string path = file(name);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

pid_t start_rxflow(const std::vector<std::string>& arguments) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = RXFLOW_BIN;
    argv.push_back(binary.data());
    std::vector<std::string> copies = arguments;
    for (std::string& argument : copies) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

CommandResult run_rxflow(const std::string& arguments, const std::string& environment,
                         const std::string& shell_prefix) {
  TempDir capture;
  const std::string command = shell_prefix + " cd '" RXFLOW_SOURCE_DIR "' && env " + environment +
                              " '" RXFLOW_BIN "' " + arguments + " >'" + capture.file("out") +
                              "' 2>'" + capture.file("err") + "' </dev/null";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(capture.file("out"));
  result.err = read_text(capture.file("err"));
  return result;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string run_into(const TempDir& out, const std::string& arguments) {
  const CommandResult run = run_rxflow("run " + arguments + " --quiet --out '" + out.path() + "'");
  if (run.exit_code != 0) {
    throw std::runtime_error("rxflow run " + arguments + " exited " +
                             std::to_string(run.exit_code) + ": " + run.err);
  }
  return first_line(run.out);
}

void nudge_cohort_features(const std::string& file) {
  const TempDir dir;
  const std::string script = dir.write("nudge.py", R"(import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    d = f["stages/cohort/artifacts/features"]
    d[0, 0] = d[0, 0] + 1
)");
  if (std::system(("/usr/bin/python3 '" + script + "' '" + file + "'").c_str()) != 0) {
    throw std::runtime_error("cannot change " + file + " with h5py");
  }
}

std::string copy_of(const std::string& file, const TempDir& dir, const std::string& name) {
  const std::string copy = dir.file(name);
  std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing);
  return copy;
}

void set_named_line(hid_t file, const std::string& object, const std::string& list,
                    const std::string& name, const std::optional<std::string>& value) {
  const hid_t target = H5Oopen(file, object.c_str(), H5P_DEFAULT);
  if (target < 0) throw std::runtime_error("no object " + object);
  std::vector<std::string> lines;
  if (H5Aexists(target, list.c_str()) > 0) {
    const hid_t attribute = H5Aopen(target, list.c_str(), H5P_DEFAULT);
    const hid_t type = H5Aget_type(attribute);
    const hid_t space = H5Aget_space(attribute);
    const std::size_t width = H5Tget_size(type);
    const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::string bytes(width * count, '\0');
    if (H5Aread(attribute, type, bytes.data()) < 0) throw std::runtime_error("cannot read " + list);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string field = bytes.substr(i * width, width);
      lines.push_back(field.substr(0, field.find('\0')));
    }
    H5Sclose(space);
    H5Tclose(type);
    H5Aclose(attribute);
  }
  const std::string prefix = name + " = ";
  bool found = false;
  std::vector<std::string> changed;
  for (const std::string& line : lines) {
    if (!line.starts_with(prefix)) {
      changed.push_back(line);
    } else if (value) {
      changed.push_back(prefix + *value);
      found = true;
    }
  }
  if (value && !found) changed.push_back(prefix + *value);
  H5Oclose(target);
  set_text_list_attribute(file, object, list, changed);
}

void set_text_list_attribute(hid_t file, const std::string& object, const std::string& name,
                             const std::vector<std::string>& lines) {
  const hid_t target = H5Oopen(file, object.c_str(), H5P_DEFAULT);
  if (target < 0) throw std::runtime_error("no object " + object);
  if (H5Aexists(target, name.c_str()) > 0) H5Adelete(target, name.c_str());
  std::size_t width = 1;
  for (const std::string& line : lines) width = std::max(width, line.size());
  std::string bytes(lines.size() * width, '\0');
  for (std::size_t i = 0; i < lines.size(); ++i) lines[i].copy(bytes.data() + i * width, width);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, width);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const hsize_t count[1] = {lines.size()};
  const hid_t space = H5Screate_simple(1, count, nullptr);
  const hid_t attribute = H5Acreate2(target, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (attribute < 0 || (!lines.empty() && H5Awrite(attribute, type, bytes.data()) < 0)) {
    throw std::runtime_error("cannot write " + name);
  }
  H5Aclose(attribute);
  H5Sclose(space);
  H5Tclose(type);
  H5Oclose(target);
}

StageRecord record_of(const RunReader& reader, const std::string& id) {
  for (const StoredStage& stored : reader.stages()) {
    if (stored.record.id == id) return stored.record;
  }
  throw std::runtime_error(reader.path() + ": no stage " + id);
}

std::string smoke_workflow() { return read_text(RXFLOW_SOURCE_DIR "/workflows/smoke.toml"); }

}  // namespace rxflow::testing
