// The patient feature transform (seed paper, Sections 5.1 and 12.2 step 1),
// applied alike to simulated patients and to the workflow's requests: age
// and weight min-max normalized over the simulated ranges (18-90 years,
// 40-150 kg), gender one-hot (male, female, other), genetic marker and
// comorbidity score as they are (already in [0, 1]).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "patient.h"

namespace rxflow::cohort {

inline constexpr std::size_t kRawColumns = 5;
inline constexpr std::size_t kFeatureColumns = 7;

// age_norm, weight_norm, gender_male, gender_female, gender_other, genetic_marker, comorbidity
const std::vector<std::string>& feature_column_names();

std::array<double, kFeatureColumns> normalize_patient(double age, double weight_kg,
                                                      patients::Gender gender,
                                                      double genetic_marker, double comorbidity);

}  // namespace rxflow::cohort
