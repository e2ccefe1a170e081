"""Load news into the graph: streaming read, validation, quarantine, batched UNWIND MERGE on stable ids."""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from navab_loaders import BadRecord, check_nation, iter_records
from navab_loaders.presets import PRESETS, UnknownPreset
from navab_loaders.readers import file_stem

from ..config import Settings
from ..progress import bar
from ..quarantine import Quarantine
from ..store import GraphStore, ensure_schema, run_named
from ..store.falkor import ParameterError


class StrictModeError(RuntimeError):
    pass


@dataclass
class LoadReport:
    files: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of a folder not read (unknown format, hidden)
    read: int = 0
    loaded: int = 0
    updated: int = 0
    quarantined: int = 0
    duplicates: int = 0
    warnings: int = 0  # loaded, but flagged in the quarantine file (a date that cannot be read)
    truncated: int = 0
    statements: int = 0
    seconds: float = 0.0
    quarantine_file: str | None = None
    first_problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _detector():
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0

    def f(text: str) -> str:
        try:
            return detect(text[:1000])[:2]
        except Exception:
            return "und"
    return f


def default_source(file: str, nation: str, *, preset: str | None = None, navab: bool = False) -> str:
    """The source of a file loaded without --source: the preset's name, `navab-<NATION>` for the NaVAB release
    files (named alike in every nation), else the file's own name without its extension. Never the folder
    or the path it was given as, so that ids do not depend on how the file was named on the command line."""
    if preset:
        return preset
    if navab:
        return f"navab-{nation}"
    return file_stem(Path(file))


def _check_source(source: str) -> str:
    s = source.strip()
    if not s or len(s) > 200 or not s.isprintable() or any(0xD800 <= ord(c) <= 0xDFFF for c in s):
        raise ValueError(f"source {source!r}: expected a short printable name (e.g. bbc, xinhua)")
    return s


class _Load:
    """One load: what the reading thread and the writing thread share (counts under a lock)."""

    def __init__(self, store: GraphStore, rep: LoadReport, q: Quarantine, strict: bool, nation: str):
        self.store, self.rep, self.q, self.strict, self.nation = store, rep, q, strict, nation
        self.load_id = uuid.uuid4().hex
        self.sources_done: set[str] = set()
        self.lock = threading.Lock()

    def bad(self, file: str, where: str, reason: str, raw: str | None, *, kept: bool = False,
            duplicate: bool = False) -> None:
        if self.strict:
            raise StrictModeError(f"{file}, {where}: {reason}")
        raw = raw.rstrip("\r\n") if raw else raw
        with self.lock:
            self.q.add(file=file, where=where, reason=reason, record=raw, **({"kept": True} if kept else {}))
            if kept:
                self.rep.warnings += 1
            else:
                self.rep.quarantined += 1
                self.rep.duplicates += duplicate
            if self.rep.first_problem is None:
                self.rep.first_problem = f"{file}, {where}: {reason}"


def load(store: GraphStore, settings: Settings, path: Path, *, nation: str | None, source: str | None = None,
         fmt: str = "auto", preset: str | None = None, field_map: dict[str, str] | None = None,
         lang: str | None = None, strict: bool = False, quiet: bool = False) -> LoadReport:
    if preset is not None and preset not in PRESETS:
        raise UnknownPreset(f"unknown preset {preset!r}; known: {', '.join(sorted(PRESETS))}")
    if nation is None:
        if preset is None:
            raise ValueError("--nation is required (an ISO code such as CN, US, GB, FR, DE)")
        nation = PRESETS[preset].nation
    nation = check_nation(nation)
    path = Path(path)
    if source is not None:
        source = _check_source(source)
    lang = lang or (PRESETS[preset].lang if preset else settings.language_of(nation))
    detect = _detector() if lang == "auto" else None
    ensure_schema(store)

    rep = LoadReport()
    q = Quarantine(settings.data_dir, "load")
    ld = _Load(store, rep, q, strict, nation)
    t0 = time.perf_counter()
    batch: list[dict[str, Any]] = []
    pb = bar(desc=f"load {nation}", unit="rec", quiet=quiet)
    # one writer thread: the database works on batch N while this thread parses batch N+1 (ordered, so
    # duplicate detection across batches still sees every earlier batch)
    pool = ThreadPoolExecutor(max_workers=1)
    pending: list[Future] = []
    file_source: tuple[str, str] = ("", "")

    def submit(b: list[dict[str, Any]]) -> None:
        pending.append(pool.submit(_flush, ld, b))
        while len(pending) > 1:
            pending.pop(0).result()
            pb.update(settings.batch_size)
    try:
        for raw in iter_records(path, fmt if not preset else ("auto" if fmt == "auto" else fmt), skipped=rep.skipped):
            rep.read += 1
            if raw.file != file_source[0]:
                rep.files.append(raw.file)
                try:
                    src = source or _check_source(default_source(raw.file, nation, preset=preset,
                                                                 navab=raw.set_hint is not None))
                except ValueError as e:
                    src = ""
                    ld.bad(raw.file, "whole file", f"the file's name cannot serve as its source ({e}): pass "
                           "--source", None)
                file_source = (raw.file, src)
                if src and src not in rep.sources:
                    rep.sources.append(src)
            if not file_source[1]:
                continue
            if raw.error:
                ld.bad(raw.file, raw.where, raw.error, raw.raw_text())
                continue
            try:
                art = _normalize(raw, nation, file_source[1], lang, preset, field_map, settings, detect)
            except BadRecord as e:
                ld.bad(raw.file, raw.where, str(e), raw.raw_text())
                continue
            except (StrictModeError, UnknownPreset):
                raise
            except Exception as e:  # a record shaped in a way no check foresaw must not stop the load
                ld.bad(raw.file, raw.where, f"the record could not be read ({type(e).__name__}: {e})",
                       raw.raw_text())
                continue
            for w in art.pop("warnings", ()):
                ld.bad(raw.file, raw.where, w, raw.raw_text(), kept=True)
            art["_where"] = (raw.file, raw.where, raw.raw)
            art["_multi"] = raw.set_hint is not None
            batch.append(art)
            if len(batch) >= settings.batch_size:
                submit(batch)
                batch = []
        if batch:
            submit(batch)
        for f in pending:
            f.result()
    finally:
        pool.shutdown(wait=True)
        pb.close()
        q.close()
    rep.seconds = time.perf_counter() - t0
    rep.quarantine_file = str(q.path) if q.count else None
    return rep


