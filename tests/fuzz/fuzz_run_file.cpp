// libFuzzer target: arbitrary bytes, and mutations of valid run files, as
// a run file read by show and verify (RunReader, verify_run). In rxflow
// these reads run in a child process (support/isolated.h), because HDF5
// 1.10 itself can crash on a damaged file; here they run in the fuzzer's
// process, so that a crash inside HDF5 is seen (and told apart from one in
// rxflow by its stack). Bad input must end in InputError (one line).
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "audit/verify.h"
#include "one_line.h"
#include "store/run_reader.h"
#include "support/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/rxflow-fuzz-" + std::to_string(getpid()) + ".h5";
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const rxflow::RunReader reader(path);
    reader.attributes();
    reader.stages();
    rxflow::verify_run(reader);
  } catch (const rxflow::InputError& error) {
    rxflow::fuzz::require_one_line(error.what());
  }
  return 0;
}
