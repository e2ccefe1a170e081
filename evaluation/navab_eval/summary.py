"""Correct rates per nation x set x method (x model, backend) from item results."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable


def summarize(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """-> {"n", "correct_rate", "truncated", "invalid", "groups": [{nation, set, method, model, backend, n,
    correct, correct_rate, truncated, invalid}, ...]} with groups sorted by model, method, nation, set.

    `invalid` counts AJ items whose judge gave no usable verdict (counted as not correct)."""
    groups: dict[tuple, dict[str, Any]] = defaultdict(lambda: {"n": 0, "correct": 0, "truncated": 0, "invalid": 0})
    total = {"n": 0, "correct": 0, "truncated": 0, "invalid": 0}
    for it in items:
        key = (it.get("model"), it.get("backend"), it["method"], it["nation"], it["set"])
        for g in (groups[key], total):
            g["n"] += 1
            g["correct"] += bool(it.get("correct"))
            g["truncated"] += bool(it.get("truncated"))
            g["invalid"] += it.get("verdict") == "invalid"
    out_groups = []
    for (model, backend, method, nation, set_name), g in sorted(groups.items(), key=lambda kv: tuple(
            str(x) for x in kv[0])):
        out_groups.append({"model": model, "backend": backend, "method": method, "nation": nation, "set": set_name,
                           **g, "correct_rate": g["correct"] / g["n"]})
    return {"n": total["n"], "correct_rate": total["correct"] / total["n"] if total["n"] else None,
            "truncated": total["truncated"], "invalid": total["invalid"], "groups": out_groups}
