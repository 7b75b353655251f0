#!/usr/bin/env bash
# Estimator-bias table (issue 5): SGLD local learning coefficient (devinterp settings),
# the same estimator with a perfect sampler, and WBIC, against the exact λ from the engine,
# for reduced-rank regression, tanh networks with H = 1, 2 and deep linear networks — or,
# when model files are given, for those (`rlct estimators MODEL.toml`).
# Usage: bench/estimators.sh [N] [SEED] [LOCALIZATION] [MODEL.toml …]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
n=${1:-10000}; seed=${2:-1}; gamma=${3:-100}
shift $(( $# < 3 ? $# : 3 ))
settings=(--n "$n" --seed "$seed" --step 1e-4 --localization "$gamma" --particles 256 --replicates 4)
if [ $# -gt 0 ]; then
  for model in "$@"; do
    target/release/rlct estimators "$model" "${settings[@]}"
    echo
  done
  exit 0
fi
for family in "--family rrr --inputs 2 --hidden 2 --outputs 2" "--family tanh --hidden 1" \
              "--family tanh --hidden 2" "--family dln --widths 1,1,1,1" "--family dln --widths 1,2,2,1"; do
  # shellcheck disable=SC2086
  target/release/rlct estimators $family "${settings[@]}"
  echo
done
