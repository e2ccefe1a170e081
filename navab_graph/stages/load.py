"""Load news into the graph: streaming read, validation, quarantine, batched writes on stable ids.

Two ways to write a batch (docs/ARCHITECTURE.md, "Loading"): MERGE on the article id (`load/articles`, every
engine), and on the embedded FalkorDB a bulk path for the ids the batch's lookup did not find: GRAPH.BULK
creates them, then `load/published_by` links them to their source. Ids already in the graph always go
through MERGE, so a re-load updates and never duplicates. The reading thread parses, drops duplicates within
a batch and encodes its writes while a writer thread waits on the database for the batch before.
"""
from __future__ import annotations

import sys
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from navab_loaders import BadRecord, check_nation, iter_records, normalize
from navab_loaders.presets import PRESETS, UnknownPreset
from navab_loaders.readers import file_stem

from .. import cypher
from ..config import Settings
from ..locks import articles_lock
from ..progress import bar
from ..quarantine import Quarantine
from ..store import GraphStore, ensure_schema, run_named
from ..store.falkor import ParameterError, bulk_nodes, params_header


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
    statements_dropped: int = 0  # ready-made statements a re-loaded article no longer carries (deleted)
    write_path: str = "merge"  # "bulk": new ids through GRAPH.BULK (ids already in the graph still MERGE)
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
    if ":" in s:  # ids are source:record id, so source x:y with id z and source x with id y:z would be one id
        raise ValueError(f"source {source!r}: ':' separates the source from the record id in article ids; "
                         "name the source without it (e.g. --source " + s.replace(":", "-") + ")")
    return s


class _Load:
    """One load: what the reading thread and the writing thread share (counts under a lock)."""

    def __init__(self, store: GraphStore, rep: LoadReport, q: Quarantine, strict: bool, nation: str,
                 bulk: bool = False):
        self.store, self.rep, self.q, self.strict, self.nation = store, rep, q, strict, nation
        self.bulk = bulk
        # FalkorDB takes parameters as a text header: built by the reading thread (_plan), not by the writer
        self.falkor = store.engine == "falkordb"
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
         lang: str | None = None, strict: bool = False, quiet: bool = False,
         bulk: bool | None = None) -> LoadReport:
    """`bulk`: None (default) takes the bulk path for a nation without any article yet on the embedded
    FalkorDB, True takes it for any nation (new ids only; it needs the embedded FalkorDB), False never."""
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

    def waiting(msg: str) -> None:
        if not quiet:
            print(f"waiting: {msg} (article ids are shared by every nation of a graph) ...", file=sys.stderr)
    with articles_lock(settings.data_dir, settings.graph_name, f"load -n {nation}", on_wait=waiting):
        return _load(store, settings, path, nation, source, fmt, preset, field_map, lang, strict, quiet, bulk,
                     detect)


def _load(store, settings, path, nation, source, fmt, preset, field_map, lang, strict, quiet, bulk,
          detect) -> LoadReport:
    use_bulk = _use_bulk(store, nation, bulk)

    rep = LoadReport(write_path="bulk" if use_bulk else "merge")
    q = Quarantine(settings.data_dir, "load")
    ld = _Load(store, rep, q, strict, nation, use_bulk)
    t0 = time.perf_counter()
    batch: list[dict[str, Any]] = []
    pb = bar(desc=f"load {nation}", unit="rec", quiet=quiet)
    # one writer thread: the database works on batch N while this thread parses batch N+1 (ordered, so
    # duplicate detection across batches still sees every earlier batch)
    pool = ThreadPoolExecutor(max_workers=1)
    pending: list[Future] = []
    file_source: tuple[str, str] = ("", "")

    def submit(b: list[dict[str, Any]]) -> None:
        pending.append(pool.submit(_flush, ld, _prepare(ld, b)))
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
    return normalize(raw.data, nation=nation, source=source, lang=lang, preset=preset, field_map=field_map,
                     max_chars=settings.max_text_chars, set_hint=raw.set_hint, detect=detect)


def _use_bulk(store: GraphStore, nation: str, bulk: bool | None) -> bool:
    # GRAPH.BULK is sent through the embedded engine's own socket client (falkor_wire)
    able = store.engine == "falkordb" and getattr(store, "wire", None) is not None
    if bulk is None:
        return able and not run_named(store, "load/nation_has_articles", {"nation": nation}, write=False)
    if bulk and not able:
        raise ValueError("--bulk needs the embedded FalkorDB engine (GRAPH.BULK through its socket); this graph "
                         f"is on {store.engine} at a URL: load without --bulk (MERGE)")
    return bulk


_ART_KEYS = ("id", "nation", "source", "title", "text", "lang", "published", "published_raw", "url", "truncated",
             "content_sha")


