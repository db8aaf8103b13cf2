#!/usr/bin/env bash
# Sweeps of the case study without its report stage (7 stages per point:
# requests, embeddings, cohort, classifier, decoder, calibrator, evaluator)
# and with one training per point (cv = 0, repeats = 1, as the baseline),
# a grid over cohort.alpha x repeats, written to a RAM-backed folder when
# there is one (so the disk's noise stays out):
# - points per second with 1 and 2 workers, with the stage cache (points of
#   one repeat share their requests, embeddings and image stages) and
#   without it (--no-cache), each the median of RUNS sweeps of POINTS points;
# - the same sweep on the paper's own stack in one process
#   (bench/baseline/sweep_baseline.py: NumPy, PyTorch, scikit-learn, h5py),
#   and rxflow -j 2 against it, as a ratio of the medians of the same rounds;
# - resuming a complete sweep of POINTS points (every point skipped);
# - peak memory (max RSS) of one sweep of POINTS and of 20 x POINTS points,
#   and resuming the complete sweep of 20 x POINTS points (the issue's
#   figures are 1,000 points resumed and 10,000 points' memory).
#   bench/sweep.sh [RUNS] [POINTS]    (default 5 and 500; needs a build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
points=${2:-500}
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
out=$(mktemp -d "$base/rxflow-sweep-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# The work of the Python baseline: one training and isotonic calibration on
# the validation fold (the case study cross-fits and retrains 20 times).
same_work=(--set train.cv=0 --set train.repeats=1)
# The case study, its html_report stage left out.
awk 'BEGIN {RS = ""; ORS = "\n\n"} !/plugin = "html_report"/' workflows/case_study.toml \
  > "$out/sweep.toml"
sweep() {  # sweep RESULTS POINTS OPTIONS...: the sweep's wall time in seconds
  local results=$1 n=$2 start end
  shift 2
  start=$EPOCHREALTIME
  build/bin/rxflow sweep "$out/sweep.toml" --grid cohort.alpha=0.4,0.6 --repeats $((n / 2)) \
    "${same_work[@]}" --no-report --quiet --out "$results" "$@" > /dev/null
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f\n", b - a}'
}
configs=("-j 1" "-j 2" "-j 1 --no-cache" "-j 2 --no-cache")
for c in "${configs[@]}"; do : > "$out/times ${c}"; done
: > "$out/resume"
: > "$out/python"
for i in $(seq "$runs"); do
  rm -rf "$out/python_points"
  /usr/bin/python3 bench/baseline/sweep_baseline.py "$points" "$out/python_points" >> "$out/python"
  for c in "${configs[@]}"; do
    rm -rf "$out/results"
    # shellcheck disable=SC2086
    sweep "$out/results" "$points" $c >> "$out/times ${c}"
  done
  sweep "$out/results" "$points" -j 2 >> "$out/resume"
done
echo "sweeps of the case study without its report, $points points, median of $runs:"
for c in "${configs[@]}"; do
  t=$(median < "$out/times ${c}")
  awk -v t="$t" -v n="$points" -v c="$c" 'BEGIN {printf "  %-16s %7.3f s  %6.1f points/s\n", c, t, n / t}'
done
one=$(median < "$out/times -j 1")
two=$(median < "$out/times -j 2")
awk -v a="$one" -v b="$two" 'BEGIN {printf "  -j 2 / -j 1 speed-up: %.2f\n", a / b}'
python=$(median < "$out/python")
awk -v p="$python" -v t="$two" -v n="$points" 'BEGIN {printf "  Python stack, one process: %.1f points/s; rxflow -j 2 is %.1fx that\n", p, n / t / p}'
uncached=$(median < "$out/times -j 1 --no-cache")
awk -v a="$uncached" -v b="$one" 'BEGIN {printf "  stage cache speed-up at -j 1: %.2f\n", a / b}'
echo "  resume of $points complete points: $(median < "$out/resume") s"
for n in "$points" $((20 * points)); do
  rm -rf "$out/results"
  rss=$( { /usr/bin/time -f "%M" build/bin/rxflow sweep "$out/sweep.toml" --grid \
    cohort.alpha=0.4,0.6 --repeats $((n / 2)) "${same_work[@]}" -j 2 --no-report --quiet \
    --out "$out/results" > /dev/null; } 2>&1 | tail -1)
  echo "  max RSS of a $n-point sweep at -j 2: $((rss / 1024)) MiB"
done
# The results of the large sweep are complete: resuming it skips every point.
: > "$out/resume_large"
for i in $(seq "$runs"); do
  sweep "$out/results" $((20 * points)) -j 2 >> "$out/resume_large"
done
echo "  resume of $((20 * points)) complete points: $(median < "$out/resume_large") s"
