// rdkit_embeddings: fingerprint bits and descriptors equal RDKit's Python
// bindings, bad SMILES are refused by name, and the reductions are
// deterministic, of the right shape, and PCA equals scikit-learn's.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "molecule_features.h"
#include "reduction.h"
#include "reference/rdkit_golden.h"

namespace rxflow {
namespace {

using rdkit_embeddings::molecule_features;

TEST_CASE("Morgan bits and descriptors equal RDKit's Python bindings", "[rdkit]") {
  int offset = 0;
  for (const auto& [radius, n_bits] : golden::kRdkitSettings) {
    for (const char* smiles : golden::kRdkitMolecules) {
      INFO(smiles << " radius " << radius << " bits " << n_bits);
      const auto features = molecule_features(smiles, radius, n_bits, "test");
      std::vector<int> on;
      for (int i = 0; i < n_bits; ++i) {
        if (features.bits[static_cast<std::size_t>(i)] == 1.0) on.push_back(i);
      }
      const std::vector<int> expected(
          golden::kRdkitOnBits + golden::kRdkitOnBitOffsets[offset],
          golden::kRdkitOnBits + golden::kRdkitOnBitOffsets[offset + 1]);
      CHECK(on == expected);
      ++offset;
    }
  }
  std::size_t d = 0;
  for (const char* smiles : golden::kRdkitMolecules) {
    const auto features = molecule_features(smiles, 2, 2048, "test");
    for (double value : features.descriptors) {
      INFO(smiles << " descriptor " << rdkit_embeddings::kDescriptorNames[d % 7]);
      CHECK(value == Approx(golden::kRdkitDescriptors[d]).epsilon(1e-12));
      ++d;
    }
  }
}

TEST_CASE("a SMILES RDKit cannot read is refused naming the drug and the SMILES", "[rdkit]") {
  struct Case {
    const char* smiles;
    const char* message;
  };
  for (const Case& c :
       {Case{"C1CC(", "drugs.csv:4: drug \"X\": SMILES \"C1CC(\" cannot be parsed"},
        Case{"C(C)(C)(C)(C)C",
             "SMILES \"C(C)(C)(C)(C)C\" is not a valid molecule "
             "(Explicit valence"},
        Case{"c1cccc1", "SMILES \"c1cccc1\" is not a valid molecule (Can't kekulize"},
        Case{"", "SMILES \"\" has no atoms"}}) {
    INFO(c.smiles);
    CHECK_THROWS_WITH(molecule_features(c.smiles, 2, 2048, "drugs.csv:4: drug \"X\""),
                      Catch::Matchers::Contains(c.message));
  }
}

TEST_CASE("PCA scores equal scikit-learn's on the shipped drug table", "[rdkit]") {
  const std::size_t n = golden::kPcaDrugs, k = golden::kPcaComponents;
  std::vector<double> x;
  // data/drugs.csv, as the reference script reads it.
  const std::vector<std::pair<std::string, std::string>> drugs = [] {
    std::vector<std::pair<std::string, std::string>> rows;
    std::ifstream in(RXFLOW_SOURCE_DIR "/data/drugs.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto first = line.find(','), second = line.find(',', first + 1);
      rows.emplace_back(line.substr(0, first), line.substr(first + 1, second - first - 1));
    }
    return rows;
  }();
  REQUIRE(drugs.size() == n);
  for (const auto& [name, smiles] : drugs) {
    const auto bits = molecule_features(smiles, 2, 2048, name).bits;
    x.insert(x.end(), bits.begin(), bits.end());
  }
  const std::vector<double> scores = embedding::pca_scores(x, n, 2048, k);
  REQUIRE(scores.size() == n * k);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    INFO("drug " << i / k << " component " << i % k);
    CHECK(scores[i] == Approx(golden::kPcaScores[i]).margin(1e-10));
  }
  CHECK_THROWS_WITH(embedding::pca_scores(x, n, 2048, n),
                    Catch::Matchers::Contains("give at most 30 components, 31 requested"));
}

TEST_CASE("fold and projection are deterministic and of the right shape", "[rdkit]") {
  const std::vector<double> x{1, 0, 1, 1, 0, 0, 1, 0,  // two rows of 8 columns
                              0, 1, 1, 0, 1, 1, 0, 1};
  CHECK(embedding::fold(x, 2, 8, 3) == std::vector<double>{3, 0, 1, 0, 3, 2});
  const auto a = embedding::random_projection(x, 2, 8, 4, 7);
  CHECK(a.size() == 8);
  CHECK(a == embedding::random_projection(x, 2, 8, 4, 7));
  CHECK(a != embedding::random_projection(x, 2, 8, 4, 8));
  for (double value : a) {  // sums of +-1 over 4 set bits, divided by 2
    CHECK(std::abs(value * 2 - std::round(value * 2)) < 1e-15);
    CHECK(std::abs(value) <= 2.0);
  }
  std::vector<double> rows{3, 4, 0, 0};
  embedding::normalize_rows(rows, 2, 2);
  CHECK(rows == std::vector<double>{0.6, 0.8, 0, 0});
  const auto z = embedding::standardize_columns({1, 5, 3, 5}, 2, 2);
  CHECK(z == std::vector<double>{-1, 0, 1, 0});
}

}  // namespace
}  // namespace rxflow
