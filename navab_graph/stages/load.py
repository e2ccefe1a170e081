"""Load news into the graph: streaming read, validation, quarantine, batched UNWIND MERGE on stable ids."""
from __future__ import annotations

import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from navab_loaders import BadRecord, check_nation, iter_records
from navab_loaders.presets import PRESETS, UnknownPreset

from ..config import Settings
from ..progress import bar
from ..quarantine import Quarantine
from ..store import GraphStore, ensure_schema, run_named


class StrictModeError(RuntimeError):
    pass


@dataclass
class LoadReport:
    files: list[str] = field(default_factory=list)
    read: int = 0
    loaded: int = 0
    updated: int = 0
    quarantined: int = 0
    duplicates: int = 0
    truncated: int = 0
    statements: int = 0
    seconds: float = 0.0
    quarantine_file: str | None = None

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
    source = source or (preset if preset else path.stem if path.is_file() else path.name)
    lang = lang or (PRESETS[preset].lang if preset else settings.language_of(nation))
    detect = _detector() if lang == "auto" else None
    ensure_schema(store)
    run_named(store, "load/sources", {"rows": [{"nation": nation, "source": source}]})

    rep = LoadReport()
    q = Quarantine(settings.data_dir, "load")
    load_id = uuid.uuid4().hex
    t0 = time.perf_counter()
    batch: list[dict[str, Any]] = []
    pb = bar(desc=f"load {nation}", unit="rec", quiet=quiet)
    # one writer thread: the database works on batch N while this thread parses batch N+1 (ordered, so
    # duplicate detection across batches still sees every earlier batch)
    pool = ThreadPoolExecutor(max_workers=1)
    pending: list[Future] = []

    def submit(b: list[dict[str, Any]]) -> None:
        pending.append(pool.submit(_flush, store, b, load_id, rep, q, strict))
        while len(pending) > 1:
            pending.pop(0).result()
            pb.update(settings.batch_size)
    try:
        for raw in iter_records(path, fmt if not preset else ("auto" if fmt == "auto" else fmt)):
            rep.read += 1
            if raw.file not in rep.files:
                rep.files.append(raw.file)
            if raw.error:
                _bad(q, rep, strict, raw.file, raw.where, raw.error, None)
                continue
            try:
                art = _normalize(raw, nation, source, lang, preset, field_map, settings, detect)
            except BadRecord as e:
                _bad(q, rep, strict, raw.file, raw.where, str(e), raw.data)
                continue
            art["_where"] = (raw.file, raw.where)
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


def _bad(q: Quarantine, rep: LoadReport, strict: bool, file: str, where: str, reason: str, record: Any) -> None:
    if strict:
        raise StrictModeError(f"{file}, {where}: {reason}")
    q.add(file=file, where=where, reason=reason, record=record)
    rep.quarantined += 1


def _flush(store: GraphStore, batch: list[dict[str, Any]], load_id: str, rep: LoadReport, q: Quarantine,
           strict: bool) -> None:
    seen: dict[str, tuple[str, str]] = {}
    rows = []
    existing = {r["id"]: r["load_id"] for r in run_named(store, "load/existing_articles",
                                                         {"ids": [a["id"] for a in batch]}, write=False)}
    for a in batch:
        where = a.pop("_where")
        multi = a.pop("_multi", False)  # NaVAB rows: one article may carry several statements
        prev = seen.get(a["id"])
        if not multi and (prev is not None or existing.get(a["id"]) == load_id):
            # the same id twice in one load: the first wins, the second is kept for inspection
            _dup(q, rep, strict, where, a, prev)
            continue
        if prev is None and existing.get(a["id"]) != load_id:
            if a["id"] in existing:
                rep.updated += 1
            else:
                rep.loaded += 1
        seen[a["id"]] = where
        rep.truncated += bool(a["truncated"])
        rows.append(a)
    arts = list({a["id"]: {k: v for k, v in a.items() if k not in ("statements", "orig_chars")} for a in rows}.values())
    run_named(store, "load/articles", {"rows": arts, "load_id": load_id})
    sts = [{**s, "article_id": a["id"], "nation": a["nation"]} for a in rows for s in a["statements"]]
    if sts:
        run_named(store, "load/statements", {"rows": sts})
        spk = [{"statement_id": s["id"], "speaker": s["speaker"]} for s in sts if s["speaker"]]
        if spk:
            run_named(store, "load/speakers", {"rows": spk})
        rep.statements += len(sts)


def _dup(q, rep, strict, where, a, prev) -> None:
    reason = f"duplicate id {a['id']!r}" + (f" (first seen at {prev[1]})" if prev else " (already loaded by this run)")
    if strict:
        raise StrictModeError(f"{where[0]}, {where[1]}: {reason}")
    q.add(file=where[0], where=where[1], reason=reason, record={"id": a["id"], "title": a.get("title")})
    rep.quarantined += 1
    rep.duplicates += 1
