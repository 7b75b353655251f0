#!/usr/bin/env bash
# Monte Carlo accuracy table (issue 5): `rlct mc`'s SMC estimate on every reference case
# with at most 12 variables (tests/data/cases.tsv) against the exact λ, with λ̂, stderr,
# relative error, m, m̂, the largest β reached and wall seconds (release build).
# Usage: bench/mc_table.sh [BUDGET_SECS] [SEED] [--particles N --replicates R …]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example mc_table
target/release/examples/mc_table --budget "${1:-20}" --seed "${2:-1}" "${@:3}"
