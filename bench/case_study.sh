#!/usr/bin/env bash
# The whole case study, process start to report written: rxflow against the
# paper's own stack (bench/baseline/case_study_baseline.py: NumPy, PyTorch,
# scikit-learn, matplotlib), alternating, median of RUNS each, and the ratio.
#   bench/case_study.sh [RUNS]    (default 9; needs a build, python3-torch,
#                                  python3-sklearn and python3-matplotlib)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: > "$out/rxflow"; : > "$out/python"
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e" -a -o "$out/rxflow" build/bin/rxflow run workflows/case_study.toml --quiet \
    --out "$out/results" > /dev/null
  /usr/bin/time -f "%e" -a -o "$out/python" /usr/bin/python3 bench/baseline/case_study_baseline.py \
    "$out/python_report_$i" > /dev/null
done
rxflow=$(median < "$out/rxflow")
python=$(median < "$out/python")
echo "case study, whole process, median of $runs: rxflow ${rxflow} s, Python stack ${python} s"
awk -v a="$python" -v b="$rxflow" 'BEGIN {printf "rxflow is %.1fx faster end to end\n", a / b}'
