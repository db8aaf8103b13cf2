#!/usr/bin/env bash
# The Slurm executor on a private single-node cluster (scripts/local-slurm,
# started and stopped here): submit-to-done time of a 1,000-point sweep of
# the case study without its report (as bench/sweep.sh sweeps it) on Slurm,
# 5 array tasks of 200 points, against the same sweep with -j 2 in this
# process; and the cost of one more array task, from the same sweep in 50
# tasks of 20 points: (T(50 tasks) - T(5 tasks)) / 45. Medians of RUNS.
#   bench/slurm.sh [RUNS]    (default 3; needs a build and root)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
out=$(mktemp -d "$base/rxflow-slurm-bench.XXXXXX")
cluster=/tmp/rxflow-slurm-bench
trap 'scripts/local-slurm stop "$cluster" > /dev/null; rm -rf "$out"' EXIT
RXFLOW_SLURM_PORT=16917 scripts/local-slurm start "$cluster" > /dev/null
export SLURM_CONF=$cluster/slurm.conf
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
awk 'BEGIN {RS = ""; ORS = "\n\n"} !/plugin = "html_report"/' workflows/case_study.toml \
  > "$out/sweep.toml"
sweep() {  # sweep OPTIONS...: the wall time of the sweep, from a fresh folder
  local start end
  rm -rf "$out/results"
  start=$EPOCHREALTIME
  build/bin/rxflow sweep "$out/sweep.toml" --grid cohort.alpha=0.4,0.6 --repeats 500 \
    --no-report --quiet --out "$out/results" "$@" > /dev/null
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f\n", b - a}'
}
: > "$out/local"; : > "$out/slurm"; : > "$out/many"
for _ in $(seq "$runs"); do
  sweep -j 2 >> "$out/local"
  sweep --executor slurm --points-per-task 200 --wait >> "$out/slurm"
  sweep --executor slurm --points-per-task 20 --wait >> "$out/many"
done
local=$(median < "$out/local"); slurm=$(median < "$out/slurm"); many=$(median < "$out/many")
echo "1,000 points of the case study without its report, median of $runs:"
echo "  local -j 2:                       $local s"
awk -v s="$slurm" -v l="$local" 'BEGIN {printf "  slurm, 5 tasks of 200 points:     %s s (%.2fx the local time)\n", s, s / l}'
echo "  slurm, 50 tasks of 20 points:     $many s"
awk -v m="$many" -v s="$slurm" 'BEGIN {printf "  one more array task costs:        %.3f s\n", (m - s) / 45}'
