"""Status of a nation: per-stage counts and the items whose LLM call failed."""
from __future__ import annotations

from typing import Any

from navab_loaders import check_nation

from ..store import GraphStore, run_named


def status(store: GraphStore, nation: str, *, max_failures: int = 50) -> dict[str, Any]:
    nation = check_nation(nation)
    counts = run_named(store, "status/counts", {"nation": nation}, write=False)
    failures = run_named(store, "status/failures", {"nation": nation}, write=False)
    return {"nation": nation, "counts": counts[0] if counts else {}, "failures": failures[:max_failures],
            "failures_total": len(failures)}
