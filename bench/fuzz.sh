#!/usr/bin/env bash
# Builds the libFuzzer targets (workflow, tables, run_file, form) with clang
# (build-fuzz/, RXFLOW_FUZZ=ON: ASan, UBSan and coverage) and runs each for
# SECONDS on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/): executions, new inputs kept and findings.
# A finding leaves its input in build-fuzz/findings/<target>/ (crash-*,
# leak-*, timeout-*): make it a regression test.
#   bench/fuzz.sh [SECONDS]    (default 60 per target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRXFLOW_FUZZ=ON \
  -DRXFLOW_BUILD_TESTS=OFF -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
plugins=""
for plugin in patient_requests synthetic_embeddings table_embeddings cohort_simulator \
  ffnn_classifier conv_decoder isotonic_calibrator platt_calibrator binary_evaluator html_report; do
  plugins="$plugins rxflow_plugin_$plugin"
done
echo "fuzz.sh: building (log in build-fuzz/build.log)"
# shellcheck disable=SC2086
if ! cmake --build build-fuzz -j "$(nproc)" --target fuzz_workflow fuzz_tables fuzz_run_file fuzz_form \
  $plugins > build-fuzz/build.log 2>&1; then
  grep -E 'error' build-fuzz/build.log | head -20 >&2
  echo "fuzz.sh: the build failed" >&2
  exit 1
fi
for target in workflow tables run_file form; do
  work=build-fuzz/corpus/$target
  findings=build-fuzz/findings/$target
  rm -rf "$work" "$findings"
  mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/$target/* "$work/"
  log=build-fuzz/fuzz_$target.log
  set +e
  # HDF5 1.10 leaks on the error paths of damaged files; rxflow reads them in
  # a child process that exits, so leaks are not findings for run_file.
  leaks=1
  [ "$target" = run_file ] && leaks=0
  ASAN_OPTIONS=detect_leaks=$leaks build-fuzz/bin/fuzz_$target "$work" -max_total_time="$seconds" \
    -artifact_prefix="$findings/" -print_final_stats=1 > "$log" 2>&1
  status=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  kept=$(find "$work" -type f | wc -l)
  found=$(find "$findings" -type f | wc -l)
  echo "fuzz_$target: ${runs:-?} executions (limit $seconds s), corpus $kept inputs, exit $status, $found findings in $findings"
done
