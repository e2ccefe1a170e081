"""Lineage: which stage run made what, and what is stale now.

Every stage run is a `(:StageRun {id: run id})` node (state started -> done | failed; reduce runs also
rolled_back / undone) with its settings fingerprint and, for the LLM-backed stages, provider / model / prompt
version. Derived nodes carry the id of the run that made them: Article.topic_run, Topic.topic_run,
Topic.screen_run, Statement.extract_run / Article.extract_run, Statement.construct_run, Statement.link_run /
Article.link_run, Statement.removed_run (Conflict Reduction).

Staleness is computed from the graph's content, never from a flag: an unscreened topic (a new topic model
resets the verdicts), an extracted statement whose article is in no value-related topic now, a statement or
article not stamped by the latest link run (or one that vanished since), a reduction that was undone,
interrupted, or no longer covers the nation's statements. `status` shows the counts, `run` re-derives what
they name, `export` refuses state that would put a wrong statement or a wrong claim into a snapshot.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .store import GraphStore, run_named

STAGES = ("load", "topics", "screen", "extract", "construct", "link", "reduce")
LLM_STAGES = ("topics", "screen", "extract", "construct")
STALE_AFTER_S = 6 * 3600  # a started reduce run of another host counts as live this long


class StaleState(RuntimeError):
    """The graph holds stale state a snapshot would carry; the message names the stage to re-run."""


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def new_run_id(nation: str, stage: str) -> str:
    """e.g. FR-extract-20261202T060651-0936f5 (no ':' around the stage: rich would render ':link:' as an emoji)."""
    return f"{nation}-{stage}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"


def settings_fp(settings: Any) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:16]


def proc_start(pid: int) -> str | None:
    """Start time of a process (Linux /proc), so a reused pid is not taken for the process that wrote it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def process_alive(run: dict[str, Any], active: set[str] | frozenset = frozenset()) -> bool:
    """Is the process that started this run (pid, host, process start time) still running it?"""
    if run.get("host") != socket.gethostname():
        started = run.get("started_ns") or 0
        return time.time_ns() - int(started) < STALE_AFTER_S * 1_000_000_000
    pid = run.get("pid")
    if pid is None:
        return False
    if int(pid) == os.getpid():
        return run.get("run_id") in active
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = proc_start(int(pid))
    return now is None or run.get("proc_start") is None or now == run.get("proc_start")


# --- recording -------------------------------------------------------------------------------------------
@dataclass
class Run:
    id: str
    nation: str
    stage: str
    summary: dict[str, Any] = field(default_factory=dict)
    statements: int | None = None
    articles: int | None = None


@contextmanager
def recorded(store: GraphStore, nation: str, stage: str, *, settings: Any = None,
             provider: Any = None) -> Iterator[Run]:
    """Record one run of `stage`: StageRun started, then done (or failed with the error)."""
    from .llm.provenance import provenance

    run = Run(new_run_id(nation, stage), nation, stage)
    info = provenance(provider, stage) if stage in LLM_STAGES else {}
    run_named(store, "lineage/start", {
        "id": run.id, "nation": nation, "stage": stage, "started_at": now_iso(), "ns": time.time_ns(),
        "pid": os.getpid(), "host": socket.gethostname(), "settings_fp": settings_fp(settings),
        "settings": json.dumps(settings, sort_keys=True, default=str)[:4000], "provider": info.get("provider"),
        "model": info.get("model"), "prompt_version": info.get("prompt_version"),
        "demo_quality": info.get("demo_quality"), "code_version": __version__})
    try:
        yield run
    except BaseException as e:
        try:
            run_named(store, "lineage/fail", {"id": run.id, "finished_at": now_iso(),
                                              "error": f"{type(e).__name__}: {e}"[:1000]})
        except Exception:  # the store may be what failed; the run then stays 'started'
            pass
        raise
    run_named(store, "lineage/finish", {
        "id": run.id, "finished_at": now_iso(), "ns": time.time_ns(),
        "summary": json.dumps(run.summary, default=str)[:4000], "statements": run.statements,
        "articles": run.articles})


def last_runs(store: GraphStore, nation: str) -> dict[str, dict[str, Any]]:
    return {r["stage"]: r["run"] for r in run_named(store, "lineage/last_runs", {"nation": nation}, write=False)}


def _settings(run: dict[str, Any] | None) -> dict[str, Any]:
    try:
        return json.loads(run.get("settings") or "null") or {} if run else {}
    except (TypeError, ValueError):
        return {}


def _one(store: GraphStore, name: str, params: dict[str, Any]) -> dict[str, Any]:
    rows = run_named(store, name, params, write=False)
    row = rows[0] if rows else {}
    return {k: int(v or 0) if isinstance(v, (int, float)) or v is None else v for k, v in row.items()}


