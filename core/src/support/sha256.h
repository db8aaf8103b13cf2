// Sha256: incremental SHA-256 (OpenSSL's EVP) for seeds, artifact content,
// stage records and files. One object per digest; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rxflow {

class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(const void* data, std::size_t size);
  Sha256& update(std::string_view bytes) { return update(bytes.data(), bytes.size()); }
  Sha256& update_u64(std::uint64_t value);  // 8 bytes, little-endian
  // Length (update_u64) then bytes: keeps ("ab","c") apart from ("a","bc").
  Sha256& update_framed(std::string_view bytes);
  Digest finish();  // REQUIRES: called once

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string to_hex(const Sha256::Digest& digest);
std::string sha256_hex(std::string_view bytes);
// Throws std::runtime_error naming the file when it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace rxflow
