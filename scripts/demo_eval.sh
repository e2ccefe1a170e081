#!/usr/bin/env bash
# The evaluation half of `make demo`: MC and AJ (embedding judge) of SmolLM2-135M on the exported snapshots
# (the first DEMO_LIMIT test items per nation x set, to stay within minutes on 2 cores), a short DPO
# ablation (without CR / with CR / with CR + DPO), results back into the graph.
set -euo pipefail
OUT=$1
BIN=.venv/bin
SNAP=$OUT/snapshots
RES=$OUT/results
LIMIT=${DEMO_LIMIT:-4}
mkdir -p "$RES"
step() { local name=$1; shift; local t0=$SECONDS; "$@"; echo "  $name: $((SECONDS - t0))s"; }
step "MC (SmolLM2)" $BIN/navab-eval mc --data "$SNAP/with_cr" --model smollm2 --split test --limit "$LIMIT" --out "$RES/smollm2-mc" --quiet
step "AJ (SmolLM2, embedding judge)" $BIN/navab-eval aj --data "$SNAP/with_cr" --model smollm2 --judge embedding --split test --limit "$LIMIT" \
  --max-new-tokens "${DEMO_AJ_TOKENS:-24}" --out "$RES/smollm2-aj" --quiet
step "DPO ablation" $BIN/navab-train ablation --data-with-cr "$SNAP/with_cr" --data-without-cr "$SNAP/without_cr" --model smollm2 \
  --out "$RES/ablation" --config examples/demo_dpo.yaml --limit "${DEMO_ABLATION_LIMIT:-3}" --quiet
$BIN/navab-graph --quiet import-results "$RES/smollm2-mc" >/dev/null
$BIN/navab-graph --quiet import-results "$RES/smollm2-aj" >/dev/null
$BIN/navab-graph --quiet query model_summary
