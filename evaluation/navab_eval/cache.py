"""On-disk caches: per-item results (one JSONL per run configuration), judge replies (one JSON per key), and
the sha256 of model files (one small file per path + size + mtime stamp).

Item results are found by two digests: the run configuration (``run.cache_config``: model identity by content,
dtype, device class, library versions, scoring and judge settings) together with the digest of the code that
computes item results (``CODE_SHA256``: navab-eval's version stays 0.1.0 while its scorer is rewritten) names
the JSONL file, and each item's key
covers its id, its texts and the exact prompt strings sent to the model (so a changed answer prefix or chat
template misses for exactly the items it changes). A cached item holds only what was computed; its labels
(nation, set, split, condition, the texts question / statement / reverse_statement and cr_run, the Conflict
Reduction run of the snapshot) are taken from the record of the current run, and its model and backend names
from the current run's backend (one cache file serves every name of the same model: the alias ``smollm2`` and
the path of its GGUF file).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Sequence

from .models import cache_dir
from .snapshot import sha256_file

# What an item says about the record it was computed for, always taken from the current run's record (a cached item
# may have been computed for a record of another snapshot: the same statement in with_cr and without_cr, or an
# export under another Conflict Reduction run). The texts are the strings the snapshot holds, so a reader of the
# items (navab-graph import-results) can tell whether the graph's statement is still the one evaluated.
LABELS = ("id", "nation", "set", "split", "language", "condition", "question", "statement", "reverse_statement",
          "cr_run")
# The modules whose code decides an item's numbers (scoring, generation, prompts, judging, model loading and BOS);
# summaries, tables and the CLI only read items, so editing them keeps the cache.
CODE_FILES = ("backends/*.py", "mc.py", "aj.py", "prompts.py", "judges.py", "models.py")


def digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def code_files(package: Path) -> list[Path]:
    return sorted({p for pattern in CODE_FILES for p in Path(package).glob(pattern) if p.is_file()})


def code_digest(package: str | Path | None = None) -> str:
    """sha256 over the source of CODE_FILES in the navab_eval package folder (by package-relative name, so an
    installed copy and the checkout agree): a changed byte in any of them is another cache."""
    root = Path(package) if package is not None else Path(__file__).parent
    h = hashlib.sha256()
    for f in code_files(root):
        h.update(f"{f.relative_to(root).as_posix()}:{hashlib.sha256(f.read_bytes()).hexdigest()}\n".encode())
    return h.hexdigest()


CODE_SHA256 = code_digest()  # read once at import: a dozen small files


def record_key(record: Any) -> str:
    """Identity of an item's content: id plus the texts that are scored."""
    return digest([record.id, record.question, record.statement, record.reverse_statement, record.language])


def item_key(record: Any, *prompt: str) -> str:
    """The record's content plus the exact strings sent to the model for it."""
    return digest([record_key(record), *prompt])


