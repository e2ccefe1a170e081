#!/usr/bin/env bash
# The evaluation half of `make demo`: MC and AJ (embedding judge) of SmolLM2-135M on the exported snapshots
# (the first DEMO_LIMIT test items per nation x set, to stay within minutes on 2 cores), a short DPO
# ablation (without CR / with CR / with CR + DPO), results back into the graph.
set -euo pipefail
OUT=$1
BIN=.venv/bin
SNAP=$OUT/snapshots
RES=$OUT/results
LIMIT=${DEMO_LIMIT:-6}
mkdir -p "$RES"
$BIN/navab-eval mc --data "$SNAP/with_cr" --model smollm2 --split test --limit "$LIMIT" --out "$RES/smollm2-mc" --quiet
$BIN/navab-eval aj --data "$SNAP/with_cr" --model smollm2 --judge embedding --split test --limit "$LIMIT" \
  --max-new-tokens "${DEMO_AJ_TOKENS:-24}" --out "$RES/smollm2-aj" --quiet
$BIN/navab-train ablation --data-with-cr "$SNAP/with_cr" --data-without-cr "$SNAP/without_cr" --model smollm2 \
  --out "$RES/ablation" --config examples/demo_dpo.yaml --limit "$LIMIT" --quiet
$BIN/navab-graph --quiet import-results "$RES/smollm2-mc"
$BIN/navab-graph --quiet import-results "$RES/smollm2-aj"
