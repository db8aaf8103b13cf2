#include "patient.h"

namespace rxflow::patients {

const char* gender_name(Gender gender) {
  switch (gender) {
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
    case Gender::kOther:
      return "other";
  }
  return "unknown";
}

const std::vector<std::string>& patient_columns() {
  static const std::vector<std::string> names{"age", "weight_kg", "gender", "genetic_marker",
                                              "comorbidity"};
  return names;
}

std::optional<Gender> gender_from_code(double code) {
  if (code == 0) return Gender::kMale;
  if (code == 1) return Gender::kFemale;
  if (code == 2) return Gender::kOther;
  return std::nullopt;
}

}  // namespace rxflow::patients
