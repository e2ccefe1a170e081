"""Streaming readers: memory stays flat in the file size (one line / one Arrow batch at a time)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "json", "csv", "parquet", "navab")


@dataclass
class RawRecord:
    file: str
    where: str  # "line 12", "row 7", "item 3"
    data: dict[str, Any] | None
    error: str | None = None
    set_hint: str | None = None  # "quoted" / "official" for the NaVAB release format


class UnreadableFile(OSError):
    pass


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name in {"human_statement_result.json", "official_statement_result.json"}:
        return "navab"
    for ext, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".jsonl.gz", "jsonl"), (".csv", "csv"),
                     (".tsv", "csv"), (".parquet", "parquet"), (".json", "json")):
        if name.endswith(ext):
            return fmt
    raise UnreadableFile(f"{path}: cannot tell the format from the name; pass --format jsonl|csv|parquet|navab")


def iter_records(path: Path, fmt: str = "auto") -> Iterator[RawRecord]:
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _known(p))
        if not files:
            raise UnreadableFile(f"{path}: no .jsonl/.csv/.parquet/.json files in this folder")
        for p in files:
            yield from iter_records(p, fmt)
        return
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if not path.is_file() or not _readable(path):
        raise UnreadableFile(f"{path}: not a readable file")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    yield from {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet, "json": _json, "navab": _navab}[fmt](path)


def _known(p: Path) -> bool:
    try:
        detect_format(p)
        return True
    except UnreadableFile:
        return False


def _readable(p: Path) -> bool:
    try:
        with open(p, "rb") as f:
            f.read(1)
        return True
    except OSError:
        return False


def _jsonl(path: Path) -> Iterator[RawRecord]:
    opener = open
    if path.name.endswith(".gz"):
        import gzip

        opener = gzip.open  # type: ignore[assignment]
    with opener(path, "rb") as f:
        for i, raw in enumerate(f, 1):
            where = f"line {i}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield RawRecord(str(path), where, None, f"not valid UTF-8 (byte {e.start})")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield RawRecord(str(path), where, None, f"malformed JSON: {e.msg} at column {e.colno}")
                continue
            if not isinstance(obj, dict):
                yield RawRecord(str(path), where, None, f"expected a JSON object, got {type(obj).__name__}")
                continue
            yield RawRecord(str(path), where, obj)


def _csv(path: Path) -> Iterator[RawRecord]:
    delim = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(1 << 30)
    with open(path, "r", encoding="utf-8", errors="surrogateescape", newline="") as f:
        reader = csv.DictReader(f, delimiter=delim)
        for i, row in enumerate(reader, 2):  # row 1 is the header
            where = f"row {i}"
            if None in row:
                yield RawRecord(str(path), where, None, "more fields than the header has columns")
                continue
            bad = [k for k, v in row.items() if isinstance(v, str) and _has_surrogates(v)]
            if bad:
                yield RawRecord(str(path), where, None, f"not valid UTF-8 in column {bad[0]!r}")
                continue
            yield RawRecord(str(path), where, dict(row))


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _parquet(path: Path) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:
        raise UnreadableFile(f"{path}: not a readable Parquet file ({e})") from e
    n = 0
    for batch in pf.iter_batches(batch_size=2048):
        for row in batch.to_pylist():
            n += 1
            yield RawRecord(str(path), f"row {n}", row)


def _json(path: Path) -> Iterator[RawRecord]:
    """A JSON list of objects (whole file; the NaVAB release and small corpora use it)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"{path}: not valid UTF-8 (byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise UnreadableFile(f"{path}: malformed JSON: {e.msg} at line {e.lineno}") from e
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise UnreadableFile(f"{path}: expected a JSON list of objects")
    for i, obj in enumerate(data, 1):
        if not isinstance(obj, dict):
            yield RawRecord(str(path), f"item {i}", None, f"expected a JSON object, got {type(obj).__name__}")
        else:
            yield RawRecord(str(path), f"item {i}", obj)


def _navab(path: Path) -> Iterator[RawRecord]:
    set_hint = "quoted" if "human" in path.name.lower() else "official"
    for rec in _json(path):
        rec.set_hint = set_hint
        yield rec


def open_text(path: Path) -> io.TextIOBase:  # pragma: no cover - convenience
    return open(path, encoding="utf-8")
