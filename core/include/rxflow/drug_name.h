// Drug names as rxflow compares them: surrounding white space removed,
// inner runs of white space folded to one space, ASCII letters lower-cased.
// " DrugA " and "druga" name the same drug. Every plugin that looks drugs
// up by name uses this one rule. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rxflow {

std::string canonical_drug_name(std::string_view name);

}  // namespace rxflow
