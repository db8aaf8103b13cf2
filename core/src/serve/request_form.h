// RequestForm: the patient form of rxflow serve, made from the workflow's
// plan: one field per row column of its requests stage (the plugin's row
// schema: names, types, ranges, choices), the drugs the embedding stage
// knows (its dictionary, declared before running) for the drug field, and
// the workflow's first row as the values it starts with; and one field per
// parameter the workflow's [serve] table declares tunable (its schema entry:
// range or choices, help; the workflow's value to start with). A submitted
// form becomes the requests stage's one row and, for each tunable field
// changed from the workflow's value, a parameter override, all as typed
// values set on the Spec (never TOML text); the planner then checks them
// exactly as it checks a row in a file or a --set, so a bad value gets the
// CLI's one-line error. Plain values.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace rxflow {

// Where a form's values come from, in the planner's messages: "form: stage ...".
inline constexpr const char* kFormOrigin = "form";

// A stage parameter offered on the form; its field is named "stage.param"
// (never a column's name: columns have no dot).
struct TunableField {
  std::string name;  // "stage.param"
  std::string stage;
  ParamSpec param;  // the plugin's schema entry
};

struct RequestForm {
  std::string stage_id;                // the requests stage
  std::vector<ParamSpec> columns;      // its row schema, in schema order
  std::vector<std::string> drugs;      // the embedding stage's dictionary; may be empty
  std::string drug_column = "drug";    // the column the drug list is offered for
  std::vector<TunableField> tunables;  // in the order [serve] lists them
  // Column or tunable name -> text: the workflow's first row and parameter values.
  std::map<std::string, std::string> initial;
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
// An empty field is left out (the planner reports it missing). Set with
// set_row (spec/spec.h): recorded in spec.overrides as
// "<stage>.rows=[{...}]"; throws InputError for text that is not UTF-8.
void set_request_row(Spec& spec, const RequestForm& form,
                     const std::vector<std::pair<std::string, std::string>>& fields);

// Sets each tunable parameter whose field holds text other than the
// workflow's value (form.initial), typed by its schema entry as
// set_request_row types a column, with set_param (recorded in
// spec.overrides as "<stage>.<param>=<value>"). Fields left at the
// workflow's value, empty or missing change nothing. Throws InputError as
// set_param does.
void set_tunable_params(Spec& spec, const RequestForm& form,
                        const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace rxflow
