#include "support/sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace rxflow {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
};

namespace {

// The algorithm, fetched once: EVP_sha256() makes OpenSSL 3 look it up in its
// provider store (under a lock all threads share) at every initialisation,
// and a sweep point hashes a few hundred times.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

}  // namespace

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  const EVP_MD* algorithm = sha256_algorithm();
  if (state_->ctx == nullptr || algorithm == nullptr ||
      EVP_DigestInit_ex(state_->ctx, algorithm, nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot initialise SHA-256");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(state_->ctx); }

Sha256& Sha256::update(const void* data, std::size_t size) {
  EVP_DigestUpdate(state_->ctx, data, size);
  return *this;
}

Sha256& Sha256::update_u64(std::uint64_t value) {
  std::uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return update(bytes, sizeof bytes);
}

Sha256& Sha256::update_framed(std::string_view bytes) {
  update_u64(bytes.size());
  return update(bytes);
}

Sha256::Digest Sha256::finish() {
  Digest digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->ctx, digest.data(), &length);
  return digest;
}

std::string to_hex(const Sha256::Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (std::uint8_t byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

std::string sha256_hex(std::string_view bytes) { return to_hex(Sha256().update(bytes).finish()); }

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open file for hashing");
  Sha256 hash;
  // 64 KiB: a sweep hashes its file parameters for every point, and a
  // megabyte buffer cost more to clear than a small file to hash.
  std::vector<char> buffer(64 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw std::runtime_error(path + ": read error while hashing");
  return to_hex(hash.finish());
}

}  // namespace rxflow
