// Request: one patient and drug the run should predict for, as the paper's
// user interface took them (Section 12.1). Validated by the engine against
// the ranges below before any stage runs.
#pragma once

#include <string>

namespace rxflow {

enum class Gender { kMale = 0, kFemale = 1, kOther = 2 };

struct Request {
  std::string patient_id;
  double age = 0;        // years, [kMinAge, kMaxAge]
  double weight_kg = 0;  // [kMinWeightKg, kMaxWeightKg]
  Gender gender = Gender::kOther;
  double genetic_marker = 0;  // [0, 1]
  double comorbidity = 0;     // [0, 1]
  std::string drug;           // as written; embedding plugins canonicalize it

  // The simulated cohort's ranges (Section 5.1); requests outside them would
  // ask the models to extrapolate, so they are refused.
  static constexpr double kMinAge = 18, kMaxAge = 90;
  static constexpr double kMinWeightKg = 40, kMaxWeightKg = 150;
};

const char* gender_name(Gender gender);  // "male", "female", "other"

}  // namespace rxflow
