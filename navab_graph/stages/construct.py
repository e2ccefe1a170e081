"""Construct stage: source judgment (quoted / official) and <Q, S, RS> for every kept statement lacking them.

A statement with an attributed speaker is `quoted` (no call needed); otherwise the provider judges the source
from the statement and its article. Preloaded NaVAB statements keep their question, reverse and kind (the write
uses coalesce). Each triple is validated (RS differs from S and is in S's language; Q ends with a question mark);
the openai provider re-asks on failure, and what still fails is recorded on the Statement (triple_error,
triple_attempts): never silently dropped. Chunks are written as they finish, so a re-run does only the rest.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from navab_loaders import check_nation
from navab_loaders.keys import NameTooLong, clean_name

from ..config import Settings
from ..lineage import recorded
from ..llm import LLMProvider, get_provider
from ..llm.validate import triple_problem
from ..progress import bar
from ..store import GraphStore, run_batches, run_named
from .extract import now


@dataclass
class ConstructReport:
    nation: str
    provider: str = ""
    pending: int = 0
    triples: int = 0
    judged: int = 0
    quoted: int = 0
    official: int = 0
    failed: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def construct(store: GraphStore, settings: Settings, nation: str, *, limit: int | None = None,
              provider: LLMProvider | None = None, chunk_size: int = 32, quiet: bool = False) -> ConstructReport:
    """Build the pending triples of a nation, recorded as a StageRun (statements stamped construct_run)."""
    nation = check_nation(nation)
    llm = provider or get_provider(settings)
    with recorded(store, nation, "construct", provider=llm) as run:
        rep = _construct(store, settings, nation, limit, llm, chunk_size, quiet, run.id)
        run.summary = {k: v for k, v in rep.as_dict().items() if k != "notes"}
    return rep


def _construct(store, settings, nation, limit, llm, chunk_size, quiet, run_id) -> ConstructReport:
    t0 = time.perf_counter()
    rep = ConstructReport(nation=nation, provider=llm.name, notes=list(llm.usage.notes))
    rows = run_named(store, "construct/pending_statements",
                     {"nation": nation, "limit": int(limit if limit else 10**9)}, write=False)
    rep.pending = len(rows)
    default_lang = settings.language_of(nation)
    with bar(len(rows), f"construct {nation}", "statement", quiet) as pb:
        for i in range(0, len(rows), chunk_size):
            _chunk(store, settings, llm, rows[i:i + chunk_size], default_lang, rep, run_id)
            pb.update(len(rows[i:i + chunk_size]))
    rep.seconds = time.perf_counter() - t0
    return rep


def _chunk(store, settings, llm, chunk, default_lang, rep, run_id) -> None:
    for r in chunk:
        r["lang"] = r.get("lang") or default_lang
    # 1. source judgment: only where no kind is stored and no speaker was attributed at extraction
    kinds: dict[str, tuple[str, str | None]] = {}
    ask = []
    for r in chunk:
        if r.get("kind"):
            kinds[r["id"]] = (r["kind"], r.get("speaker"))
        elif r.get("speaker"):
            kinds[r["id"]] = ("quoted", r["speaker"])
        else:
            ask.append(r)
    errors: dict[str, tuple[str, int]] = {}
    if ask:
        outs = llm.judge_source_many([{"statement": r["text"], "context": r.get("context") or "", "lang": r["lang"]}
                                      for r in ask])
        rep.judged += len(ask)
        for r, out in zip(ask, outs):
            if out.ok:
                try:  # the LLM's speaker feeds the export and the misaligned_by_speaker query: one name, one form
                    who = clean_name(out.value.speaker) if out.value.kind == "quoted" else None
                except NameTooLong:
                    who = None
                kinds[r["id"]] = (out.value.kind, who)
            else:
                errors[r["id"]] = (f"source judgment: {out.error}", out.attempts)
    # 2. <Q, S, RS> where question or reverse is missing
    need = [r for r in chunk if not (r.get("question") and r.get("reverse"))]
    triples: dict[str, tuple[str | None, str | None]] = {r["id"]: (r.get("question"), r.get("reverse"))
                                                         for r in chunk if r not in need}
    if need:
        outs = llm.construct_many([{"statement": r["text"], "lang": r["lang"], "context": ""} for r in need])
        for r, out in zip(need, outs):
            if not out.ok:
                errors[r["id"]] = (f"triple: {out.error}", out.attempts)
                continue
            problem = triple_problem(out.value, r["text"], r["lang"])
            if problem:
                errors[r["id"]] = (f"triple: invalid result: {problem}", out.attempts)
            else:
                triples[r["id"]] = (out.value.question, out.value.reverse)
    ok_rows, kind_rows, failed = [], [], []
    for r in chunk:
        kind, speaker = kinds.get(r["id"], (None, None))
        if r["id"] in errors:
            err, attempts = errors[r["id"]]
            failed.append({"id": r["id"], "error": err[:1000], "attempts": attempts})
            if kind:
                kind_rows.append({"id": r["id"], "kind": kind, "speaker": speaker})
        else:
            q, rs = triples[r["id"]]
            ok_rows.append({"id": r["id"], "kind": kind, "speaker": speaker, "question": q, "reverse": rs,
                            "provider": llm.name})
        if kind:
            rep.quoted += kind == "quoted"
            rep.official += kind == "official"
    bs = settings.batch_size
    run_batches(store, "construct/write_triples", ok_rows, batch_size=bs, params={"at": now(), "run": run_id})
    run_batches(store, "construct/write_kinds", kind_rows, batch_size=bs, params={"run": run_id})
    run_batches(store, "construct/mark_failed", failed, batch_size=bs)
    rep.triples += len(ok_rows)
    rep.failed += len(failed)