# --- what is stale ---------------------------------------------------------------------------------------
def _stage_row(stage: str, run: dict[str, Any] | None) -> dict[str, Any]:
    run = run or {}
    return {"stage": stage, "last_run": run.get("run_id"), "finished_at": run.get("finished_at"),
            "provider": run.get("provider"), "model": run.get("model"), "prompt_version": run.get("prompt_version"),
            "stale": 0, "pending": 0, "note": "" if run else "not run"}


def assess(store: GraphStore, nation: str, stages: tuple[str, ...] = STAGES) -> dict[str, Any]:
    """Per stage: last run, stale count (derived state now invalid), pending count (work not done yet), a
    note; plus the Conflict Reduction state (see reduce_state)."""
    runs = last_runs(store, nation)
    out: dict[str, dict[str, Any]] = {s: _stage_row(s, runs.get(s)) for s in stages}
    need = set(stages)
    tp = _one(store, "lineage/topics_pending", {"nation": nation})
    sp = _one(store, "lineage/screen_pending", {"nation": nation, "outlier": f"{nation}:-1"})
    has_topics = sp.get("topics", 0) > 0
    if "topics" in need and has_topics and (tp.get("untopiced") or tp.get("changed")):
        notes = ([f"{tp['untopiced']} articles in no topic"] if tp.get("untopiced") else []) + \
            ([f"{tp['changed']} articles re-loaded with another title or text since the topic model"]
             if tp.get("changed") else [])
        out["topics"].update(pending=tp["untopiced"] + tp["changed"], note="; ".join(notes))
    if "screen" in need and sp.get("unscreened"):
        out["screen"].update(stale=sp["unscreened"], note=f"{sp['unscreened']} topics without a verdict")
    all_topics = bool(_settings(runs.get("extract")).get("all_topics"))
    if "extract" in need:
        retire = extract_stale(store, nation, all_topics=all_topics, has_topics=has_topics)
        changed_articles, changed = extract_changed(store, nation)
        pending = (_one(store, "lineage/extract_pending", {"nation": nation, "all_topics": all_topics})
                   .get("pending", 0) if (has_topics or all_topics) else 0)
        out["extract"].update(stale=len(set(retire) | set(changed)), pending=pending + len(changed_articles))
        notes = []
        if retire:
            notes.append(f"{len(retire)} statements from articles no longer in a value-related topic")
        if changed_articles:
            notes.append(f"{len(changed_articles)} articles re-loaded with another title or text since their "
                         f"extraction ({len(changed)} statements from the old text)")
        if pending:
            notes.append(f"{pending} articles to extract")
        if notes:
            out["extract"]["note"] = "; ".join(notes)
    if "construct" in need:
        cp = _one(store, "lineage/construct_pending", {"nation": nation}).get("pending", 0)
        if cp:
            out["construct"].update(pending=cp, note=f"{cp} statements without a triple")
    link = link_state(store, nation, runs.get("link")) if {"link", "reduce"} & need else {}
    if "link" in need:
        out["link"].update(stale=link["stale"], note=link["note"] or out["link"]["note"])
    red = reduce_state(store, nation, runs.get("reduce"), runs.get("link"), link) if "reduce" in need else {}
    if "reduce" in need:
        out["reduce"].update(stale=red["stale"], note=red["note"])
        if red.get("run_id"):
            out["reduce"]["last_run"] = red["run_id"]
    return {"stages": out, "reduce": red, "link": link, "has_topics": has_topics}


def extract_stale(store: GraphStore, nation: str, *, all_topics: bool, has_topics: bool) -> list[str]:
    """Ids of extracted statements whose article is in no value-related topic now (none with all_topics, or
    when the nation has no topic model at all)."""
    if all_topics or not has_topics:
        return []
    return [r["id"] for r in run_named(store, "lineage/extract_stale", {"nation": nation}, write=False)]


def extract_changed(store: GraphStore, nation: str) -> tuple[list[str], list[str]]:
    """(article ids, their extracted statement ids) of articles re-loaded with another title or text since
    their extraction."""
    rows = run_named(store, "lineage/extract_changed", {"nation": nation}, write=False)
    return [r["article"] for r in rows], [i for r in rows for i in (r["statements"] or [])]