@dataclass
class _Batch:
    """A batch as the reading thread hands it to the writer: its rows, what needs no database done already
    (duplicates within the batch; on FalkorDB the writes encoded) while the writer waits on the batch before."""
    rows: list[dict[str, Any]]
    kept: list[tuple[dict[str, Any], bool]]  # (row, first of its id in the batch), in file order
    dups: list[tuple[dict[str, Any], tuple]]  # (row, where the first one is) for a repeated id
    plan: list[tuple] | None  # the writes of `kept` if the lookup finds nothing to object to
    firsts: int = 0  # rows of `kept` that are the first of their id, and the counts of `kept`
    truncated: int = 0
    statements: int = 0


def _prepare(ld: _Load, rows: list[dict[str, Any]]) -> _Batch:
    seen: dict[str, tuple] = {}
    kept, dups = [], []
    for a in rows:
        prev = seen.get(a["id"])
        if prev is not None and not a["_multi"]:  # NaVAB rows: one article may carry several statements
            dups.append((a, prev))
            continue
        kept.append((a, prev is None))
        seen[a["id"]] = a["_where"]
    plan = None
    if ld.falkor:
        try:  # bulk path: assumes no id is in the graph yet (the writer checks)
            plan = _encode(ld, [a for a, _ in kept], None if ld.bulk else set())
        except ParameterError:
            plan = None  # the writer finds the row and quarantines it
    return _Batch(rows, kept, dups, plan, sum(first for _, first in kept), sum(bool(a["truncated"]) for a, _ in kept),
                  sum(len(a["statements"]) for a, _ in kept))


def _flush(ld: _Load, b: _Batch) -> None:
    store, rep = ld.store, ld.rep
    new_sources = {a["source"] for a in b.rows} - ld.sources_done
    if new_sources:
        run_named(store, "load/sources", {"rows": [{"nation": ld.nation, "source": s} for s in sorted(new_sources)]})
        ld.sources_done |= new_sources
    existing = {r["id"]: r for r in run_named(store, "load/existing_articles",
                                              {"ids": [a["id"] for a in b.rows]}, write=False)}
    source_of = {a["id"]: a["source"] for a in b.rows} if existing else {}
    if b.plan is not None and not (ld.bulk and existing) and all(
            ex.get("nation") in (None, ld.nation) and ex["load_id"] != ld.load_id
            and ex.get("source") in (None, source_of[i]) for i, ex in existing.items()):
        # the common case: the lookup objects to nothing, the writes encoded by the reading thread go out as
        # they are, the engine is not kept waiting on this thread
        for a, prev in b.dups:
            _duplicate(ld, a, prev)
        _send(ld, b.plan)
        if not existing:  # counted by the reading thread: the next batch's lookup goes out sooner
            with ld.lock:
                rep.loaded += b.firsts
            rep.truncated += b.truncated
            rep.statements += b.statements
            return
        rows = [(a, a["_where"], first, a["id"] in existing) for a, first in b.kept]
    else:
        rows = _check(ld, b.rows, existing)
        rows = _write(ld, rows)
    _drop_statements(ld, [a for a, _, _, was_there in rows
                          if was_there and not a["_multi"] and a.get("statements_given")])
    for a, where, first, was_there in rows:
        if first:
            with ld.lock:
                rep.updated += was_there
                rep.loaded += not was_there
        rep.truncated += bool(a["truncated"])
        rep.statements += len(a["statements"])


def _drop_statements(ld: _Load, reloaded: list[dict[str, Any]]) -> None:
    """Delete the ready-made statements these re-loaded articles no longer carry. Only for records that list
    their statements (a record without the field says nothing about them) and not for NaVAB release rows,
    whose article's statements are spread over several rows."""
    if not reloaded:
        return
    rows = [{"article_id": a["id"], "keep": [st["id"] for st in a["statements"]]} for a in reloaded]
    res = run_named(ld.store, "load/drop_statements", {"rows": rows})
    with ld.lock:
        ld.rep.statements_dropped += int(res[0]["dropped"]) if res else 0


def _check(ld: _Load, batch: list[dict[str, Any]], existing: dict[str, dict]) -> list[tuple]:
    """(row, where, first time this load writes its id, id in the graph before) for each row to write; the
    others quarantined: an id of another nation, a repeated id (within this load; NaVAB rows aside)."""
    seen: dict[str, tuple[str, str, str | None]] = {}
    rows = []
    for a in batch:
        where = a["_where"]
        multi = a["_multi"]
        prev, ex = seen.get(a["id"]), existing.get(a["id"])
        if ex is not None and ex.get("nation") not in (None, a["nation"]):
            ld.bad(where[0], where[1], f"id {a['id']!r} already belongs to an article of nation {ex['nation']} "
                   f"(another file with the same name?): pass --source to tell the sources apart", where[2])
            continue
        if ex is not None and ex.get("source") not in (None, a["source"]):
            ld.bad(where[0], where[1], f"id {a['id']!r} already belongs to an article of source {ex['source']!r}, "
                   f"not {a['source']!r}: pass another --source", where[2])
            continue
        if not multi and (prev is not None or (ex is not None and ex["load_id"] == ld.load_id)):
            _duplicate(ld, a, prev)
            continue
        rows.append((a, where, prev is None and (ex is None or ex["load_id"] != ld.load_id), ex is not None))
        seen[a["id"]] = where
    return rows


