#!/usr/bin/env bash
# Benchmark of verify and replay.
# - verify on a run holding about 1 GB of artifact values (the smoke workflow
#   at n = 8,500,000 patients): bytes rehashed per second of wall time,
#   against the machine's SHA-256 throughput (`openssl speed`, same loop).
# - replay against the original run, for that run and for the case study:
#   wall times, and the comparison's own cost (replay wall time minus the
#   seconds its new run file records for the run itself).
# Commands are interleaved, each after a sync so none pays for the dirty
# pages of another, and run and replay take turns going first.
#   bench/audit.sh [RUNS]      (default 5 runs each; needs a build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
n=${N:-8500000}
rxflow=build/bin/rxflow
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
wall() { /usr/bin/time -f "%e" -o "$out/time" "$@" > "$out/stdout"; cat "$out/time"; }
recorded_seconds() { "$rxflow" show "$1" | awk '$1 == "seconds" {print $2}'; }

# measure NAME WORKFLOW ARGS...: one original run (kept), then, in an order
# that alternates between calls, a timed run and a timed replay of the
# original, each after a sync; appends wall times to $out/NAME.*
flip=0
measure() {
  local name=$1 workflow=$2 original replayed step
  shift 2
  rm -rf "$out/results" "$out/replays" "$out/again"
  "$rxflow" run "$workflow" --quiet --out "$out/results" "$@" > "$out/original"
  original=$(cat "$out/original")
  if [ "$name" = big ]; then
    sync
    wall "$rxflow" verify "$original" >> "$out/verify"
    grep -q '^OK' "$out/stdout"
    sed -n 's/.*(\([0-9.]*\) MB of values).*/\1/p' "$out/stdout" > "$out/mb"
    openssl speed -seconds 2 -bytes 8388608 -evp sha256 2>/dev/null |
      awk '$1 == "sha256" {sub("k", "", $2); print $2 * 1000}' >> "$out/openssl"
  fi
  flip=$((1 - flip))
  for step in $([ "$flip" = 1 ] && echo "run replay" || echo "replay run"); do
    sync
    if [ "$step" = run ]; then
      wall "$rxflow" run "$workflow" --quiet --out "$out/again" "$@" >> "$out/$name.run"
    else
      wall "$rxflow" replay "$original" --quiet --out "$out/replays" >> "$out/$name.replay"
      grep -q "artifacts identical" "$out/stdout"
      replayed=$(sed -n '2s/^ *as //p' "$out/stdout")
      echo "$(tail -1 "$out/$name.replay") $(recorded_seconds "$replayed")" |
        awk '{print $1 - $2}' >> "$out/$name.compare"
    fi
  done
}

for _ in $(seq "$runs"); do
  measure big workflows/smoke.toml --set cohort.n=$n
  measure case workflows/case_study.toml
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $runs runs each, medians"
awk -v mb="$(cat "$out/mb")" -v v="$(median < "$out/verify")" -v s="$(median < "$out/openssl")" 'BEGIN {
  printf "verify %.0f MB of values: %.3f s, %.0f MB/s; openssl sha256 %.0f MB/s; verify/openssl = %.2f\n",
         mb, v, mb / v, s / 1e6, mb * 1e6 / v / s }'
for name in big case; do
  awk -v name="$name" -v r="$(median < "$out/$name.run")" -v p="$(median < "$out/$name.replay")" \
      -v c="$(median < "$out/$name.compare")" 'BEGIN {
    printf "%-5s run %.3f s; replay %.3f s (of which comparison and checks %.3f s); replay/run = %.2f\n",
           name, r, p, c, p / r }'
done
