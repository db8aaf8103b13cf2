// The HDF5 C library as the store uses it: a handle that closes exactly
// once (a failed close is never retried, so nothing is closed twice), the
// library's error stack turned into one line, and the guard every entry
// point of the store takes. Debian's HDF5 is built thread-safe
// (H5_HAVE_THREADSAFE); with a library that is not, the guard serialises
// every call. Only files of core/src/store include this.
#pragma once

#include <hdf5.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace rxflow::h5 {

// A problem the HDF5 library reported, with its innermost message
// ("No space left on device", "bad object header version number").
struct Hdf5Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file that is HDF5 but not what the store expects: a message naming the
// object, what was expected and what was found.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The innermost error on this thread's HDF5 error stack ("" when none),
// then clears the stack.
std::string take_error_text();

// Throws Hdf5Error "<what> (<innermost HDF5 message>)".
[[noreturn]] void fail(const std::string& what);

class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  // Throws Hdf5Error "<what> (...)" when id is negative (HDF5's failure).
  Hid(hid_t id, Closer close, const std::string& what);
  ~Hid() { close(); }
  Hid(Hid&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Hid& operator=(Hid&& other) noexcept;
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;

  hid_t get() const { return id_; }
  // Closes now; false when HDF5 reported an error (the handle is gone
  // either way).
  bool close();

 private:
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

// Taken by every public function of the store: errors are not printed by
// the library (this thread's automatic printing is off), and the store's
// calls are serialised one public function at a time. (A thread-safe HDF5,
// as Debian builds it, locks each API call itself; threads that interleave
// single calls then hand that lock back and forth, one futex wait per call,
// and two writers run slower than one. A lock held over a whole write is
// taken once.)
class Guard {
 public:
  Guard();

 private:
  std::lock_guard<std::recursive_mutex> lock_;
};

}  // namespace rxflow::h5
