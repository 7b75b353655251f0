#!/usr/bin/env bash
# Time `rlct exact` on every row of tests/data/cases.tsv (release build) and print a
# table: id, status, answer, median wall seconds over N runs (default 5).
# Usage: bench/table.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet
bin=target/release/rlct
printf '%-28s %-7s %-14s %10s\n' id status answer median_s
total_start=$(date +%s.%N)
tail -n +2 tests/data/cases.tsv | while IFS=$'\t' read -r id kind input weight lambda m source; do
  args=(exact "--$kind" "$input" --json)
  [ "$weight" != "-" ] && args+=(--weight "$weight")
  times=()
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); out=$("$bin" "${args[@]}"); e=$(date +%s.%N)
    times+=("$(awk -v a="$s" -v b="$e" 'BEGIN{print b-a}')")
  done
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  status=$(echo "$out" | sed -n 's/.*"status": "\([a-z]*\)".*/\1/p')
  if [ "$status" = exact ]; then
    ans="$(echo "$out" | sed -n 's/.*"lambda": "\([^"]*\)".*/\1/p' | head -1),m=$(echo "$out" | sed -n 's/.*"multiplicity": \([0-9]*\).*/\1/p')"
  else
    ans="[$(echo "$out" | sed -n 's/.*"lower": "\([^"]*\)".*/\1/p'),$(echo "$out" | sed -n 's/.*"upper": "\([^"]*\)".*/\1/p')]"
  fi
  printf '%-28s %-7s %-14s %10.4f\n' "$id" "$status" "$ans" "$med"
done
total_end=$(date +%s.%N)
printf 'whole file, %s runs per row: %.2f s wall\n' "$runs" "$(awk -v a="$total_start" -v b="$total_end" 'BEGIN{print b-a}')"
