#!/usr/bin/env bash
# make demo: the whole NaVAB pipeline end to end, offline, on the embedded engine and the bundled sample:
# five nations -> snapshots with and without CR -> MC + AJ (embedding judge) of SmolLM2-135M -> short DPO ->
# scores again -> report/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export NAVAB_DATA_DIR=${NAVAB_DATA_DIR:-.navab-demo}
export NAVAB_EVAL_CACHE=${NAVAB_EVAL_CACHE:-out/demo-eval-cache}  # a run of its own: nothing reused from earlier runs
export PYTHONWARNINGS=${PYTHONWARNINGS:-ignore::UserWarning}
OUT=${DEMO_OUT:-out/demo}
NATIONS="CN US GB FR DE"
SECONDS=0
rm -rf "$OUT" "$NAVAB_EVAL_CACHE" && mkdir -p "$OUT"
$BIN/python examples/generate.py --check
$BIN/navab-graph db reset --yes >/dev/null 2>&1 || true
args=()
for n in $NATIONS; do args+=(--nation "$n" "examples/data/$n.jsonl"); done
$BIN/navab-graph --quiet run "${args[@]}" --out "$OUT/snapshots"
echo "pipeline done in ${SECONDS}s"
bash scripts/demo_eval.sh "$OUT"
$BIN/navab-graph --quiet report --out report/ --results "$OUT/results"
echo "make demo finished in ${SECONDS}s: snapshots in $OUT/snapshots, results in $OUT/results, report/index.html"
