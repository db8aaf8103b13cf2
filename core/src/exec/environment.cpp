#include "exec/environment.h"

#include <openssl/crypto.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "rxflow_build_info.h"
#include "spec/spec.h"
#include "store/run_writer.h"

namespace rxflow {
namespace {

// Model name and the vector extensions that can change floating-point paths.
std::pair<std::string, std::string> cpu_description() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model, flags;
  while (std::getline(cpuinfo, line) && (model.empty() || flags.empty())) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && model.empty()) model = value;
    if (key == "flags" && flags.empty()) flags = value;
  }
  std::istringstream words(flags);
  std::string word, vector_extensions;
  while (words >> word) {
    if (word.rfind("sse", 0) == 0 || word.rfind("avx", 0) == 0 || word == "fma" || word == "neon") {
      vector_extensions += (vector_extensions.empty() ? "" : " ") + word;
    }
  }
  return {model, vector_extensions};
}

}  // namespace

std::string engine_version() { return RXFLOW_VERSION; }

std::string git_commit() { return RXFLOW_GIT_COMMIT; }

NamedText collect_environment() {
  // The same for every run of the process; read once.
  static const NamedText environment = []() -> NamedText {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    utsname system{};
    uname(&system);
    const auto [cpu, extensions] = cpu_description();
    return {
        {"host", host},
        {"os", std::string(system.sysname) + " " + system.release + " " + system.machine},
        {"cpu", cpu},
        {"cpu_vector_extensions", extensions},
        {"cpu_count", std::to_string(std::thread::hardware_concurrency())},
        {"threads", "1"},
        {"compiler", RXFLOW_COMPILER},
        {"cxx_flags", RXFLOW_CXX_FLAGS},
        {"build_type", RXFLOW_BUILD_TYPE},
        {"eigen", "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                      std::to_string(EIGEN_MAJOR_VERSION) + "." +
                      std::to_string(EIGEN_MINOR_VERSION)},
        {"boost", "Boost " + std::string(BOOST_LIB_VERSION)},
        {"tomlplusplus", toml_library_version()},
        {"openssl", OpenSSL_version(OPENSSL_VERSION)},
        {"hdf5", hdf5_library_version()},
    };
  }();
  return environment;
}

}  // namespace rxflow