def _normalize(raw, nation, source, lang, preset, field_map, settings, detect):
    from navab_loaders import normalize

    return normalize(raw.data, nation=nation, source=source, lang=lang, preset=preset, field_map=field_map,
                     max_chars=settings.max_text_chars, set_hint=raw.set_hint, detect=detect)


def _flush(ld: _Load, batch: list[dict[str, Any]]) -> None:
    store, rep = ld.store, ld.rep
    new_sources = {a["source"] for a in batch} - ld.sources_done
    if new_sources:
        run_named(store, "load/sources", {"rows": [{"nation": ld.nation, "source": s} for s in sorted(new_sources)]})
        ld.sources_done |= new_sources
    seen: dict[str, tuple[str, str, str | None]] = {}
    existing = {r["id"]: r for r in run_named(store, "load/existing_articles",
                                              {"ids": [a["id"] for a in batch]}, write=False)}
    rows = []
    for a in batch:
        where = a.pop("_where")
        multi = a.pop("_multi", False)  # NaVAB rows: one article may carry several statements
        prev, ex = seen.get(a["id"]), existing.get(a["id"])
        if ex is not None and ex.get("nation") not in (None, a["nation"]):
            ld.bad(where[0], where[1], f"id {a['id']!r} already belongs to an article of nation {ex['nation']} "
                   f"(another file with the same name?): pass --source to tell the sources apart", where[2])
            continue
        if not multi and (prev is not None or (ex is not None and ex["load_id"] == ld.load_id)):
            # the same id twice in one load: the first wins, the second is kept for inspection
            reason = f"duplicate id {a['id']!r}" + (f" (first seen at {prev[1]})" if prev else
                                                     " (already loaded by this run)")
            ld.bad(where[0], where[1], reason, where[2] or _brief(a), duplicate=True)
            continue
        rows.append((a, where, prev is None and (ex is None or ex["load_id"] != ld.load_id), ex is not None))
        seen[a["id"]] = where
    for a, where, first, was_there in _write(ld, rows):
        if first:
            with ld.lock:
                rep.updated += was_there
                rep.loaded += not was_there
        rep.truncated += bool(a["truncated"])
        rep.statements += len(a["statements"])


def _write(ld: _Load, rows: list[tuple]) -> list[tuple]:
    """Write articles, their statements and speakers; a row whose values cannot be sent (ParameterError is
    raised before anything reaches the database) is quarantined alone and the others are written."""
    try:
        _write_rows(ld, [r[0] for r in rows])
        return rows
    except ParameterError:
        pass
    done = []
    for r in rows:
        try:
            _write_rows(ld, [r[0]])
            done.append(r)
        except ParameterError as e:
            ld.bad(r[1][0], r[1][1], str(e), r[1][2] or _brief(r[0]))
    return done


def _write_rows(ld: _Load, rows: list[dict[str, Any]]) -> None:
    store = ld.store
    arts = list({a["id"]: {k: v for k, v in a.items() if k not in ("statements", "orig_chars")}
                 for a in rows}.values())
    run_named(store, "load/articles", {"rows": arts, "load_id": ld.load_id})
    sts = [{**s, "article_id": a["id"], "nation": a["nation"]} for a in rows for s in a["statements"]]
    if sts:
        run_named(store, "load/statements", {"rows": sts})
        spk = [{"statement_id": s["id"], "speaker": s["speaker"]} for s in sts if s["speaker"]]
        if spk:
            run_named(store, "load/speakers", {"rows": spk})


def _brief(a: dict[str, Any]) -> str:
    import json

    return json.dumps({"id": a["id"], "title": a.get("title"), "text": a.get("text", "")[:500]}, ensure_ascii=False)