def _duplicate(ld: _Load, a: dict[str, Any], prev: tuple | None) -> None:
    # the same id twice in one load: the first wins, the second is kept for inspection
    where = a["_where"]
    reason = f"duplicate id {a['id']!r}" + (f" (first seen at {prev[1]})" if prev else " (already loaded by this run)")
    ld.bad(where[0], where[1], reason, where[2] or _brief(a), duplicate=True)


def _write(ld: _Load, rows: list[tuple]) -> list[tuple]:
    """Write articles, their statements and speakers; a row whose values cannot be sent (ParameterError is
    raised while encoding, before anything reaches the database) is quarantined alone, the others are
    written (through MERGE, one by one)."""
    try:
        bulk_ids = {r[0]["id"] for r in rows if not r[3]} if ld.bulk else set()
        _send(ld, _encode(ld, [r[0] for r in rows], bulk_ids))
        return rows
    except ParameterError:
        pass
    done = []
    for r in rows:
        try:
            _send(ld, _encode(ld, [r[0]], set()))
            done.append(r)
        except ParameterError as e:
            ld.bad(r[1][0], r[1][1], str(e), r[1][2] or _brief(r[0]))
    return done


def _encode(ld: _Load, rows: list[dict[str, Any]], bulk_ids: set[str] | None) -> list[tuple]:
    """The writes for these rows as (kind, ...) steps, every value encoded (ParameterError before anything is
    sent). bulk_ids: the ids to create with GRAPH.BULK (None: all of them); the rest are merged."""
    arts: dict[str, dict[str, Any]] = {}
    for a in rows:  # NaVAB rows repeat their article: written once, the last one wins
        arts[a["id"]] = a
    new: dict[str, list[dict[str, Any]]] = {}
    old: dict[str, list[dict[str, Any]]] = {}
    for aid, a in arts.items():
        (new if bulk_ids is None or aid in bulk_ids else old).setdefault(a["source"], []).append(a)
    steps: list[tuple] = []
    if new:
        steps.append(("bulk", [(len(b), bulk_nodes("Article", _ART_KEYS, b, {"load_id": ld.load_id}),
                                _query(ld, "load/published_by", {"source": src, "ids": [a["id"] for a in b]})[1])
                               for src, group in new.items() for b in _parts(group)]))
    for src, group in old.items():
        for b in _parts(group):
            steps.append(_query(ld, "load/articles", {"source": src, "load_id": ld.load_id,
                                                      "rows": [{k: a.get(k) for k in _ART_KEYS} for a in b]}))
    sts = [{**s, "article_id": a["id"], "nation": a["nation"]} for a in rows for s in a["statements"]]
    if sts:
        steps.append(_query(ld, "load/statements", {"rows": sts}))
        spk = [{"statement_id": s["id"], "speaker": s["speaker"]} for s in sts if s["speaker"]]
        if spk:
            steps.append(_query(ld, "load/speakers", {"rows": spk}))
    return steps


_PART_CHARS = 16_000_000  # characters of text per command: at most 64 MB of UTF-8, far below the engine's limits


def _parts(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows split so that no one command carries more than _PART_CHARS of text (a batch of long articles
    would otherwise exceed the 512 MB a Redis argument may have)."""
    out, part, size = [], [], 0
    for a in rows:
        n = len(a["text"])
        if part and size + n > _PART_CHARS:
            out.append(part)
            part, size = [], 0
        part.append(a)
        size += n
    return out + [part] if part else out


def _query(ld: _Load, name: str, params: dict[str, Any]) -> tuple:
    if ld.falkor:
        return ("query", params_header(params) + cypher.get(name, "falkordb"), None)
    return ("query", cypher.get(name, ld.store.engine), params)


def _send(ld: _Load, steps: list[tuple]) -> None:
    for step in steps:
        if step[0] == "bulk":
            _bulk(ld.store, step[1])
        else:
            ld.store.run(step[1], step[2])


def _bulk(store: Any, groups: list[tuple[int, bytes, str]]) -> None:
    """GRAPH.BULK the new articles of each source, then link them to it. Not in one MULTI/EXEC: FalkorDB 4.16
    replaying a write query from inside MULTI/EXEC in its AOF asserts (`!server.in_exec`) and dies when a
    client connects meanwhile, so the engine would not come back. A kill -9 between the two leaves articles
    without their PUBLISHED_BY edge: the re-run of the load (which the failed command asks for) finds them
    in the graph and merges them, edge included."""
    for n, token, edges in groups:
        made = store._command("GRAPH.BULK", store.graph_name, n, 0, 1, 0, token)
        if not str(made).startswith(f"{n} nodes created"):
            raise RuntimeError(f"GRAPH.BULK answered {made!r} for {n} articles; load the same file again: what "
                               "was written is merged, not duplicated")
        store.run(edges)


def _brief(a: dict[str, Any]) -> str:
    import json

    return json.dumps({"id": a["id"], "title": a.get("title"), "text": a.get("text", "")[:500]}, ensure_ascii=False)
