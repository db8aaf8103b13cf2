// RequestForm: the patient form of rxflow serve, made from the workflow's
// plan: one field per row column of its requests stage (the plugin's row
// schema: names, types, ranges, choices), the drugs the embedding stage
// knows (its dictionary, declared before running) for the drug field, and
// the workflow's first row as the values it starts with. A submitted form
// becomes the requests stage's one row, as typed values set on the Spec
// (never TOML text); the planner then checks them exactly as it checks a
// row in a file, so a bad value gets the CLI's one-line error. Plain values.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace rxflow {

// Where a form's values come from, in the planner's messages: "form: stage ...".
inline constexpr const char* kFormOrigin = "form";

struct RequestForm {
  std::string stage_id;                        // the requests stage
  std::vector<ParamSpec> columns;              // its row schema, in schema order
  std::vector<std::string> drugs;              // the embedding stage's dictionary; may be empty
  std::string drug_column = "drug";            // the column the drug list is offered for
  std::map<std::string, std::string> initial;  // column -> text, from the workflow's first row
};

// Throws InputError when the workflow has no stage of kind "requests" that
// takes rows.
RequestForm request_form_of(const Plan& plan);

// A value as a form field shows it: 52, 0.72, female.
std::string form_text(const ParamValue& value);

// Replaces the rows of form.stage_id in spec by one row made of the fields
// named after its columns (other fields are ignored), each typed by its
// column: numbers are read as integers or floats, and text that is not a
// number stays text, for the planner to refuse as it refuses it in a file.
// An empty field is left out (the planner reports it missing). Recorded in
// spec.overrides as "<stage>.rows=[{...}]". Throws InputError for text that
// is not UTF-8.
void set_request_row(Spec& spec, const RequestForm& form,
                     const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace rxflow
