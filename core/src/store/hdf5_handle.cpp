#include "store/hdf5_handle.h"

namespace rxflow::h5 {
namespace {

// Walked upward, depth 0 is the innermost error. A system call's failure
// carries the system's message ("errno = 28, error message = 'No space
// left on device', buf = ..."): that part is what a user can act on.
herr_t innermost(unsigned depth, const H5E_error2_t* error, void* data) {
  if (depth != 0 || error->desc == nullptr) return 0;
  std::string text = error->desc;
  const std::string marker = "error message = '";
  if (const auto start = text.find(marker); start != std::string::npos) {
    const auto end = text.find('\'', start + marker.size());
    text = text.substr(start + marker.size(), end - start - marker.size());
  }
  *static_cast<std::string*>(data) = text;
  return 0;
}

std::recursive_mutex& library_mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

}  // namespace

std::string take_error_text() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &text);
  H5Eclear2(H5E_DEFAULT);
  return text;
}

void fail(const std::string& what) {
  const std::string detail = take_error_text();
  throw Hdf5Error(detail.empty() ? what : what + " (" + detail + ")");
}

Hid::Hid(hid_t id, Closer close, const std::string& what) : id_(id), close_(close) {
  if (id_ < 0) fail(what);
}

Hid& Hid::operator=(Hid&& other) noexcept {
  if (this != &other) {
    close();
    id_ = other.id_;
    close_ = other.close_;
    other.id_ = -1;
  }
  return *this;
}

bool Hid::close() {
  if (id_ < 0) return true;
  const hid_t id = id_;
  id_ = -1;
  return close_(id) >= 0;
}

Guard::Guard() : lock_(library_mutex()) {
  // HDF5 1.10 closes every file still open when the process exits; a file
  // whose close failed (a full disk) is then closed a second time and the
  // library crashes. rxflow closes each file itself, so the library's exit
  // handler is not needed. (Effective only before the library starts,
  // which the first Guard of the process precedes.)
  static const bool no_exit_handler = (H5dont_atexit(), true);
  (void)no_exit_handler;
  thread_local bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
}

}  // namespace rxflow::h5
