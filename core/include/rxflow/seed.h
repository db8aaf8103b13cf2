// Seed derivation: how a run's root seed becomes one independent seed per
// stage, and a stage's seed one per key (a request, a drug name).
// derive_seed(parent, key) = first 8 bytes, little-endian, of
// SHA-256("rxflow-seed-v1" || parent as 8 little-endian bytes || key).
// Adding or renaming one stage never shifts another stage's seed.
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace rxflow {

std::uint64_t derive_seed(std::uint64_t parent, std::string_view key);

}  // namespace rxflow
