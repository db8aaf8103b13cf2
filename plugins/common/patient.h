// Patients as the seed paper's plugins describe them (Sections 5.1 and
// 12.1): the ranges of the simulated cohort, which the requests must stay
// in (a model trained on them cannot speak for patients outside), and the
// gender codes of the patient tables. Shared by the requests, cohort and
// report plugins. Constants and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rxflow::patients {

inline constexpr double kMinAge = 18, kMaxAge = 90;
inline constexpr double kMinWeightKg = 40, kMaxWeightKg = 150;

// Codes as stored in patient tables: male 0, female 1, other 2.
enum class Gender { kMale = 0, kFemale = 1, kOther = 2 };

const char* gender_name(Gender gender);  // "male", "female", "other"

// The columns of a patient table, as the cohort's patients and the
// requests are both stored: age, weight_kg, gender (the code above),
// genetic_marker, comorbidity.
const std::vector<std::string>& patient_columns();
// From a table's code; nullopt unless 0, 1 or 2.
std::optional<Gender> gender_from_code(double code);

}  // namespace rxflow::patients
