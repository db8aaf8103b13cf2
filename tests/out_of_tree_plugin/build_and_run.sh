#!/usr/bin/env bash
# Installs the built rxflow into a scratch prefix, builds the plugin in this
# folder against it with find_package(rxflow), and runs a workflow whose
# embedding stage is that plugin, loaded with --plugin-path.
# Usage: build_and_run.sh RXFLOW_BUILD_DIR PLUGIN_SOURCE_DIR WORK_DIR
set -euo pipefail
build_dir=$1 source_dir=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/build" --verbose > "$work/build.log"
# The package hands the engine's floating-point rules to every plugin.
grep -q -- "-ffp-contract=off" "$work/build.log"
grep -q -- "-fno-fast-math" "$work/build.log"
sed -e 's/plugin = "synthetic_embeddings"/plugin = "constant_embeddings"/' \
    -e 's/^dim = 32$/value = 0.5/' \
    "$source_dir/../../workflows/smoke.toml" > "$work/workflow.toml"
run_file=$("$work/prefix/bin/rxflow" run "$work/workflow.toml" --quiet \
           --plugin-path "$work/build" --out "$work/results")
"$work/prefix/bin/rxflow" show "$run_file" > "$work/show.txt"
grep -q "embed: constant_embeddings 2.0.0 (embedding), complete" "$work/show.txt"
grep -q "cohort: cohort_simulator .*complete" "$work/show.txt"
echo "out-of-tree plugin built against the installed package and ran: $run_file"
