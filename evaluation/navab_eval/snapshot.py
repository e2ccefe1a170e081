"""Reader for navab-graph snapshots (docs/SNAPSHOT_FORMAT.md, schema 1.0) and the NaVAB release JSON files.

Pure Python + pyarrow: no graph dependency, so a GPU node installs navab-eval alone.

Accepted inputs for :func:`load_snapshot`:
- a snapshot root (``<out>/<NATION>/manifest.json`` below it), or the root ``navab-graph run`` writes, with
  ``with_cr/<NATION>/`` and ``without_cr/<NATION>/`` below it (both are read, each record labelled),
- one nation directory (holds ``manifest.json``),
- one ``quoted``/``official`` ``.parquet`` or ``.jsonl`` file (its ``manifest.json`` must sit beside it),
- NaVAB release data: ``human_statement_result.json`` (quoted) / ``official_statement_result.json`` (official),
  as a file, a nation folder holding them, or a root of nation folders.
"""
from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

SCHEMA_VERSION = "1.0"
DEFAULT_SPLIT_SEED = "navab-v1"
SETS = ("quoted", "official")
# Snapshots exported with / without Conflict Reduction (manifest `with_conflict_reduction`); `navab-graph run`
# writes them side by side under these folder names.
CONDITIONS = ("with_cr", "without_cr")
NAVAB_FILES = {"human_statement_result.json": "quoted", "official_statement_result.json": "official"}
NAVAB_KEYS = ("statement", "source", "generated Q", "generated reverse statement")
# Folder names of the NaVAB release -> ISO 3166 alpha-2, and each nation's news language.
NATION_ALIASES = {"CHINA": "CN", "USA": "US", "UNITED STATES": "US", "UK": "GB", "UNITED KINGDOM": "GB",
                  "FRANCE": "FR", "GERMANY": "DE"}
NATION_LANGUAGE = {"CN": "zh", "US": "en", "GB": "en", "FR": "fr", "DE": "de"}


class SnapshotError(ValueError):
    """A snapshot or NaVAB file cannot be read; the message names the file (and row) and the reason."""


@dataclass(frozen=True)
class Record:
    """One <question, statement, reverse statement> triple: the columns of the snapshot contract."""

    id: str
    nation: str
    set: str
    question: str
    statement: str
    reverse_statement: str
    language: str
    split: str
    cr_status: str = "kept"
    topic: str | None = None
    speaker: str | None = None
    source: str | None = None
    article_id: str | None = None
    url: str | None = None
    published: str | None = None
    cr_round: int | None = None
    cr_reason: str | None = None
    # Not a column of the contract: "with_cr" / "without_cr" from the manifest the record was read with (None for
    # NaVAB release files). Provenance, not content: left out of equality.
    condition: str | None = field(default=None, compare=False)
    # Not a column either: the manifest's `conflict_reduction.run_id` (the graph's Conflict Reduction run the
    # snapshot was exported under); None for NaVAB release files or a manifest without it. Provenance, too.
    cr_run: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# Record fields that say where a record was read from, not what it holds (not columns of the contract).
PROVENANCE = ("condition", "cr_run")
COLUMNS = tuple(f.name for f in dataclasses.fields(Record) if f.name not in PROVENANCE)
REQUIRED = ("id", "nation", "set", "question", "statement", "reverse_statement", "language", "split", "cr_status")


