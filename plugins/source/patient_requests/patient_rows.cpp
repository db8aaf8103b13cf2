#include "patient_rows.h"

#include <map>
#include <stdexcept>

#include "drug_name.h"
#include "patient.h"

namespace rxflow::patient_requests {

std::vector<ParamSpec> row_schema() {
  using patients::kMaxAge, patients::kMaxWeightKg, patients::kMinAge, patients::kMinWeightKg;
  std::vector<ParamSpec> schema{
      ParamSpec::text("patient_id", "", "who the request is for"),
      ParamSpec::real("age", kMinAge, kMinAge, kMaxAge, "years"),
      ParamSpec::real("weight_kg", kMinWeightKg, kMinWeightKg, kMaxWeightKg, "body weight (kg)"),
      ParamSpec::choice("gender", "other", {"male", "female", "other"}, "gender"),
      ParamSpec::real("genetic_marker", 0, 0, 1, "genetic marker score"),
      ParamSpec::real("comorbidity", 0, 0, 1, "comorbidity score"),
      ParamSpec::text("drug", "", "the drug, as the embedding stage names it")};
  for (ParamSpec& spec : schema) spec.default_value.reset();  // every column is required
  return schema;
}

RequestArtifacts request_artifacts(const std::vector<ParamRow>& rows) {
  std::vector<std::string> ids, drugs;
  std::vector<double> table;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ParamRow& row = rows[i];
    const std::string what = "row " + std::to_string(i + 1);
    const std::string& drug = row.text("drug");
    for (unsigned char c : drug) {
      if (c < 0x20 || c == 0x7f) {
        throw std::runtime_error(what + ": drug holds a control character (code " +
                                 std::to_string(c) + "); drug names are one line of text");
      }
    }
    if (canonical_drug_name(drug).empty()) throw std::runtime_error(what + ": drug is empty");
    const auto [first, fresh] =
        seen.emplace(std::pair{row.text("patient_id"), canonical_drug_name(drug)}, i + 1);
    if (!fresh) {
      throw std::runtime_error(what + ": patient \"" + row.text("patient_id") + "\" with drug \"" +
                               drug + "\" repeats row " + std::to_string(first->second) +
                               " (drug names are compared ignoring case and spacing)");
    }
    ids.push_back(row.text("patient_id"));
    drugs.push_back(drug);
    const std::string& gender = row.text("gender");
    const patients::Gender code = gender == "male"     ? patients::Gender::kMale
                                  : gender == "female" ? patients::Gender::kFemale
                                                       : patients::Gender::kOther;
    for (double value : {row.real("age"), row.real("weight_kg"), static_cast<double>(code),
                         row.real("genetic_marker"), row.real("comorbidity")}) {
      table.push_back(value);
    }
  }
  const std::uint64_t n = rows.size();
  return {Artifact::vector(std::move(ids)), Artifact::vector(std::move(drugs)),
          Artifact::matrix(n, patients::patient_columns().size(), std::move(table),
                           patients::patient_columns())};
}

}  // namespace rxflow::patient_requests
