#!/usr/bin/env bash
# The neural stages against PyTorch, measured in the same run: rxflow's
# in-process benchmark (bench/nn_bench.cpp) and the PyTorch baseline
# (bench/baseline/nn_baseline.py, Debian's python3-torch), then the ratios.
#   bench/nn.sh [REPEATS]     (default 21; needs a build and python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-21}
ours=$(build/bin/rxflow_nn_bench "$repeats")
torch=$(/usr/bin/python3 bench/baseline/nn_baseline.py "$repeats")
echo "rxflow:"; echo "$ours" | sed 's/^/  /'
echo "pytorch:"; echo "$torch" | sed 's/^/  /'
value() { echo "$1" | awk -v k="$2" '$1 == k {print $2}'; }
level=$(value "$ours" kernel_level)
for l in sse2 avx2 avx512; do
  t=$(value "$ours" "case_study_training_ms_$l")
  [ -n "$t" ] || continue
  awk -v a="$(value "$torch" case_study_training_ms)" -v b="$t" -v l="$l" -v d="$level" \
    'BEGIN {printf "case-study training, %s kernels%s: rxflow %.1fx faster than PyTorch\n", l, (l == d ? " (default here)" : ""), a / b}'
done
awk -v a="$(value "$torch" decoder_forward_ms)" -v b="$(value "$ours" decoder_forward_ms)" \
  'BEGIN {printf "decoder forward: rxflow %.2fx the speed of PyTorch\n", a / b}'
awk -v g="$(value "$ours" large_epoch_gflops)" -v p="$(value "$ours" eigen_gemm_gflops)" -v k="$(value "$ours" kernel_gemm_gflops)" \
  'BEGIN {printf "large training epoch: %.2f GFLOP/s; GEMM peak (1024^3): Eigen %.2f, rxflow kernels %.2f GFLOP/s\n", g, p, k}'
