"""Correct rates per condition x nation x set x method (x model, backend) from item results, each with n and a
95 % Wilson interval (navab_eval.stats)."""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path
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


def check_outputs(folder: str | Path) -> None:
    """Raise ValueError (naming the folder) when its items.jsonl is not the one its summary.json was written
    with: sha256 recorded in the summary (``items_sha256``), or the item count for summaries written before it.
    A run killed between the two writes, or a file copied over, would otherwise be read as one result."""
    folder = Path(folder)
    items, summary = folder / "items.jsonl", folder / "summary.json"
    if not (items.is_file() and summary.is_file()):
        return  # a lone file: nothing to compare it with
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{summary}: invalid JSON ({e})") from e
    raw = items.read_bytes()
    expected = data.get("items_sha256")
    if expected is not None:
        actual = hashlib.sha256(raw).hexdigest()
        problem = None if actual == expected else f"items.jsonl sha256 {actual[:12]}, summary.json {expected[:12]}"
    else:
        count = sum(1 for line in raw.decode("utf-8", "replace").splitlines() if line.strip())
        problem = None if count == data.get("items") else \
            f"items.jsonl holds {count} items, summary.json {data.get('items')}"
    if problem:
        raise ValueError(f"{folder}: items.jsonl and summary.json disagree ({problem}): a run was interrupted "
                         "while writing them or one file was replaced; re-run the evaluation into this folder")
