#include "patient_features.h"

namespace rxflow::cohort {

const std::vector<std::string>& feature_column_names() {
  static const std::vector<std::string> names{"age_norm",      "weight_norm",  "gender_male",
                                              "gender_female", "gender_other", "genetic_marker",
                                              "comorbidity"};
  return names;
}

std::array<double, kFeatureColumns> normalize_patient(double age, double weight_kg,
                                                      patients::Gender gender,
                                                      double genetic_marker, double comorbidity) {
  using namespace patients;
  return {(age - kMinAge) / (kMaxAge - kMinAge),
          (weight_kg - kMinWeightKg) / (kMaxWeightKg - kMinWeightKg),
          gender == Gender::kMale ? 1.0 : 0.0,
          gender == Gender::kFemale ? 1.0 : 0.0,
          gender == Gender::kOther ? 1.0 : 0.0,
          genetic_marker,
          comorbidity};
}

}  // namespace rxflow::cohort
