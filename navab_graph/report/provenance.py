"""Honest labels: what made a nation's statements, triples and screening, and whether that makes the benchmark
demo quality (the offline rule-based provider is not an LLM).

Two sources, both shown: the StageRun nodes the pipeline records (navab_graph/lineage.py: `provider` = rules |
openai, `model`, `prompt_version`, `demo_quality`; the latest run of each stage counts), and the stamps on the
data itself (Statement.extracted_by / constructed_by / reverse_by =
"rules" or "openai:<model>", Topic.screened_by = rules | llm | human).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..store import GraphStore, run_named

LLM_STAGES = ("topics", "screen", "extract", "construct")  # lineage.LLM_STAGES; others count when they name one


def _is_rules(value: Any) -> bool:
    return isinstance(value, str) and value.split(":", 1)[0].strip().lower() == "rules"


def _when(at: Any) -> str:
    if isinstance(at, (int, float)) and at > 1e17:  # set_mark stores epoch nanoseconds
        return datetime.fromtimestamp(at / 1e9, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "" if at is None else str(at)


def read_provenance(store: GraphStore, nations: list[str]) -> dict[str, dict[str, Any]]:
    """{nation: {stages: [...], makers: [...], screened: {...}, demo: bool, demo_reasons: [...]}}"""
    p = {"nations": nations or None}
    out: dict[str, dict[str, Any]] = {n: {"stages": [], "makers": [], "screened": {}, "demo_reasons": []}
                                      for n in nations}
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for r in run_named(store, "report/stage_runs", p, write=False):
        if r["nation"] not in out or not (r["stage"] in LLM_STAGES or r.get("provider")):
            continue
        # a finished run over a started / failed one, then the most recent
        key = (r["state"] in (None, "done"), r.get("at") or r.get("started_ns") or 0)
        old = latest.get((r["nation"], r["stage"]))
        if old is None or key > old["_key"]:
            latest[(r["nation"], r["stage"])] = {**r, "_key": key}
    for (nation, _), r in sorted(latest.items()):
        r.pop("_key")
        out[nation]["stages"].append({**r, "at": r.get("finished_at") or _when(r.get("at")),
                                      "recorded": bool(r.get("provider"))})
    for r in run_named(store, "report/statement_makers", p, write=False):
        if r["nation"] in out:
            out[r["nation"]]["makers"].append(r)
    for r in run_named(store, "report/topic_screeners", p, write=False):
        if r["nation"] in out:
            out[r["nation"]]["screened"][r["screened_by"]] = r["topics"]
    for n, d in out.items():
        reasons = d["demo_reasons"]
        rules_stages = sorted({s["stage"] for s in d["stages"]
                               if _is_rules(s.get("provider")) or s.get("demo_quality")})
        if rules_stages:
            reasons.append(f"stage run(s) {', '.join(rules_stages)} used the offline rules provider")
        for field, what in (("extracted_by", "extracted"), ("constructed_by", "given a question / source kind"),
                            ("reverse_by", "given a reverse statement")):
            k = sum(m["statements"] for m in d["makers"] if _is_rules(m.get(field)))
            if k:
                reasons.append(f"{k} statement(s) {what} by the offline rules provider")
        if d["screened"].get("rules"):
            reasons.append(f"{d['screened']['rules']} topic(s) screened by the offline value lexicon")
        d["demo"] = bool(reasons)
        d["stages_recorded"] = any(s["recorded"] for s in d["stages"])
    return out
