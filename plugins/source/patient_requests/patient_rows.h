// The requests of the seed paper's user interface (Section 12.1) as a
// stage's rows: one patient and one drug per row, in the ranges of the
// simulated cohort (patient.h). From the rows come three artifacts: the
// request ids, the drugs as written, and the patients as a table (age,
// weight_kg, gender code, genetic_marker, comorbidity). Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "rxflow/artifact.h"
#include "rxflow/param.h"

namespace rxflow::patient_requests {

// The row schema: patient_id, age, weight_kg, gender, genetic_marker,
// comorbidity, drug.
std::vector<ParamSpec> row_schema();

struct RequestArtifacts {
  Artifact ids;       // string[n]
  Artifact drugs;     // string[n], as written
  Artifact patients;  // float64[n, 5], patients::patient_columns()
};

// Throws std::runtime_error naming the row (1-based) for a drug name that is
// empty or holds a control character (a newline, a NUL), and for two rows
// with the same patient and the same drug (drug names compared as
// canonical_drug_name compares them).
RequestArtifacts request_artifacts(const std::vector<ParamRow>& rows);

}  // namespace rxflow::patient_requests
