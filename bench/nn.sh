#!/usr/bin/env bash
# The neural stages against PyTorch, measured in the same run: rxflow's
# in-process benchmark (bench/nn_bench.cpp) and the PyTorch baseline
# (bench/baseline/nn_baseline.py, Debian's python3-torch), alternating for
# ROUNDS rounds, then each round's ratios and their median over the rounds
# (a noisy neighbour on a shared machine slows one side of one round).
#   bench/nn.sh [REPEATS [ROUNDS]]   (default 21 and 3; needs a build and python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-21}
rounds=${2:-3}
value() { echo "$1" | awk -v k="$2" '$1 == k {print $2}'; }
ratios=""
for round in $(seq "$rounds"); do
  ours=$(build/bin/rxflow_nn_bench "$repeats")
  torch=$(/usr/bin/python3 bench/baseline/nn_baseline.py "$repeats")
  echo "round $round, rxflow:"; echo "$ours" | sed 's/^/  /'
  echo "round $round, pytorch:"; echo "$torch" | sed 's/^/  /'
  level=$(value "$ours" kernel_level)
  torch_ms=$(value "$torch" case_study_training_ms)
  for dtype in float32 float64; do
    for l in sse2 avx2 avx512; do
      t=$(value "$ours" "case_study_training_ms_${dtype}_$l")
      [ -n "$t" ] || continue
      default=""; [ "$l" != "$level" ] || default=" (default here)"
      name="case-study training, $dtype, $l kernels$default, x faster than PyTorch (float32)"
      ratios+="$name|$(awk -v a="$torch_ms" -v b="$t" 'BEGIN {printf "%.1f", a / b}')"$'\n'
    done
  done
  ratios+="decoder forward, x the speed of PyTorch|$(awk -v a="$(value "$torch" decoder_forward_ms)" \
    -v b="$(value "$ours" decoder_forward_ms)" 'BEGIN {printf "%.2f", a / b}')"$'\n'
  for dtype in float64 float32; do
    echo "large training epoch, $dtype: $(value "$ours" "large_epoch_gflops_$dtype") GFLOP/s;" \
      "GEMM peak (1024^3): Eigen $(value "$ours" "eigen_gemm_gflops_$dtype")," \
      "rxflow kernels $(value "$ours" "kernel_gemm_gflops_$dtype") GFLOP/s"
  done
done
echo "ratios per round, and their median:"
printf '%s' "$ratios" | awk -F'|' '
  { if (!($1 in n)) order[++count] = $1; values[$1, ++n[$1]] = $2 }
  END {
    for (i = 1; i <= count; ++i) {
      k = order[i]; m = n[k]; list = ""
      for (j = 1; j <= m; ++j) { v[j] = values[k, j] + 0; list = list (j > 1 ? " " : "") values[k, j] }
      for (a = 1; a <= m; ++a) for (b = a + 1; b <= m; ++b) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
      printf "  %s: %s (rounds: %s)\n", k, v[int((m + 1) / 2)], list
    }
  }'
