// MetadataTree: everything a run file records except the values of its
// numeric artifacts: every group and dataset, their attributes as text (a
// number as "%.17g" or its integer digits), list attributes, and the values
// of string datasets. The writer keeps this tree as it writes, the reader
// rebuilds it from the file, and its hash is the file's seal: any change to
// what rxflow wrote, identity or context (a status, a run id, the order of
// the stages, a log line, a time), changes it. Numeric values are covered
// by the artifacts' content hashes, which the records hold. Plain value.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rxflow {

struct MetadataTree {
  std::map<std::string, std::string> attributes;
  // List attributes as "@name"; a string dataset's own values as "".
  std::map<std::string, std::vector<std::string>> texts;
  std::map<std::string, MetadataTree> children;  // groups and datasets
};

// SHA-256 (hex) of the tree in a canonical order; `leave_out` names a root
// attribute the hash does not cover (the seal itself).
std::string metadata_sha256(const MetadataTree& tree, const std::string& leave_out);

// The text a number attribute is read back as.
std::string number_text(double value);

}  // namespace rxflow