@dataclass
class Snapshot:
    """Records read from one or more files, plus what is needed to identify the data in results."""

    records: list[Record]
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of every file read or verified
    manifests: list[dict[str, Any]] = field(default_factory=list)
    # one entry per snapshot folder read (see snapshot_info): condition, nation, cr_run, cr_state, created_at,
    # manifest_sha256
    folders: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file:row: reason" for records dropped with strict=False
    # (condition, id) -> "file:row" of the record read first, to name both places of a duplicate id
    origins: dict[tuple[str | None, str], str] = field(default_factory=dict, repr=False)

    @property
    def data_sha256(self) -> str:
        """One digest for the whole input: sha256 over the sorted (file label, file sha256) pairs; the label is
        nation/file, with the condition folder in front when there is one (with_cr/CN/quoted.parquet)."""
        h = hashlib.sha256()
        for label, path in sorted((_file_label(Path(p)), p) for p in self.files):
            h.update(f"{label}:{self.files[path]}\n".encode())
        return h.hexdigest()

    @property
    def conditions(self) -> list[str]:
        return sorted({r.condition for r in self.records if r.condition})

    @property
    def snapshots(self) -> list[dict[str, Any]]:
        """The snapshot folders read, sorted (summary.json's `snapshots`); [] for NaVAB release input."""
        unique = {json.dumps(f, sort_keys=True): f for f in self.folders}
        return sorted(unique.values(), key=lambda f: tuple("" if f[k] is None else str(f[k]) for k in SNAPSHOT_KEYS))


# summary.json's `snapshots` entries: which export of which nation the results were computed on
SNAPSHOT_KEYS = ("condition", "nation", "cr_run", "cr_state", "created_at", "manifest_sha256")


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def snapshot_info(nation_dir: Path, manifest: dict[str, Any], condition: str | None, manifest_sha256: str
                  ) -> dict[str, Any]:
    """One snapshot folder as summary.json's `snapshots` lists it. cr_run / cr_state: the manifest's
    `conflict_reduction.run_id` / `.state` (written by `navab-graph export`; null when the manifest predates them)."""
    cr = manifest.get("conflict_reduction")
    cr = cr if isinstance(cr, dict) else {}
    nation = _str_or_none(manifest.get("nation")) or nation_dir.name
    return {"condition": condition, "nation": nation.upper(), "cr_run": _str_or_none(cr.get("run_id")),
            "cr_state": _str_or_none(cr.get("state")), "created_at": _str_or_none(manifest.get("created_at")),
            "manifest_sha256": manifest_sha256}


