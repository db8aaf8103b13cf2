#include "molecule_features.h"

#include <DataStructs/ExplicitBitVect.h>
#include <GraphMol/Descriptors/Crippen.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Descriptors/MolDescriptors.h>
#include <GraphMol/Descriptors/MolSurf.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>
#include <GraphMol/GraphMol.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <memory>
#include <stdexcept>

namespace rxflow::rdkit_embeddings {

MoleculeFeatures molecule_features(const std::string& smiles, int radius, int n_bits,
                                   const std::string& what) {
  const std::string named = what + ": SMILES \"" + smiles + "\"";
  std::unique_ptr<RDKit::ROMol> molecule;
  try {
    const RDLog::LogStateSetter quiet;  // errors become our message, not RDKit's log lines
    molecule.reset(RDKit::SmilesToMol(smiles));
  } catch (const RDKit::MolSanitizeException& error) {
    throw std::runtime_error(named + " is not a valid molecule (" + error.what() + ")");
  }
  if (!molecule) throw std::runtime_error(named + " cannot be parsed (a SMILES syntax error)");
  if (molecule->getNumAtoms() == 0) throw std::runtime_error(named + " has no atoms");

  MoleculeFeatures features;
  const std::unique_ptr<ExplicitBitVect> fingerprint(
      RDKit::MorganFingerprints::getFingerprintAsBitVect(*molecule, static_cast<unsigned>(radius),
                                                         static_cast<unsigned>(n_bits)));
  features.bits.resize(static_cast<std::size_t>(n_bits));
  for (int i = 0; i < n_bits; ++i)
    features.bits[static_cast<std::size_t>(i)] = fingerprint->getBit(static_cast<unsigned>(i));
  features.descriptors = {RDKit::Descriptors::calcAMW(*molecule),
                          RDKit::Descriptors::calcClogP(*molecule),
                          RDKit::Descriptors::calcTPSA(*molecule),
                          static_cast<double>(RDKit::Descriptors::calcNumHBD(*molecule)),
                          static_cast<double>(RDKit::Descriptors::calcNumHBA(*molecule)),
                          static_cast<double>(RDKit::Descriptors::calcNumRotatableBonds(*molecule)),
                          static_cast<double>(RDKit::Descriptors::calcNumRings(*molecule))};
  return features;
}

std::string rdkit_version() { return std::string("RDKit ") + RDKit::rdkitVersion; }

}  // namespace rxflow::rdkit_embeddings