def link_state(store: GraphStore, nation: str, run: dict[str, Any] | None) -> dict[str, Any]:
    if not run:
        return {"run_id": None, "stale": 0, "note": "not run"}
    c = _one(store, "lineage/link_stamped", {"nation": nation, "link_run": run["run_id"]})
    new = (c["statements"] - c["statements_linked"]) + (c["articles"] - c["articles_linked"])
    # gone: fewer now than the run linked (a statement whose link stamp was cleared is counted in `new`)
    gone = max(0, int(run.get("statements") or 0) - c["statements"]) + \
        max(0, int(run.get("articles") or 0) - c["articles"])
    note = ""
    if new or gone:
        note = f"{new} statements/articles not linked by run {run['run_id']}" + (f", {gone} gone since" if gone else "")
    return {"run_id": run["run_id"], "stale": new + gone, "note": note}


def reduce_state(store: GraphStore, nation: str, run: dict[str, Any] | None, link_run: dict[str, Any] | None,
                 link: dict[str, Any]) -> dict[str, Any]:
    """Conflict Reduction as it stands: state 'current' (the latest finished, not undone run covers the
    nation's statements as they are: same link run, nothing linked since, same statement counts), 'none'
    (never reduced), 'undone', 'stale', 'interrupted' or 'running' (a started run: partial removals)."""
    c = _one(store, "lineage/statement_status", {"nation": nation})
    res: dict[str, Any] = {"state": "none", "stale": 0, "note": "", "run_id": None, "counts": c}
    started = run_named(store, "conflict/00_started", {"nation": nation, "exclude": ""}, write=False)
    if started:
        from .reduce.runner import ACTIVE

        s = started[0]
        live = process_alive(s, ACTIVE)
        res.update(state="running" if live else "interrupted", run_id=s["run_id"], stale=max(1, c.get("removed", 0)),
                   note=(f"run {s['run_id']} is running (pid {s.get('pid')})" if live else
                         f"run {s['run_id']} was interrupted; the next `reduce` rolls it back"))
        return res
    if not run:
        res["note"] = "not run" + (f"; {c['foreign']} statements removed by no recorded reduction run"
                                   if c.get("foreign") else "")
        return res
    res.update(run_id=run["run_id"], rounds=int(run.get("rounds") or 0), removed=int(run.get("removed") or 0),
               params=run.get("settings"), finished_at=run.get("finished_at"))
    kept_now = c.get("kept", 0)
    why = ""
    if run.get("undone"):
        why = f"run {run['run_id']} was undone"
    elif link_run and run.get("link_run") != link_run.get("run_id"):
        why = f"link ran again ({link_run.get('run_id')}) after reduce run {run['run_id']}"
    elif link.get("stale"):
        why = "link is stale"
    elif (int(run.get("statements") or 0), int(run.get("kept") or 0), int(run.get("removed") or 0)) != \
            (c.get("statements", 0), kept_now, c.get("removed", 0)):
        why = (f"statements changed since run {run['run_id']} (kept {int(run.get('kept') or 0)} -> {kept_now}, "
               f"removed {int(run.get('removed') or 0)} -> {c.get('removed', 0)})")
    if why:
        res.update(state="undone" if run.get("undone") else "stale", stale=max(1, kept_now), note=why)
    else:
        res.update(state="current", note=f"run {run['run_id']}: {res['rounds']} round(s), {res['removed']} removed")
    return res


# --- export's guard --------------------------------------------------------------------------------------
def check_export(store: GraphStore, nation: str, *, with_cr: bool) -> dict[str, Any]:
    """Raise StaleState (one line, naming the stage to re-run) when a snapshot would carry stale or partial
    state; else return {conflict_reduction, warnings, stages}."""
    a = assess(store, nation)
    st, red = a["stages"], a["reduce"]
    derived = red["counts"].get("derived", 0)

    def refuse(stage: str, why: str) -> None:
        raise StaleState(f"nation {nation}: not exported, {stage} is stale ({why}); re-run it: "
                         f"`navab-graph {stage} --nation {nation}` or `navab-graph run --nation {nation}`")
    if st["screen"]["stale"] and derived:
        refuse("screen", st["screen"]["note"])
    if st["extract"]["stale"]:
        refuse("extract", st["extract"]["note"])
    removed = red["counts"].get("removed", 0)
    if red["state"] in ("running", "interrupted"):
        refuse("reduce", red["note"])
    if red["state"] in ("undone", "stale") and (with_cr or removed):
        refuse("reduce", red["note"] + ("" if with_cr else f"; {removed} statements carry its removals"))
    warnings = []
    if with_cr and red["state"] == "none":
        warnings.append(f"no Conflict Reduction has run for {nation}: the snapshot holds every statement not "
                        "marked removed and says with_conflict_reduction: false")
    for stage in ("topics", "extract", "construct"):
        if st[stage]["pending"]:
            warnings.append(f"{stage}: {st[stage]['note']} (not in this snapshot)")
    return {"conflict_reduction": red, "warnings": warnings, "stages": st}
