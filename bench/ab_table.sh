#!/usr/bin/env bash
# A/B timing of two rlct binaries on every row of tests/data/cases.tsv: the binaries
# alternate run by run (fair on a loaded machine); prints the median wall seconds of each
# per row and the sums of the medians.
# Usage: bench/ab_table.sh BIN_A BIN_B [RUNS]   (default 3 runs)
A=$1; B=$2; runs=${3:-3}
cd "$(dirname "$0")/.."
tail -n +2 tests/data/cases.tsv | while IFS=$'\t' read -r id kind input weight lambda m source; do
  args=(exact "--$kind" "$input" --json)
  [ "$weight" != "-" ] && args+=(--weight "$weight")
  a=(); b=()
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$A" "${args[@]}" >/dev/null; e=$(date +%s.%N); a+=("$(awk -v a="$s" -v b="$e" 'BEGIN{print b-a}')")
    s=$(date +%s.%N); "$B" "${args[@]}" >/dev/null; e=$(date +%s.%N); b+=("$(awk -v a="$s" -v b="$e" 'BEGIN{print b-a}')")
  done
  ma=$(printf '%s\n' "${a[@]}" | sort -g | awk '{x[NR]=$1} END {print x[int((NR+1)/2)]}')
  mb=$(printf '%s\n' "${b[@]}" | sort -g | awk '{x[NR]=$1} END {print x[int((NR+1)/2)]}')
  printf '%-28s %8.4f %8.4f\n' "$id" "$ma" "$mb"
done | awk '{print; sa+=$2; sb+=$3} END {printf "%-28s %8.3f %8.3f\n", "sum of medians", sa, sb}'
