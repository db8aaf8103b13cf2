// The sweep index, sweep.h5: what a sweep ran, one row per point, beside the
// points' own run files. Derived data: every row can be rebuilt from the
// point files (their /tags name the sweep and the point). Written to a
// temporary name and renamed, so it is whole or absent, never half written;
// readable with h5py alone (docs/sweeps.md gives the layout). One writer per
// file at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/run_file.h"

namespace rxflow {

inline constexpr const char* kSweepFormat = "rxflow-sweep";
inline constexpr std::uint64_t kSweepFormatVersion = 1;

struct SweepRow {
  std::uint64_t index = 0;
  std::uint64_t repeat = 0;
  std::uint64_t seed = 0;
  std::string key;                  // the point's values ("stage.param=value;...")
  std::vector<std::string> values;  // one per axis, as TOML text
  std::string status;               // "complete", "failed", or "missing" (not run yet)
  std::string run_id;
  std::string file;  // the run file's name, relative to the sweep folder
  std::string root_hash;
  std::string identity;  // identity_sha256 and the plugins' hashes, for resume
  std::string error;
  std::vector<double> metrics;  // one per metric name, NaN where the run has none
  std::string where;            // context: the worker or node that ran it
};

struct SweepIndex {
  std::string name;
  std::string workflow;
  std::string workflow_path;
  std::string workflow_text;
  std::string sweep_toml;  // the sweep's definition as a [sweep] table
  std::uint64_t root_seed = 0;
  std::vector<std::string> axes;          // "stage.param", in the sweep's order
  std::vector<std::string> metric_names;  // the points' headline metrics
  NamedText context;                      // executor, job ids, times (not identity)
  std::vector<SweepRow> rows;             // in point order
};

// Throws StoreError (store/run_writer.h) when it cannot be written.
void write_sweep_index(const std::string& path, const SweepIndex& index);

// Throws InputError: missing, not HDF5, not a sweep index, damaged.
SweepIndex read_sweep_index(const std::string& path);

// Whether a file is a sweep index (without reading it further).
bool is_sweep_index(const std::string& path);

}  // namespace rxflow
