"""On-disk embedding cache: sqlite keyed by (model, sha256(text)); float32 blobs."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from ..config import private_path


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path):
        private_path(path)  # 600: it holds hashes of article text
        self.db = sqlite3.connect(str(path), timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))")

    def get_many(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        keys = {_key(t): t for t in texts}
        out: dict[str, np.ndarray] = {}
        items = list(keys)
        for i in range(0, len(items), 900):
            chunk = items[i:i + 900]
            q = f"SELECT key, vec FROM emb WHERE model=? AND key IN ({','.join('?' * len(chunk))})"
            for k, blob in self.db.execute(q, [model, *chunk]):
                out[keys[k]] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_many(self, model: str, texts: list[str], vecs: np.ndarray) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)",
                                [(model, _key(t), np.asarray(v, np.float32).tobytes()) for t, v in zip(texts, vecs)])
