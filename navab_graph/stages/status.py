"""Status of a nation: per-stage counts, what each stage's last run was (and what made it), what is stale or
pending per stage (navab_graph.lineage), and the items whose LLM call failed."""
from __future__ import annotations

from typing import Any

from navab_loaders import check_nation

from ..lineage import assess
from ..store import GraphStore, run_named


def _int(v: Any) -> Any:
    """FalkorDB's sum() returns floats; a count is a whole number."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def status(store: GraphStore, nation: str, *, max_failures: int = 50) -> dict[str, Any]:
    nation = check_nation(nation)
    counts = run_named(store, "status/counts", {"nation": nation}, write=False)
    failures = run_named(store, "status/failures", {"nation": nation}, write=False)
    a = assess(store, nation)
    stages = a["stages"]
    demo = sorted(s for s, r in stages.items() if r.get("provider") == "rules" and r.get("last_run"))
    return {"nation": nation, "counts": {k: _int(v) for k, v in (counts[0] if counts else {}).items()},
            "stages": stages, "conflict_reduction": {k: v for k, v in a["reduce"].items() if k != "counts"},
            "demo_quality": bool(demo), "demo_stages": demo,
            "failures": failures[:max_failures], "failures_total": len(failures)}


def stage_rows(rep: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-stage table of `navab-graph status`."""
    rows = []
    for s, r in rep["stages"].items():
        by = r.get("provider") or ""
        if r.get("model"):
            by += f":{r['model']}"
        if r.get("prompt_version"):
            by += f" (prompts {r['prompt_version']})"
        if r.get("provider") == "rules":
            by += " (demo quality)"
        rows.append({"stage": s, "last run": r.get("last_run") or "-", "finished": r.get("finished_at") or "-",
                     "made by": by or "-", "stale": r["stale"], "pending": r["pending"], "note": r["note"]})
    return rows


def demo_line(rep: dict[str, Any]) -> str | None:
    if not rep.get("demo_quality"):
        return None
    return (f"{rep['nation']}: {', '.join(rep['demo_stages'])} made by the offline rules provider (no LLM): "
            "demo quality, not a benchmark to publish; set [llm] base_url and re-run")
