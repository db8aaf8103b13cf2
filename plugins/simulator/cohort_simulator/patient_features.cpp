#include "patient_features.h"

namespace rxflow::cohort {

const std::vector<std::string>& raw_column_names() {
  static const std::vector<std::string> names{"age", "weight_kg", "gender", "genetic_marker",
                                              "comorbidity"};
  return names;
}

const std::vector<std::string>& feature_column_names() {
  static const std::vector<std::string> names{"age_norm",      "weight_norm",  "gender_male",
                                              "gender_female", "gender_other", "genetic_marker",
                                              "comorbidity"};
  return names;
}

std::array<double, kFeatureColumns> normalize_patient(double age, double weight_kg, Gender gender,
                                                      double genetic_marker, double comorbidity) {
  return {(age - Request::kMinAge) / (Request::kMaxAge - Request::kMinAge),
          (weight_kg - Request::kMinWeightKg) / (Request::kMaxWeightKg - Request::kMinWeightKg),
          gender == Gender::kMale ? 1.0 : 0.0,
          gender == Gender::kFemale ? 1.0 : 0.0,
          gender == Gender::kOther ? 1.0 : 0.0,
          genetic_marker,
          comorbidity};
}

}  // namespace rxflow::cohort
