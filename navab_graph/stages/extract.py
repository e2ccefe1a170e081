"""Extract stage: value statements, speakers, organizations and locations from a nation's articles.

Articles in value-related topics (or all of the nation's articles with all_topics) that are not yet extracted and
carry no preloaded statements go to the LLM provider in chunks; each chunk is written and its articles marked
(extracted_at) before the next, so an interrupted run resumes with only the rest. A failed call is recorded on the
article (extract_error, extract_attempts) and the article stays pending for the next run.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from navab_loaders import check_nation
from navab_loaders.keys import MAX_NAME, NameTooLong, clean_name
from navab_loaders.records import statement_id

from ..config import Settings
from ..gazetteer import lookup
from ..lineage import extract_changed, extract_stale, recorded
from ..llm import LLMProvider, get_provider
from ..progress import bar
from ..store import GraphStore, chunks, run_batches, run_named


class TopicsMissing(RuntimeError):
    """The topics stage has not run for the nation (or found no value-related topic) and all_topics is off."""


@dataclass
class ExtractReport:
    nation: str
    provider: str = ""
    pending: int = 0
    articles: int = 0
    failed: int = 0
    retired: int = 0  # statements of articles no longer in a value-related topic, or re-loaded with another
    # title or text, deleted before extracting
    statements: int = 0
    speakers: int = 0
    organizations: int = 0
    locations: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run_settings(all_topics: bool) -> dict[str, Any]:
    """What an extraction run depends on besides the graph (its StageRun's settings)."""
    return {"all_topics": bool(all_topics)}


def extract(store: GraphStore, settings: Settings, nation: str, *, all_topics: bool = False,
            limit: int | None = None, provider: LLMProvider | None = None, chunk_size: int = 16,
            quiet: bool = False) -> ExtractReport:
    """Extract a nation's pending articles, recorded as a StageRun (statements stamped extract_run). First
    retires the statements whose article left the value-related topics (a new screening or topic model)."""
    nation = check_nation(nation)
    llm = provider or get_provider(settings)
    with recorded(store, nation, "extract", settings=run_settings(all_topics), provider=llm) as run:
        rep = _extract(store, settings, nation, all_topics, limit, llm, chunk_size, quiet, run.id)
        run.summary = {k: v for k, v in rep.as_dict().items() if k != "notes"}
    return rep


def retire(store: GraphStore, settings: Settings, nation: str, ids: list[str]) -> int:
    """Delete statements whose article is in no value-related topic now; their articles become pending again
    (extracted anew should they return to a value-related topic)."""
    for batch in chunks(ids, max(1, settings.batch_size)):
        run_named(store, "lineage/retire_articles", {"ids": batch})
        run_named(store, "lineage/retire_statements", {"ids": batch})
    return len(ids)


def _extract(store, settings, nation, all_topics, limit, llm, chunk_size, quiet, run_id) -> ExtractReport:
    t0 = time.perf_counter()
    rep = ExtractReport(nation=nation, provider=llm.name, notes=list(llm.usage.notes))
    counts = run_named(store, "extract/topic_counts", {"nation": nation}, write=False)
    topics = counts[0]["topics"] if counts else 0
    value_topics = (counts[0]["value_topics"] or 0) if counts else 0
    if not all_topics and topics:
        sp = run_named(store, "lineage/screen_pending", {"nation": nation, "outlier": f"{nation}:-1"}, write=False)
        unscreened = int(sp[0]["unscreened"] or 0) if sp else 0
        if unscreened:  # verdicts of a new topic model are missing: retiring now would retire everything
            raise TopicsMissing(f"nation {nation}: {unscreened} topics have no screening verdict (a new topic "
                                f"model?); run `navab-graph screen --nation {nation}` first")
    changed_articles, changed = extract_changed(store, nation)  # re-loaded with another title or text
    stale = extract_stale(store, nation, all_topics=all_topics, has_topics=topics > 0)
    rep.retired = retire(store, settings, nation, sorted(set(stale) | set(changed)))
    for batch in chunks(changed_articles, max(1, settings.batch_size)):
        run_named(store, "lineage/reset_articles", {"ids": batch})
    if not all_topics and topics == 0:
        raise TopicsMissing(f"nation {nation} has no topics yet: run `navab-graph topics --nation {nation}` first, "
                            f"or pass --all-topics to extract from every article of the nation")
    if not all_topics and value_topics == 0:
        raise TopicsMissing(f"nation {nation} has {topics} topics but none is value-related: nothing to extract "
                            f"(pass --all-topics to extract from every article)")
    rows = run_named(store, "extract/pending_articles",
                     {"nation": nation, "all_topics": all_topics, "limit": int(limit if limit else 10**9)},
                     write=False)
    rep.pending = len(rows)
    default_lang = settings.language_of(nation)
    with bar(len(rows), f"extract {nation}", "article", quiet) as pb:
        for i in range(0, len(rows), chunk_size):
            chunk = rows[i:i + chunk_size]
            items = [{"text": r.get("text") or r.get("title") or "", "lang": r.get("lang") or default_lang}
                     for r in chunk]
            outs = llm.extract_many(items, progress=pb.update)
            _write_chunk(store, settings, nation, chunk, items, outs, llm.name, rep, run_id)
    rep.seconds = time.perf_counter() - t0
    return rep


def _write_chunk(store, settings, nation, chunk, items, outs, provider_name, rep, run_id) -> None:
    stmts, persons, org_speakers, org_mentions, loc_mentions, done, failed = [], [], [], [], [], [], []
    too_long = 0

    def name(v):  # merged on: one node per name, whatever whitespace or control characters it came with
        nonlocal too_long
        try:
            return clean_name(v)
        except NameTooLong:
            too_long += 1
            return None

    for art, item, out in zip(chunk, items, outs):
        if not out.ok:
            failed.append({"id": art["id"], "error": (out.error or "no result")[:1000], "attempts": out.attempts})
            continue
        ex = out.value
        seen: set[str] = set()
        for s in ex.statements:
            text = (s.text or "").strip()
            if not text or text in seen:
                continue
            seen.add(text)
            sid = statement_id(nation, text, art["id"])
            speaker, org = name(s.speaker), name(s.organization)
            stmts.append({"id": sid, "article_id": art["id"], "nation": nation, "text": text, "lang": item["lang"],
                          "speaker": speaker, "organization": org, "provider": provider_name})
            if speaker and speaker == org:
                org_speakers.append({"statement_id": sid, "name": org})
            elif speaker:
                persons.append({"statement_id": sid, "name": speaker})
        orgs = {o for o in map(name, ex.organizations) if o}
        orgs |= {s["organization"] for s in stmts if s["article_id"] == art["id"] and s["organization"]}
        org_mentions += [{"article_id": art["id"], "name": o} for o in sorted(orgs)]
        for loc in dict.fromkeys(n for n in map(name, ex.locations) if n):
            place = lookup(loc)
            loc_mentions.append({"article_id": art["id"], "name": place.name if place else loc,
                                 "lat": place.lat if place else None, "lon": place.lon if place else None})
        done.append({"id": art["id"], "statements": len(seen)})
    if too_long:
        rep.notes.append(f"{too_long} names longer than {MAX_NAME} characters were not names and were dropped")
    bs = settings.batch_size
    run_batches(store, "extract/write_statements", stmts, batch_size=bs, params={"run": run_id})
    run_batches(store, "extract/said_by_person", persons, batch_size=bs)
    run_batches(store, "extract/said_by_organization", org_speakers, batch_size=bs)
    run_batches(store, "extract/mention_organizations", org_mentions, batch_size=bs)
    run_batches(store, "extract/mention_locations", loc_mentions, batch_size=bs)
    run_batches(store, "extract/mark_failed", failed, batch_size=bs)
    # Marked last: a crash before this line leaves the chunk pending, and its MERGEs are idempotent on re-run.
    run_batches(store, "extract/mark_done", done, batch_size=bs,
                params={"at": now(), "provider": provider_name, "run": run_id})
    rep.articles += len(done)
    rep.failed += len(failed)
    rep.statements += len(stmts)
    rep.speakers += len(persons) + len(org_speakers)
    rep.organizations += len(org_mentions)
    rep.locations += len(loc_mentions)
