#include "rxflow/request.h"

namespace rxflow {

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

}  // namespace rxflow