def write_atomic(path: Path, text: str) -> None:
    """A temp file in the same folder, then os.replace: a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a disk full or an interrupt: leave no half-written file behind
        raise


def _memo(path: str | Path, memo_dir: Path | None) -> tuple[Path, Path]:
    p = Path(path).resolve()
    st = p.stat()
    stamp = digest([str(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return p, (memo_dir or cache_dir()) / "file-sha256" / f"{stamp}.txt"


def file_digest_known(path: str | Path, memo_dir: Path | None = None) -> bool:
    """Whether file_digest(path) is answered from the memo (no file read)."""
    return _memo(path, memo_dir)[1].is_file()


def file_digest(path: str | Path, memo_dir: Path | None = None) -> str:
    """sha256 of a file's bytes, remembered per (path, size, mtime, ctime, inode) so a 15 GB checkpoint is read
    once. ctime is in the stamp because a program can put mtime back after overwriting a file, never ctime."""
    p, memo = _memo(path, memo_dir)
    if memo.is_file():
        known = memo.read_text(encoding="utf-8").strip()
        if len(known) == 64:
            return known
    value = sha256_file(p)
    write_atomic(memo, value)
    return value


def dir_digest(directory: str | Path, memo_dir: Path | None = None) -> str:
    """One digest over the regular files directly in a model directory (weights, config, tokenizer, chat
    template): what from_pretrained reads. Hidden files are skipped."""
    return digest([[f.name, file_digest(f, memo_dir)] for f in model_files(directory)])


def model_files(directory: str | Path) -> list[Path]:
    d = Path(directory)
    return sorted(f for f in d.iterdir() if f.is_file() and not f.name.startswith("."))


def relabel(item: dict[str, Any], record: Any, backend: Any = None) -> dict[str, Any]:
    """A computed item under the labels (LABELS) of `record` (the same statement can sit in with_cr and
    without_cr, or in a snapshot exported under another Conflict Reduction run) and, when given, the model and
    backend names of `backend`: the cache key is the model's content, not its name, so an item computed under
    another name of the same model must not keep that name."""
    labels = {k: getattr(record, k, None) for k in LABELS}
    if backend is not None:
        labels.update(model=backend.model_name, backend=backend.name)
    return {**item, **labels}


def split_cached(records: Sequence[Any], cache: "ItemCache | None", keys: Sequence[str] | None = None,
                 backend: Any = None) -> tuple[list[Any], list[int]]:
    """Results list with cached items filled in (None elsewhere), and the indices still to compute. Cached items
    carry the model and backend names of `backend` (the current run's)."""
    keys = list(keys) if keys is not None else [record_key(r) for r in records]
    results: list[Any] = [None] * len(records)
    todo = []
    for i, (r, key) in enumerate(zip(records, keys)):
        hit = cache.get(key) if cache else None
        if hit is not None:
            results[i] = relabel(hit, r, backend)
        else:
            todo.append(i)
    return results, todo


def group_by_key(todo: Sequence[int], keys: Sequence[str]) -> dict[int, list[int]]:
    """First index of each distinct key -> every index with that key: one computation per distinct item."""
    first: dict[str, int] = {}
    groups: dict[int, list[int]] = {}
    for i in todo:
        j = first.setdefault(keys[i], i)
        groups.setdefault(j, []).append(i)
    return groups


class ItemCache:
    """Append-only JSONL of item results for one configuration (method, model, backend, settings)."""

    def __init__(self, config: dict[str, Any], root: Path | None = None):
        self.config = {**config, "code_sha256": CODE_SHA256}
        self.path = (root or cache_dir()) / "items" / f"{digest(self.config)[:24]}.jsonl"
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
        if not pairs:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        config_file = self.path.with_suffix(".config.json")
        if not config_file.is_file():  # what these items were computed with, for a person reading the cache
            write_atomic(config_file, json.dumps(self.config, indent=2, ensure_ascii=False, default=str))
        with open(self.path, "a", encoding="utf-8") as f:
            for key, item in pairs:
                self._items[key] = item
                f.write(json.dumps({"key": key, "item": item}, ensure_ascii=False) + "\n")


class JudgeCache:
    """Judge verdicts keyed by (judge model, prompt messages) and the scope (the judge's base URL): a re-run
    makes no HTTP call, and another server under the same model name is another judge."""

    def __init__(self, root: Path | None = None, scope: dict[str, Any] | None = None):
        self.root = root or cache_dir()
        self.dir = self.root / "judge"
        self.scope = dict(scope or {})

    def scoped(self, **scope: Any) -> "JudgeCache":
        return JudgeCache(self.root, {**self.scope, **scope})

    # 2: a verdict is a choice of exactly A or B; version 1 stored the first letter of any choice ("Answer B" as A)
    READER = 2

    def key(self, judge: str, messages: Any) -> str:
        return digest({"judge": judge, "messages": messages, "reader": self.READER,
                       **({"scope": self.scope} if self.scope else {})})

    def get(self, key: str) -> dict[str, Any] | None:
        path = self.dir / f"{key}.json"
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                return None
        return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        write_atomic(self.dir / f"{key}.json", json.dumps(value, ensure_ascii=False))
