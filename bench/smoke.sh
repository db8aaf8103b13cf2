#!/usr/bin/env bash
# Benchmark of the smoke workflow (embeddings -> cohort) as a whole process,
# at n = 1,000 and n = 1,000,000 patients: median wall time, median peak
# memory (max RSS), the store's share of the run (store_seconds / seconds,
# as the run file records them), and the run file's size.
#   bench/smoke.sh [RUNS]      (default 7 runs per size; needs a build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
rxflow=build/bin/rxflow
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf "%-10s %-6s %-12s %-14s %-12s %-12s %s\n" n runs wall_s max_rss_MB store_share run_file_MB rss/data
for n in 1000 1000000; do
  : > "$out/wall" ; : > "$out/rss" ; : > "$out/share"
  for _ in $(seq "$runs"); do
    file=$(/usr/bin/time -f "%e %M" -o "$out/time" "$rxflow" run workflows/smoke.toml --quiet \
             --set cohort.n=$n --out "$out/results")
    read -r wall rss < "$out/time"
    echo "$wall" >> "$out/wall"
    echo "$rss" >> "$out/rss"
    "$rxflow" show "$file" | awk '$1 == "seconds" {s=$2} $1 == "store_seconds" {t=$2} END {print t / s}' >> "$out/share"
    size=$(stat -c %s "$file")
    rm -f "$file"
  done
  rss_mb=$(median < "$out/rss" | awk '{print $1 / 1024}')
  printf "%-10s %-6s %-12s %-14.1f %-12.3f %-12.1f %.2f\n" "$n" "$runs" "$(median < "$out/wall")" \
    "$rss_mb" "$(median < "$out/share")" "$(echo "$size" | awk '{print $1 / 1048576}')" \
    "$(echo "$rss_mb $size" | awk '{print $1 / ($2 / 1048576)}')"
done
# The machine's ceiling for the store: buffered sequential writes of the same size.
sync
dd if=/dev/zero of="$out/dd" bs=1M count=115 2>&1 | tail -1 | sed 's/^/page-cache write ceiling (dd 115 MiB): /'
