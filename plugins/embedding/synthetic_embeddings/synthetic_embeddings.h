// Synthetic drug embeddings (seed paper, Section 5.2): every drug name maps
// to a fixed pseudo-random vector, drawn from a generator seeded by
// derive_seed(table_seed, canonical name). The vector depends on nothing
// else, so a drug keeps its vector across runs, workflows and dictionaries,
// and an unknown drug that a curator later adds keeps the one it had.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rxflow::synthetic_embeddings {

// dim values, each normal(0, 1 / sqrt(dim)), so the expected squared norm is 1.
std::vector<double> embedding_for(std::string_view canonical_name, std::uint64_t table_seed,
                                  int dim);

// Drug names from the dictionary file's text: one per line, '#' starts a
// comment, blank lines ignored. Throws std::runtime_error naming the line of
// a name given twice (after canonicalization).
std::vector<std::string> parse_dictionary(const std::string& text, const std::string& origin);

}  // namespace rxflow::synthetic_embeddings