def _file_label(path: Path) -> str:
    label = f"{path.parent.name}/{path.name}"
    return f"{path.parent.parent.name}/{label}" if path.parent.parent.name in CONDITIONS else label


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def split_of(record_id: str, split_seed: str = DEFAULT_SPLIT_SEED) -> str:
    """The contract's deterministic 80/20 split."""
    bucket = int(hashlib.sha256(f"{split_seed}:{record_id}".encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < 80 else "test"


def text_split(nation: str, statement: str, split_seed: str = DEFAULT_SPLIT_SEED, train_percent: int = 80) -> str:
    """The split `navab-graph export` writes (manifest split_key "statement_text"), keyed by the nation and the
    normalised statement text (NFC, whitespace runs collapsed, stripped): one statement in several records (the
    release repeats some) is never in both train and test. NaVAB release files read directly get this split, so
    they split as their export through the graph does."""
    norm = " ".join(unicodedata.normalize("NFC", statement).split())
    bucket = int(hashlib.sha256(f"{split_seed}:{nation}|{norm}".encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < train_percent else "test"


def navab_id(nation: str, set_name: str, statement: str) -> str:
    return hashlib.sha256(f"{nation}|{set_name}|{statement}".encode()).hexdigest()[:16]


def normalize_nation(name: str) -> str:
    key = name.strip().upper()
    code = NATION_ALIASES.get(key, key)
    if len(code) != 2 or not code.isalpha():
        raise SnapshotError(f"cannot derive an ISO 3166 alpha-2 nation code from the folder name {name!r}: "
                            "pass --nation CODE")
    return code


# ---------------------------------------------------------------- our format

def _read_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path)
        except Exception as e:  # pyarrow raises several types for corrupt files
            raise SnapshotError(f"{path}: not a readable parquet file ({e})") from e
        missing = [c for c in COLUMNS if c not in table.column_names]
        if missing:
            raise SnapshotError(f"{path}: missing columns {missing}")
        return table.select(list(COLUMNS)).to_pylist()
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise SnapshotError(f"{path}:{i}: invalid JSON ({e})") from e
            if i == 1:
                missing = [c for c in COLUMNS if c not in row]
                if missing:
                    raise SnapshotError(f"{path}: missing columns {missing} (first row)")
            rows.append(row)
    return rows


def _to_record(row: dict[str, Any], where: str, condition: str | None = None, cr_run: str | None = None) -> Record:
    missing = [c for c in COLUMNS if c not in row]
    if missing:
        raise SnapshotError(f"{where}: missing columns {missing}")
    empty = [c for c in REQUIRED if not isinstance(row[c], str) or not row[c].strip()]
    if empty:
        raise SnapshotError(f"{where}: empty or non-string required fields {empty}")
    if row["set"] not in SETS:
        raise SnapshotError(f"{where}: set must be one of {SETS}, got {row['set']!r}")
    if row["split"] not in ("train", "test"):
        raise SnapshotError(f"{where}: split must be train or test, got {row['split']!r}")
    values = {c: row[c] for c in COLUMNS}
    if values["cr_round"] is not None:
        values["cr_round"] = int(values["cr_round"])
    return Record(**values, condition=condition, cr_run=cr_run)


def _load_manifest(nation_dir: Path) -> tuple[dict[str, Any], str]:
    """-> (manifest, sha256 of the manifest file's bytes)."""
    path = nation_dir / "manifest.json"
    if not path.is_file():
        raise SnapshotError(f"{path}: missing manifest (every snapshot nation directory has one)")
    raw = path.read_bytes()
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SnapshotError(f"{path}: invalid JSON ({e})") from e
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise SnapshotError(f"{path}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION!r})")
    if not isinstance(manifest.get("files"), dict):
        raise SnapshotError(f"{path}: manifest has no 'files' table of sha256 digests")
    return manifest, hashlib.sha256(raw).hexdigest()


def _condition(nation_dir: Path, manifest: dict[str, Any]) -> str | None:
    """with_cr / without_cr from the manifest; a condition folder that says otherwise is an error, not a guess."""
    flag = manifest.get("with_conflict_reduction")
    folder = nation_dir.parent.name
    condition = None if not isinstance(flag, bool) else ("with_cr" if flag else "without_cr")
    if folder in CONDITIONS:
        if condition is None:
            return folder
        if condition != folder:
            raise SnapshotError(f"{nation_dir / 'manifest.json'}: with_conflict_reduction={str(flag).lower()} but "
                                f"the snapshot sits in {folder}/; refusing to label it either way (re-export it)")
    return condition


def _verify(nation_dir: Path, manifest: dict[str, Any], snap: Snapshot) -> None:
    for name, expected in manifest["files"].items():
        path = nation_dir / name
        if not path.is_file():
            raise SnapshotError(f"{path}: listed in manifest.json but missing")
        actual = sha256_file(path)
        if actual != expected:
            raise SnapshotError(f"{path}: sha256 mismatch (manifest {expected}, file {actual}); the file changed "
                                "after export")
        snap.files[str(path)] = actual


def _data_files(nation_dir: Path, set_name: str) -> list[Path]:
    return [nation_dir / f"{set_name}.{ext}" for ext in ("parquet", "jsonl")]


def _check_listed(nation_dir: Path, manifest: dict[str, Any], verify: bool, only_file: Path | None) -> None:
    """The manifest's `files` is the snapshot: a data file it does not list (an export interrupted after writing
    a new format, before its manifest) is refused when verifying, and always when asked for by name."""
    listed = manifest["files"]
    for set_name in SETS:
        for path in _data_files(nation_dir, set_name):
            if path.is_file() and path.name not in listed and (verify or path == only_file):
                raise SnapshotError(f"{path}: data file not listed in manifest.json (it lists "
                                    f"{', '.join(sorted(listed)) or 'no files'}); it may be left by an interrupted "
                                    "export: re-export the nation or remove the file")


def _check_count(path: Path, set_name: str, rows: int, manifest: dict[str, Any]) -> None:
    """Rows read against the manifest's counts (a file cut short, read with --no-verify)."""
    expected = ((manifest.get("counts") or {}).get(set_name) or {}).get("total")
    if expected is not None and expected != rows:
        raise SnapshotError(f"{path}: {rows} rows, but manifest.json counts {expected} {set_name} records; the "
                            "file is incomplete or changed after export")


def _check_unique(record: Record, where: str, snap: Snapshot) -> None:
    """One record per id and condition (a statement kept by CR sits once in with_cr and once in without_cr)."""
    first = snap.origins.setdefault((record.condition, record.id), where)
    if first != where:
        raise SnapshotError(f"{where}: duplicate id {record.id!r}, already read at {first}")


def _load_nation_dir(nation_dir: Path, snap: Snapshot, verify: bool, strict: bool,
                     only_file: Path | None = None) -> None:
    manifest, manifest_sha256 = _load_manifest(nation_dir)
    condition = _condition(nation_dir, manifest)
    info = snapshot_info(nation_dir, manifest, condition, manifest_sha256)
    snap.manifests.append(manifest)
    snap.folders.append(info)
    _check_listed(nation_dir, manifest, verify, only_file)
    if verify:
        _verify(nation_dir, manifest, snap)
    for set_name in SETS:
        # Only files the manifest lists; prefer parquet, the jsonl twin holds the same rows.
        candidates = [c for c in _data_files(nation_dir, set_name) if c.name in manifest["files"]]
        if only_file is not None:
            candidates = [c for c in candidates if c == only_file]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            if only_file is None:  # no data for the set: the manifest must count none
                _check_count(nation_dir / f"{set_name}.(parquet|jsonl)", set_name, 0, manifest)
            continue
        if str(path) not in snap.files:
            snap.files[str(path)] = sha256_file(path)
        rows = _read_rows(path)
        _check_count(path, set_name, len(rows), manifest)
        for i, row in enumerate(rows, 1):
            where = f"{path}:{i}"
            try:
                record = _to_record(row, where, condition, info["cr_run"])
                _check_unique(record, where, snap)
                snap.records.append(record)
            except SnapshotError as e:
                if strict:
                    raise
                snap.skipped.append(str(e))


# ---------------------------------------------------------------- NaVAB release format

def _load_navab_file(path: Path, snap: Snapshot, nation: str | None, language: str | None,
                     split_seed: str, strict: bool) -> None:
    set_name = NAVAB_FILES[path.name]
    code = normalize_nation(nation or path.parent.name)
    lang = language or NATION_LANGUAGE.get(code)
    if lang is None:
        raise SnapshotError(f"{path}: no default language for nation {code}; pass language=")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise SnapshotError(f"{path}: invalid JSON ({e})") from e
    if not isinstance(data, list):
        raise SnapshotError(f"{path}: expected a JSON list of records, got {type(data).__name__}")
    snap.files[str(path)] = sha256_file(path)
    for i, item in enumerate(data):
        where = f"{path}: record {i}"
        try:
            if not isinstance(item, dict):
                raise SnapshotError(f"{where}: expected an object, got {type(item).__name__}")
            missing = [k for k in NAVAB_KEYS if not isinstance(item.get(k), str) or not item[k].strip()]
            if missing:
                raise SnapshotError(f"{where}: missing or empty keys {missing}")
        except SnapshotError as e:
            if strict:
                raise
            snap.skipped.append(str(e))
            continue
        statement = item["statement"].strip()
        rid = navab_id(code, set_name, statement)
        snap.records.append(Record(
            id=rid, nation=code, set=set_name, question=item["generated Q"].strip(), statement=statement,
            reverse_statement=item["generated reverse statement"].strip(), language=lang,
            split=text_split(code, statement, split_seed), topic=item.get("topic"), source=item.get("source"),
            url=item.get("url"), published=item.get("date"),
        ))


# ---------------------------------------------------------------- entry point

def _kind(path: Path) -> str:
    if path.is_file():
        if path.name in NAVAB_FILES:
            return "navab-file"
        if path.suffix in (".parquet", ".jsonl"):
            return "file"
        raise SnapshotError(f"{path}: not a snapshot file (.parquet/.jsonl) nor a NaVAB release file "
                            f"({', '.join(NAVAB_FILES)})")
    if (path / "manifest.json").is_file() or any((path / f"{s}.{ext}").is_file() for s in SETS
                                                  for ext in ("parquet", "jsonl")):
        return "nation"  # data files without a manifest are reported as such
    if any((path / n).is_file() for n in NAVAB_FILES):
        return "navab-nation"
    return "root"


def load_snapshot(path: str | Path, *, split: str | None = None, sets: Iterable[str] | None = None,
                  nations: Iterable[str] | None = None, cr_status: str | None = None,
                  conditions: Iterable[str] | None = None, verify: bool = True,
                  strict: bool = True, nation: str | None = None, language: str | None = None,
                  split_seed: str = DEFAULT_SPLIT_SEED) -> Snapshot:
    """Load records from any accepted input (see module doc) and filter them.

    split: "train" | "test" | None/"all". sets/nations: keep only these. cr_status: "kept" | "removed" | None.
    conditions: keep only records of these snapshots ("with_cr", "without_cr"; each record's ``condition``).
    verify: check every manifest sha256 and refuse data files the manifest does not list (only listed files
    are read either way; each set's rows are compared with the manifest's counts). strict=False skips bad
    records and repeated ids (listed in ``Snapshot.skipped``) instead of raising. nation/language/split_seed apply to NaVAB release files only.
    Raises SnapshotError when nothing is found or nothing is left after filtering.
    """
    path = Path(path)
    if not path.exists():
        raise SnapshotError(f"{path}: does not exist")
    snap = Snapshot(records=[])
    kind = _kind(path)
    if kind == "navab-file":
        _load_navab_file(path, snap, nation, language, split_seed, strict)
    elif kind == "file":
        _load_nation_dir(path.parent, snap, verify, strict, only_file=path)
    elif kind == "nation":
        _load_nation_dir(path, snap, verify, strict)
    else:
        subdirs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
        for sub in subdirs:
            sub_kind = _kind(sub)
            if sub_kind == "nation":
                _load_nation_dir(sub, snap, verify, strict)
            elif sub_kind == "root" and sub.name in CONDITIONS:  # `navab-graph run` output: with_cr/, without_cr/
                for nation_dir in sorted(p for p in sub.iterdir() if p.is_dir() and not p.name.startswith(".")):
                    if _kind(nation_dir) == "nation":
                        _load_nation_dir(nation_dir, snap, verify, strict)
            elif sub_kind == "navab-nation":
                for name in NAVAB_FILES:
                    if (sub / name).is_file():
                        _load_navab_file(sub / name, snap, None, language, split_seed, strict)
        if kind == "navab-nation":
            for name in NAVAB_FILES:
                if (path / name).is_file():
                    _load_navab_file(path / name, snap, nation, language, split_seed, strict)
        if not snap.files:
            raise SnapshotError(f"{path}: no manifest.json, nation directories or NaVAB release files found")
    if not snap.records:
        raise SnapshotError(f"{path}: empty snapshot (no records)")
    keep_sets = set(sets) if sets else None
    keep_nations = {normalize_nation(n) for n in nations} if nations else None
    keep_conditions = set(conditions) if conditions else None
    if keep_conditions and keep_conditions - set(CONDITIONS):
        raise SnapshotError(f"unknown condition(s) {sorted(keep_conditions - set(CONDITIONS))}; "
                            f"use {' / '.join(CONDITIONS)}")
    snap.records = [r for r in snap.records
                    if (split in (None, "all") or r.split == split)
                    and (keep_sets is None or r.set in keep_sets)
                    and (keep_nations is None or r.nation in keep_nations)
                    and (cr_status in (None, "all") or r.cr_status == cr_status)
                    and (keep_conditions is None or r.condition in keep_conditions)]
    if not snap.records:
        raise SnapshotError(f"{path}: no records left after filtering (split={split}, sets={sets}, "
                            f"nations={nations}, cr_status={cr_status}, conditions={conditions})")
    return snap
