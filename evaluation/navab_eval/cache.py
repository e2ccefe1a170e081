"""On-disk caches: per-item results (one JSONL per run configuration) and judge replies (one JSON per key).

Keys are sha256 digests of everything the result depends on, so a changed input or setting misses the cache.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .models import cache_dir


def digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def record_key(record: Any) -> str:
    """Identity of an item's content: id plus the texts that are scored."""
    return digest([record.id, record.question, record.statement, record.reverse_statement, record.language])


def split_cached(records: Any, cache: "ItemCache | None") -> tuple[list[Any], list[int]]:
    """Results list with cached items filled in (None elsewhere), and the indices still to compute."""
    results: list[Any] = [None] * len(records)
    todo = []
    for i, r in enumerate(records):
        hit = cache.get(record_key(r)) if cache else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    return results, todo


class ItemCache:
    """Append-only JSONL of item results for one configuration (method, model, backend, settings)."""

    def __init__(self, config: dict[str, Any], root: Path | None = None):
        self.path = (root or cache_dir()) / "items" / f"{digest(config)[:24]}.jsonl"
        self._items: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a line cut by an interrupted run; that item is recomputed
                    self._items[row["key"]] = row["item"]

    def get(self, key: str) -> dict[str, Any] | None:
        return self._items.get(key)

    def put_many(self, pairs: list[tuple[str, dict[str, Any]]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            for key, item in pairs:
                self._items[key] = item
                f.write(json.dumps({"key": key, "item": item}, ensure_ascii=False) + "\n")


class JudgeCache:
    """Judge verdicts keyed by (judge model, prompt messages); a re-run makes no HTTP call."""

    def __init__(self, root: Path | None = None):
        self.dir = (root or cache_dir()) / "judge"

    def key(self, judge: str, messages: Any) -> str:
        return digest({"judge": judge, "messages": messages})

    def get(self, key: str) -> dict[str, Any] | None:
        path = self.dir / f"{key}.json"
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                return None
        return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.dir / f"{key}.json")
