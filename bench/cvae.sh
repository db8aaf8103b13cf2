#!/usr/bin/env bash
# The image generator's training against PyTorch, per epoch, in the same
# run: cvae_trainer in workflows/case_study_trained_image.toml (2000
# phantoms, batch 32, float32, one thread: a stage runs on one) against
# bench/baseline/cvae_baseline.py (the same model, loss, Adam, batch size,
# rows and dtype, torch.set_num_threads(1)), alternating for ROUNDS rounds.
# rxflow's epoch is (stage time at 2 epochs - at 1 epoch): the set-up, the
# phantoms and the untrained model's quality cancel out, its per-epoch
# quality measure stays in. PyTorch's is the median of EPOCHS timed epochs.
# Prints each round's figures and ratio, then the medians over the rounds.
#   bench/cvae.sh [ROUNDS [EPOCHS]]   (default 3 and 1; needs a build and python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
epochs=${2:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# trainer_seconds EPOCHS: the train_image stage's time in a run of the workflow.
trainer_seconds() {
  build/bin/rxflow run workflows/case_study_trained_image.toml --set "train_image.epochs=$1" \
    --out "$out/runs" 2>&1 >/dev/null | awk '$1 == "stage" && $2 == "train_image" {print $4}'
}
: > "$out/rxflow"; : > "$out/torch"; : > "$out/ratio"
for round in $(seq "$rounds"); do
  one=$(trainer_seconds 1)
  two=$(trainer_seconds 2)
  ours=$(awk -v a="$one" -v b="$two" 'BEGIN {printf "%.3f", b - a}')
  torch=$(/usr/bin/python3 bench/baseline/cvae_baseline.py 2000 "$epochs" 1 float32 |
    awk '$1 == "cvae_epoch_s" {print $2}')
  ratio=$(awk -v a="$torch" -v b="$ours" 'BEGIN {printf "%.2f", a / b}')
  echo "round $round: rxflow ${ours} s per epoch (stage ${one} s at 1 epoch, ${two} s at 2)," \
    "pytorch ${torch} s per epoch: ${ratio}x"
  echo "$ours" >> "$out/rxflow"; echo "$torch" >> "$out/torch"; echo "$ratio" >> "$out/ratio"
done
echo "medians over $rounds rounds: rxflow $(median < "$out/rxflow") s per epoch," \
  "pytorch $(median < "$out/torch") s per epoch, ratio $(median < "$out/ratio")x" \
  "(torch threads 1; the CPU has avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no))"
