#include "rxflow/seed.h"

#include "support/sha256.h"

namespace rxflow {

std::uint64_t derive_seed(std::uint64_t parent, std::string_view key) {
  const Sha256::Digest digest =
      Sha256().update("rxflow-seed-v1").update_u64(parent).update(key).finish();
  std::uint64_t seed = 0;
  for (int i = 7; i >= 0; --i) seed = (seed << 8) | digest[static_cast<std::size_t>(i)];
  return seed;
}

}  // namespace rxflow
