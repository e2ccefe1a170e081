"""`navab-graph snapshot diff A B`: added / removed / changed triples between two snapshots, by id.

Reads our own format only (manifest + parquet, or the jsonl twin when there is no parquet) with pyarrow;
the full reader with NaVAB release support lives in navab_eval.snapshot, which the graph side does not
depend on.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .schema import COLUMNS, CONTENT_COLUMNS, SETS
from .writer import sha256_file


class SnapshotReadError(ValueError):
    pass


def _nation_dirs(path: Path) -> dict[str, Path]:
    path = Path(path)
    if not path.exists():
        raise SnapshotReadError(f"{path}: does not exist")
    if (path / "manifest.json").is_file():
        return {_manifest(path)["nation"]: path}
    found = {}
    for sub in sorted(p for p in path.iterdir() if p.is_dir() and (p / "manifest.json").is_file()):
        found[_manifest(sub)["nation"]] = sub
    if not found:
        raise SnapshotReadError(f"{path}: no manifest.json here nor in its nation folders; not a snapshot")
    return found


def _manifest(nation_dir: Path) -> dict[str, Any]:
    p = nation_dir / "manifest.json"
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise SnapshotReadError(f"{p}: invalid JSON ({e.msg} at line {e.lineno})") from e
    if not isinstance(m, dict) or not isinstance(m.get("nation"), str) or not isinstance(m.get("files"), dict):
        raise SnapshotReadError(f"{p}: not a snapshot manifest (needs 'nation' and 'files')")
    return m


def read_nation(nation_dir: Path, *, verify: bool = True) -> dict[str, dict[str, Any]]:
    """id -> row of one nation folder. Only the files the manifest lists are read (a data file it does not
    list may be left by an interrupted export: refused when verifying), each checked against its sha256, and
    each set's row count against the manifest's counts."""
    m = _manifest(nation_dir)
    listed = set(m["files"])
    if verify:
        for name, digest in m["files"].items():
            f = nation_dir / name
            if not f.is_file():
                raise SnapshotReadError(f"{f}: listed in manifest.json but missing")
            if sha256_file(f) != digest:
                raise SnapshotReadError(f"{f}: sha256 differs from manifest.json (changed after export?)")
        stray = [f"{s}.{ext}" for s in SETS for ext in ("parquet", "jsonl")
                 if f"{s}.{ext}" not in listed and (nation_dir / f"{s}.{ext}").is_file()]
        if stray:
            raise SnapshotReadError(f"{nation_dir / stray[0]}: a data file manifest.json does not list (left by an "
                                    "interrupted export?); export again or remove it")
    rows: dict[str, dict[str, Any]] = {}
    for set_name in SETS:
        pq_path, jl_path = nation_dir / f"{set_name}.parquet", nation_dir / f"{set_name}.jsonl"
        before = len(rows)
        if pq_path.name in listed and pq_path.is_file():
            import pyarrow.parquet as pq

            try:
                table = pq.read_table(pq_path)
            except Exception as e:  # pyarrow raises several error types for a damaged file
                raise SnapshotReadError(f"{pq_path}: not a readable parquet file ({e})") from e
            missing = [c for c in COLUMNS if c not in table.column_names]
            if missing:
                raise SnapshotReadError(f"{pq_path}: missing columns {missing}")
            items = [(f"{pq_path}, row {i}", r) for i, r in enumerate(table.select(list(COLUMNS)).to_pylist(), 1)]
        elif jl_path.name in listed and jl_path.is_file():
            items = []
            with open(jl_path, encoding="utf-8") as fh:
                for i, line in enumerate(fh, 1):
                    if line.strip():
                        try:
                            items.append((f"{jl_path}, line {i}", json.loads(line)))
                        except json.JSONDecodeError as e:
                            raise SnapshotReadError(f"{jl_path}, line {i}: malformed JSON ({e.msg})") from e
        else:
            continue
        for where, r in items:
            if not isinstance(r, dict) or not isinstance(r.get("id"), str):
                raise SnapshotReadError(f"{where}: row without a string id")
            if r["id"] in rows:
                raise SnapshotReadError(f"{where}: id {r['id']!r} appears twice in the snapshot")
            rows[r["id"]] = r
        want = ((m.get("counts") or {}).get(set_name) or {}).get("total")
        if isinstance(want, int) and len(rows) - before != want:
            raise SnapshotReadError(f"{nation_dir}: {set_name} holds {len(rows) - before} rows, manifest.json says "
                                    f"{want} (a file cut short or replaced?)")
    return rows


def diff_nation(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]], *, examples: int = 5) -> dict[str, Any]:
    added = sorted(b.keys() - a.keys())
    removed = sorted(a.keys() - b.keys())
    changed: list[str] = []
    fields = {c: 0 for c in CONTENT_COLUMNS}
    for rid in sorted(a.keys() & b.keys()):
        diffs = [c for c in CONTENT_COLUMNS if a[rid].get(c) != b[rid].get(c)]
        if diffs:
            changed.append(rid)
            for c in diffs:
                fields[c] += 1
    return {"a": len(a), "b": len(b), "added": len(added), "removed": len(removed), "changed": len(changed),
            "unchanged": len(a.keys() & b.keys()) - len(changed), "changed_fields": fields,
            "examples": {"added": added[:examples], "removed": removed[:examples], "changed": changed[:examples]}}


def diff_snapshots(a: Path, b: Path, *, verify: bool = True, examples: int = 5) -> dict[str, dict[str, Any]]:
    """nation -> diff, for every nation in A or B (a nation missing on one side counts as empty there)."""
    da, db = _nation_dirs(Path(a)), _nation_dirs(Path(b))
    out = {}
    for nation in sorted(da.keys() | db.keys()):
        ra = read_nation(da[nation], verify=verify) if nation in da else {}
        rb = read_nation(db[nation], verify=verify) if nation in db else {}
        out[nation] = diff_nation(ra, rb, examples=examples)
    return out
