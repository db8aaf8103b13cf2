#include "support/isolated.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace rxflow {
namespace {

bool write_all(int fd, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

std::string signal_text(int status) {
  if (WIFSIGNALED(status)) {
    const int number = WTERMSIG(status);
    return "signal " + std::to_string(number) + " (" + strsignal(number) + ")";
  }
  return "exit code " + std::to_string(WEXITSTATUS(status));
}

// Reads into buffer until it holds `size` bytes, or the deadline passes
// (false, timed_out set), or the pipe ends (false).
bool read_exact(int fd, char* buffer, std::size_t size,
                std::chrono::steady_clock::time_point deadline, bool* timed_out) {
  std::size_t got = 0;
  while (got < size) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      *timed_out = true;
      return false;
    }
    pollfd poll_fd{fd, POLLIN, 0};
    const int ready = ::poll(&poll_fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    const ssize_t n = ::read(fd, buffer + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::vector<IsolatedOutcome> map_isolated(std::size_t count,
                                          const std::function<std::string(std::size_t)>& task,
                                          double timeout_seconds) {
  std::vector<IsolatedOutcome> outcomes(count);
  std::size_t next = 0;
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
  while (next < count) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("cannot create a pipe for a child process");
    std::cout.flush();
    std::cerr.flush();
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("cannot start a child process");
    if (child == 0) {
      ::close(fds[0]);
      for (std::size_t i = next; i < count; ++i) {
        const std::string output = task(i);
        const std::uint64_t size = output.size();
        if (!write_all(fds[1], &size, sizeof size) || !write_all(fds[1], output.data(), size)) {
          ::_exit(3);
        }
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    bool timed_out = false;
    while (next < count) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      std::uint64_t size = 0;
      if (!read_exact(fds[0], reinterpret_cast<char*>(&size), sizeof size, deadline, &timed_out)) {
        break;
      }
      std::string output(size, '\0');
      if (!read_exact(fds[0], output.data(), size, deadline, &timed_out)) break;
      outcomes[next++].output = std::move(output);
    }
    if (timed_out) ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    ::close(fds[0]);
    if (next < count) {
      IsolatedOutcome& lost = outcomes[next++];
      lost.kind = timed_out ? IsolatedOutcome::Kind::kTimedOut : IsolatedOutcome::Kind::kCrashed;
      lost.reason =
          timed_out ? "no answer within " + std::to_string(static_cast<int>(timeout_seconds)) + " s"
                    : signal_text(status);
    }
  }
  return outcomes;
}

int run_isolated(const std::function<int()>& command, const std::string& subject) {
  std::cout.flush();
  std::cerr.flush();
  const pid_t child = ::fork();
  if (child < 0) return command();  // no child to be had: run here
  if (child == 0) {
    const int code = command();
    std::cout.flush();
    std::cerr.flush();
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WTERMSIG(status) == SIGPIPE) {
    // The child wrote to a pipe nobody reads any more (`rxflow show f |
    // head`): not a damaged file. End as a program writing there ends.
    ::signal(SIGPIPE, SIG_DFL);
    ::raise(SIGPIPE);
    return 128 + SIGPIPE;  // SIGPIPE blocked: the shell's code for it
  }
  std::cerr << "rxflow: " << subject << ": reading it crashed the HDF5 library ("
            << signal_text(status) << "); the file is damaged\n";
  return 2;
}

}  // namespace rxflow
