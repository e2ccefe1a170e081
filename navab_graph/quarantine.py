"""Quarantine: bad records are written here with file, position, reason and their raw text; nothing is lost.

One JSON object a line in `<data_dir>/quarantine.jsonl` (mode 0600: it holds article text):
{stage, file, where, reason, record, [record_chars], [kept], at}. `record` is the raw text as read (a JSONL
line, CSV lines, a JSON item), cut to RAW_LIMIT characters (`record_chars` then gives the full length);
`kept: true` marks a record that was loaded anyway and only flagged (e.g. a date that cannot be read).
"""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

RAW_LIMIT = 2000


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
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.fchmod(fd, 0o600)  # also a file an older version left readable by others
            self._f = open(fd, "a", encoding="utf-8")
        raw = record if record is None or isinstance(record, str) else json.dumps(record, ensure_ascii=False,
                                                                                   default=str)
        row = {"stage": self.stage, "file": file, "where": where, "reason": reason, "record": raw}
        if raw is not None and len(raw) > RAW_LIMIT:
            row["record"], row["record_chars"] = raw[:RAW_LIMIT], len(raw)
        row.update(extra)
        row["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        line = json.dumps(row, ensure_ascii=False)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in a bad record: written as an escape, never an error
            line = json.dumps(row, ensure_ascii=True)
        self._f.write(line + "\n")
        self.count += 1

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
