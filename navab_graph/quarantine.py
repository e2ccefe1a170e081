"""Quarantine: bad records are written here with file, position and reason; nothing is lost."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any


class Quarantine:
    def __init__(self, data_dir: Path, stage: str):
        self.path = Path(data_dir) / "quarantine.jsonl"
        self.stage = stage
        self.count = 0
        self._f = None
        self._lock = threading.Lock()

    def add(self, *, file: str | None, where: str | None, reason: str, record: Any = None, **extra: Any) -> None:
        with self._lock:
            self._add(file, where, reason, record, extra)

    def _add(self, file, where, reason, record, extra) -> None:
        if self._f is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._f = open(self.path, "a", encoding="utf-8")
        raw = record if record is None or isinstance(record, str) else json.dumps(record, ensure_ascii=False,
                                                                                   default=str)
        row = {"stage": self.stage, "file": file, "where": where, "reason": reason,
               "record": raw[:4000] if isinstance(raw, str) else raw,
               "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **extra}
        self._f.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
