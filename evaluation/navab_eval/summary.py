"""Correct rates per condition x nation x set x method (x model, backend) from item results, each with n and a
95 % Wilson interval (navab_eval.stats)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from .stats import rate


def decided(item: dict[str, Any]) -> bool:
    """False for an AJ item whose judge gave no usable verdict: it is neither correct nor wrong."""
    return item.get("correct") is not None and item.get("verdict") != "invalid"


def summarize(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """-> {"items", "n", "correct", "correct_rate", "ci_low", "ci_high", "truncated", "invalid", "groups": [{model,
    backend, method, condition, nation, set, items, n, correct, correct_rate, ci_low, ci_high, truncated,
    invalid}, ...]} with groups sorted by model, method, condition, nation, set.

    ``n`` is the denominator of ``correct_rate``: items with a verdict. ``invalid`` counts AJ items whose judge
    failed; they are left out of n (neither correct nor wrong) and retried by the next run. ``items`` = n + invalid.
    """
    def empty() -> dict[str, int]:
        return {"items": 0, "n": 0, "correct": 0, "truncated": 0, "invalid": 0}

    groups: dict[tuple, dict[str, int]] = defaultdict(empty)
    total = empty()
    for it in items:
        key = (it.get("model"), it.get("backend"), it["method"], it.get("condition"), it["nation"], it["set"])
        ok = decided(it)
        for g in (groups[key], total):
            g["items"] += 1
            g["n"] += ok
            g["correct"] += ok and bool(it.get("correct"))
            g["truncated"] += bool(it.get("truncated"))
            g["invalid"] += not ok
    out_groups = []
    for (model, backend, method, condition, nation, set_name), g in sorted(
            groups.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
        out_groups.append({"model": model, "backend": backend, "method": method, "condition": condition,
                           "nation": nation, "set": set_name, "items": g["items"], "truncated": g["truncated"],
                           "invalid": g["invalid"], **rate(g["correct"], g["n"])})
    return {"items": total["items"], "truncated": total["truncated"], "invalid": total["invalid"],
            **rate(total["correct"], total["n"]), "groups": out_groups}
