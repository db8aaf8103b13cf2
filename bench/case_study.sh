#!/usr/bin/env bash
# The whole case study, process start to report written: rxflow against the
# paper's own stack (bench/baseline/case_study_baseline.py: NumPy, PyTorch,
# scikit-learn, matplotlib), alternating, median of RUNS each, and the ratio.
#   bench/case_study.sh [RUNS]    (default 9; needs a build, python3-torch,
#                                  python3-sklearn and python3-matplotlib)
# With BASELINE_BUILD=DIR (another rxflow's build folder, e.g. an older commit
# built with `git worktree`), that rxflow runs in the same rounds too, on its
# own checkout's case study (before cross-fitting: one training).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# timed FILE COMMAND...: appends the command's wall time in seconds (microseconds resolution).
timed() {
  local file=$1 start end
  shift
  start=$EPOCHREALTIME
  "$@" > /dev/null
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f\n", b - a}' >> "$file"
}
# The baseline's work: one training, isotonic on the validation fold. The
# case study as shipped (5-fold cross-fitting, 20 repeats) is timed too.
same_work=(--set train.cv=0 --set train.repeats=1)
: > "$out/rxflow"; : > "$out/python"; : > "$out/baseline"; : > "$out/full"
for i in $(seq "$runs"); do
  timed "$out/rxflow" build/bin/rxflow run workflows/case_study.toml "${same_work[@]}" --quiet \
    --out "$out/results"
  if [ -n "${BASELINE_BUILD:-}" ]; then
    (cd "$BASELINE_BUILD/.." && timed "$out/baseline" "$BASELINE_BUILD/bin/rxflow" run \
      workflows/case_study.toml --quiet --out "$out/baseline_results")
  fi
  timed "$out/full" build/bin/rxflow run workflows/case_study.toml --quiet --out "$out/results"
  timed "$out/python" /usr/bin/python3 bench/baseline/case_study_baseline.py "$out/python_report_$i"
done
rxflow=$(median < "$out/rxflow")
python=$(median < "$out/python")
echo "case study, whole process, median of $runs: rxflow ${rxflow} s, Python stack ${python} s"
awk -v a="$python" -v b="$rxflow" 'BEGIN {printf "rxflow is %.1fx faster end to end\n", a / b}'
echo "the case study as shipped (cv = 5, repeats = 20: 120 trainings), median: $(median < "$out/full") s"
if [ -n "${BASELINE_BUILD:-}" ]; then
  baseline=$(median < "$out/baseline")
  awk -v a="$python" -v b="$baseline" -v c="$rxflow" 'BEGIN {printf "baseline rxflow %s s: %.1fx the Python stack; this rxflow / baseline = %.2f\n", b, a / b, c / b}'
fi
