#include "store/metadata_tree.h"

#include <cstdio>

#include "support/sha256.h"

namespace rxflow {
namespace {

void update(Sha256& hash, const MetadataTree& tree, const std::string& leave_out) {
  hash.update_u64(tree.attributes.size() - (tree.attributes.count(leave_out) ? 1 : 0));
  for (const auto& [name, text] : tree.attributes) {
    if (name != leave_out) hash.update_framed(name).update_framed(text);
  }
  hash.update_u64(tree.texts.size());
  for (const auto& [name, texts] : tree.texts) {
    hash.update_framed(name).update_u64(texts.size());
    for (const std::string& text : texts) hash.update_framed(text);
  }
  hash.update_u64(tree.children.size());
  for (const auto& [name, child] : tree.children) {
    hash.update_framed(name);
    update(hash, child, "");
  }
}

}  // namespace

std::string metadata_sha256(const MetadataTree& tree, const std::string& leave_out) {
  Sha256 hash;
  hash.update_framed("rxflow-seal-v1");
  update(hash, tree, leave_out);
  return to_hex(hash.finish());
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace rxflow
