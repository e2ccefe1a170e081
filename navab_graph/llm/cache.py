"""On-disk cache of LLM results: sqlite, keyed by sha256(model, step, rendered messages); also what each
endpoint's structured-output methods did (so a re-run starts with the method that works).

Our own (not langchain's SQLiteCache) because it stores the *validated* structured result: a malformed or
invalid reply is never cached, so a re-run retries exactly the failed items and makes no call for the rest.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

from ..config import private_path


def cache_key(model: str, step: str, messages: list[tuple[str, str]]) -> str:
    blob = json.dumps([model, step, messages], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResultCache:
    def __init__(self, path: Path) -> None:
        private_path(path)  # 600: it holds article text
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, step TEXT, value TEXT)")
        # which structured-output methods work at an endpoint (navab_graph.llm.structured.MethodBook)
        self._db.execute("CREATE TABLE IF NOT EXISTS methods (endpoint TEXT PRIMARY KEY, book TEXT)")
        self._db.commit()

    def get(self, key: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, step: str, value: dict) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                             (key, step, json.dumps(value, ensure_ascii=False)))
            self._db.commit()

    def get_methods(self, endpoint: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT book FROM methods WHERE endpoint = ?", (endpoint,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_methods(self, endpoint: str, book: dict) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO methods VALUES (?, ?)", (endpoint, json.dumps(book)))
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()
