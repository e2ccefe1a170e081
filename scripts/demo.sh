#!/usr/bin/env bash
# make demo: the whole pipeline end to end, offline, on the embedded engine (filled in by the end-to-end issue).
set -euo pipefail
echo "navab-graph demo: not yet (the end-to-end pipeline lands with issue 9)"
.venv/bin/navab-graph --help >/dev/null
