"""`navab-graph run`: the recipe, one call per stage; a stage runs when its output is missing or stale.

Order: load -> topics -> screen -> extract -> construct -> link -> reduce -> export.
`construct` runs before `link` (the paper builds triples after Conflict Reduction): the stance-axis conflict
score needs each statement's reverse, so the reverse must exist first. Removed statements keep their triples;
the export with CR leaves them out, the export without CR keeps them with their cr_status (the ablation).

Whether a stage is up to date is read from the graph's content (navab_graph.lineage), not from counts or from
when the stage before it ran: e.g. `screen` runs when a topic has no verdict, `extract` when an extracted
statement's article left the value-related topics or an article waits, `reduce` when the latest reduction was
undone, interrupted or no longer covers the statements. Every run is a StageRun node; derived nodes carry its id.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import lineage
from .config import Settings
from .store import GraphStore, ensure_schema, run_named

STAGES = ("load", "topics", "screen", "extract", "construct", "link", "reduce", "export")


@dataclass
class StageResult:
    stage: str
    status: str  # ran | skipped | failed
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    why: str = ""  # why it ran (what was missing or stale), or the error


class PipelineError(RuntimeError):
    """A stage of one nation failed; `results` holds what ran before it (and the failed stage)."""

    def __init__(self, nation: str, stage: str, error: BaseException, results: list[StageResult]):
        super().__init__(f"{nation}: {stage}: {type(error).__name__}: {error}")
        self.nation, self.stage, self.error, self.results = nation, stage, error, results


# --- stages recorded here (their modules do not record themselves) ----------------------------------------
def recorded_topics(store: GraphStore, settings: Settings, nation: str, *, provider=None, quiet: bool = False,
                    **kw: Any):
    """run_topics as a StageRun; the assignment is stamped with its id (Article/Topic.topic_run)."""
    from .stages.topics import run_topics

    with lineage.recorded(store, nation, "topics", settings=_topics_settings(settings, kw),
                          provider=provider) as run:
        rep = run_topics(store, settings, nation, provider=provider, quiet=quiet, **kw)
        stamped = run_named(store, "lineage/stamp_topics", {"nation": nation, "run": run.id})
        run.articles = int(stamped[0]["articles"]) if stamped else 0
        run.summary = _summary(rep)
    return rep


def recorded_link(store: GraphStore, settings: Settings, nation: str, **kw: Any):
    """link as a StageRun; every statement and article of the nation is stamped link_run (what it linked)."""
    from .link.stage import link

    with lineage.recorded(store, nation, "link", settings=_link_settings(settings)) as run:
        rep = link(store, settings, nation, **kw)
        s = run_named(store, "lineage/stamp_link_statements", {"nation": nation, "run": run.id})
        a = run_named(store, "lineage/stamp_link_articles", {"nation": nation, "run": run.id})
        run_named(store, "lineage/stamp_link_edges", {"nation": nation, "run": run.id})
        run.statements = int(s[0]["statements"]) if s else 0
        run.articles = int(a[0]["articles"]) if a else 0
        run.summary = _summary(rep)
    return rep


def _embedding_identity(settings: Settings) -> dict[str, Any]:
    """What decides the vectors topics and link are computed from (model per language, token limit, which USE
    pass), recorded in their settings so that a change makes them stale: `run` re-runs them instead of calling
    results made with another model up to date. Left out while it is the default, so that the fingerprints of
    runs recorded before it was recorded still match."""
    from .config import EmbeddingSection

    def ident(e: EmbeddingSection) -> dict[str, Any]:
        return {"models": dict(e.models), "max_tokens": e.max_tokens, "package_forward": e.package_forward}
    mine = ident(settings.embedding)
    return {} if mine == ident(EmbeddingSection()) else {"embedding": mine}


def _topics_settings(settings: Settings, kw: dict[str, Any]) -> dict[str, Any]:
    return {**settings.topics.model_dump(), **{k: v for k, v in kw.items() if v is not None},
            **_embedding_identity(settings)}


def _link_settings(settings: Settings) -> dict[str, Any]:
    return {**settings.link.model_dump(), **_embedding_identity(settings)}


# --- is a stage up to date? ("" = yes; else why it must run) ----------------------------------------------
def why_run(store: GraphStore, settings: Settings, nation: str, stage: str, run_settings: Any = None) -> str:
    runs = lineage.last_runs(store, nation)
    run = runs.get(stage)
    if stage == "reduce":
        a = lineage.assess(store, nation, stages=("reduce",))
        red = a["reduce"]
        if red["state"] != "current":
            return red["note"] or f"Conflict Reduction is {red['state']}"
        return "" if run and run.get("settings_fp") == lineage.settings_fp(run_settings) else "settings changed"
    if not run:
        return "never ran"
    if run.get("settings_fp") != lineage.settings_fp(run_settings):
        return "settings changed"
    if stage == "load":
        return ""
    if stage == "topics":
        c = run_named(store, "lineage/topics_pending", {"nation": nation}, write=False)[0]
        if int(c["untopiced"] or 0):
            return f"{int(c['untopiced'])} articles in no topic"
        if int(c["changed"] or 0):
            return f"{int(c['changed'])} articles re-loaded with another title or text since the topic model"
        return "" if int(c["articles"] or 0) == int(run.get("articles") or 0) else "articles changed"
    a = lineage.assess(store, nation, stages=(stage,))
    row = a["stages"][stage]
    return row["note"] if (row["stale"] or row["pending"]) else ""


class Pipeline:
    def __init__(self, store: GraphStore, settings: Settings, nation: str, *, quiet: bool = False,
                 force: bool = False, log: Callable[[StageResult], None] | None = None):
        from navab_loaders import check_nation

        self.store, self.settings, self.quiet, self.force = store, settings, quiet, force
        self.nation = check_nation(nation)
        self.results: list[StageResult] = []
        self.log = log
        ensure_schema(store)

    def _stage(self, stage: str, fn: Callable[[], Any], run_settings: Any = None) -> StageResult:
        why = "--force" if self.force else why_run(self.store, self.settings, self.nation, stage, run_settings)
        if not why:
            return self._done(StageResult(stage, "skipped"))
        t0 = time.perf_counter()
        try:
            out = fn()
        except Exception as e:
            self._done(StageResult(stage, "failed", time.perf_counter() - t0, {}, f"{type(e).__name__}: {e}"))
            raise PipelineError(self.nation, stage, e, self.results) from e
        return self._done(StageResult(stage, "ran", time.perf_counter() - t0, _summary(out), why))

    def _done(self, res: StageResult) -> StageResult:
        self.results.append(res)
        if self.log:
            self.log(res)
        return res

    # --- the steps -------------------------------------------------------------------------------
    def load(self, paths: list[Path], **kw: Any) -> StageResult:
        from .stages.load import load

        files = [(str(p), p.stat().st_size, int(p.stat().st_mtime)) for p in paths]

        def go():
            with lineage.recorded(self.store, self.nation, "load", settings=files) as run:
                reps = [load(self.store, self.settings, p, nation=self.nation, quiet=self.quiet, **kw) for p in paths]
                run.summary = {k: sum(getattr(r, k) for r in reps)
                               for k in ("read", "loaded", "updated", "quarantined")}
            return run.summary
        return self._stage("load", go, files)

    def topics(self) -> StageResult:
        from .llm import get_provider

        return self._stage("topics", lambda: recorded_topics(self.store, self.settings, self.nation,
                                                              provider=get_provider(self.settings),
                                                              quiet=self.quiet),
                           _topics_settings(self.settings, {}))

    def screen(self, overrides: Path | None = None) -> StageResult:
        from .llm import get_provider
        from .stages.screen import load_overrides, run_screen, run_settings

        ov = load_overrides(overrides) if overrides else None
        return self._stage("screen", lambda: run_screen(self.store, self.settings, self.nation,
                                                        provider=get_provider(self.settings), overrides=ov,
                                                        quiet=self.quiet), run_settings(ov))

    def extract(self, all_topics: bool = False) -> StageResult:
        from .stages.extract import extract, run_settings

        return self._stage("extract", lambda: extract(self.store, self.settings, self.nation,
                                                      all_topics=all_topics, quiet=self.quiet),
                           run_settings(all_topics))

    def construct(self) -> StageResult:
        from .stages.construct import construct

        return self._stage("construct", lambda: construct(self.store, self.settings, self.nation, quiet=self.quiet))

    def link(self) -> StageResult:
        return self._stage("link", lambda: recorded_link(self.store, self.settings, self.nation, quiet=self.quiet),
                           _link_settings(self.settings))

    def reduce(self) -> StageResult:
        from .reduce.runner import _params, as_dicts, reduce_graph, undo

        def go():
            state = lineage.assess(self.store, self.nation, stages=("reduce",))["reduce"]["state"]
            undone = undo(self.store, self.nation) if state == "stale" else None  # re-derive from a clean slate
            rows = as_dicts(reduce_graph(self.store, self.settings, self.nation))
            out = {"rounds": len(rows), "removed": sum(r["removed"] for r in rows),
                   "remaining": rows[-1]["remaining"] if rows else None, "per_round": rows}
            if undone:
                out["restored_first"] = undone["restored"]
            return out
        return self._stage("reduce", go, _params(self.settings, self.settings.reduce.rounds))

    def export(self, out: Path) -> StageResult:
        """Always written (cheap, and the files may have been removed since); refuses stale state."""
        from .export.stage import export_nation

        def go():
            a = export_nation(self.store, self.settings, self.nation, out / "with_cr", with_cr=True, quiet=self.quiet)
            b = export_nation(self.store, self.settings, self.nation, out / "without_cr", with_cr=False,
                              quiet=self.quiet)
            return {"with_cr": _summary(a), "without_cr": _summary(b)}
        t0 = time.perf_counter()
        try:
            summary = go()
        except Exception as e:
            self._done(StageResult("export", "failed", time.perf_counter() - t0, {}, f"{type(e).__name__}: {e}"))
            raise PipelineError(self.nation, "export", e, self.results) from e
        return self._done(StageResult("export", "ran", time.perf_counter() - t0, summary, "always"))


def _summary(out: Any) -> dict[str, Any]:
    if out is None:
        return {}
    if isinstance(out, dict):
        return out
    if hasattr(out, "as_dict"):
        return out.as_dict()
    return {"result": str(out)}


def run(store: GraphStore, settings: Settings, nation: str, paths: list[Path], *, out: Path,
        overrides: Path | None = None, all_topics: bool = False, quiet: bool = False, force: bool = False,
        log: Callable[[StageResult], None] | None = None) -> list[StageResult]:
    """The NaVAB recipe for one nation; a failing stage raises PipelineError (with the results so far)."""
    p = Pipeline(store, settings, nation, quiet=quiet, force=force, log=log)
    if paths:
        p.load(paths)
    p.topics()
    p.screen(overrides)
    p.extract(all_topics=all_topics)
    p.construct()
    p.link()
    p.reduce()
    p.export(out)
    return p.results
