// Drug names as rxflow compares them: surrounding white space removed,
// inner runs of white space folded to one space, ASCII letters lower-cased.
// " DrugA " and "druga" name the same drug. Every plugin that looks drugs
// up by name uses this one rule. canonical_drug_name is a pure function;
// a DrugNameSet is a plain value (not synchronised).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace rxflow {

std::string canonical_drug_name(std::string_view name);

// The drugs of a table read so far, so that one listed twice is refused
// wherever it stands (a line of a file, a row of a dataset).
class DrugNameSet {
 public:
  // where: how messages start ("drugs.csv:4"); place: how a later duplicate
  // names this entry ("line 4"). Throws std::runtime_error
  // "<where>: a drug without a name" for an empty name, and
  // "<where>: drug \"<name>\" is already on <place of the first>" for a
  // name whose canonical form was added before.
  void add(std::string_view name, const std::string& where, const std::string& place);

 private:
  std::map<std::string, std::string> places_;  // canonical name -> place
};

}  // namespace rxflow
