"""Writing snapshot files: explicit schema, fixed options, temp file + rename (atomic on one filesystem)."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .schema import COLUMNS, SCHEMA

# Fixed writer options: a pyarrow default that changes between versions must not change our bytes silently.
_PARQUET_OPTS = dict(compression="zstd", compression_level=3, use_dictionary=True, write_statistics=True,
                     version="2.6", data_page_version="1.0", row_group_size=1 << 20)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tmp_in(directory: Path, name: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    return Path(tmp)


def _place(tmp: Path, final: Path) -> None:
    os.chmod(tmp, 0o644)  # mkstemp creates 0600; snapshots are meant to be shared
    os.replace(tmp, final)


def write_set(nation_dir: Path, set_name: str, rows: list[dict[str, Any]], formats: tuple[str, ...]) -> dict[str, str]:
    """Write one set in the given formats; returns {file name: sha256}. Rows must already be sorted by id."""
    written: dict[str, str] = {}
    for fmt in formats:
        name = f"{set_name}.{fmt}"
        tmp = _tmp_in(nation_dir, name)
        try:
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pylist(rows, schema=SCHEMA)
                pq.write_table(table, tmp, **_PARQUET_OPTS)
            else:
                with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                    for r in rows:
                        f.write(json.dumps({c: r[c] for c in COLUMNS}, ensure_ascii=False) + "\n")
            written[name] = sha256_file(tmp)
            _place(tmp, nation_dir / name)
        finally:
            if tmp.exists():
                tmp.unlink()
    return written


def atomic_write_json(path: Path, obj: Any) -> None:
    tmp = _tmp_in(path.parent, path.name)
    try:
        tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _place(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
