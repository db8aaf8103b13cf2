// What RDKit computes for one molecule: its Morgan (ECFP-like) fingerprint
// as bits and a few standard descriptors. The only file that includes RDKit.
// Not thread-safe (RDKit's logging is switched off while parsing).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace rxflow::rdkit_embeddings {

// In this order: MolWt, MolLogP, TPSA, NumHDonors, NumHAcceptors,
// NumRotatableBonds, RingCount (the names of RDKit's Python Descriptors).
inline constexpr std::array<const char*, 7> kDescriptorNames{
    "MolWt", "MolLogP", "TPSA", "NumHDonors", "NumHAcceptors", "NumRotatableBonds", "RingCount"};

struct MoleculeFeatures {
  std::vector<double> bits;  // 0 or 1, length n_bits
  std::array<double, 7> descriptors{};
};

// Throws std::runtime_error "<what>: SMILES \"...\" ..." when RDKit cannot
// read the SMILES (syntax), sanitize it (valence, kekulization), or it has
// no atoms (an empty string).
MoleculeFeatures molecule_features(const std::string& smiles, int radius, int n_bits,
                                   const std::string& what);

// "RDKit 2022.09.3".
std::string rdkit_version();

}  // namespace rxflow::rdkit_embeddings
