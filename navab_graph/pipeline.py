"""`navab-graph run`: the recipe, one call per stage, each skipped when already done for its inputs.

Order: load -> topics -> screen -> extract -> construct -> link -> reduce -> export.
`construct` runs before `link` (the paper builds triples after Conflict Reduction): the stance-axis conflict
score needs each statement's reverse, so the reverse must exist first. Removed statements keep their triples;
the export with CR leaves them out, the export without CR keeps them with their cr_status (the ablation).
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .config import Settings
from .store import GraphStore, ensure_schema, run_named

STAGES = ("load", "topics", "screen", "extract", "construct", "link", "reduce", "export")


@dataclass
class StageResult:
    stage: str
    status: str  # ran | skipped | failed
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)


# What each stage reads: a stage is skipped when these counts, its settings and the time its upstream stage
# last ran are all unchanged (so re-running topics with another seed re-runs everything after it).
INPUTS = {"load": (), "topics": ("articles",), "screen": ("articles", "topics"),
          "extract": ("articles", "topics", "value_topics"), "construct": ("statements",),
          "link": ("statements", "triples"), "reduce": ("statements", "triples")}


def _fingerprint(store: GraphStore, nation: str, stage: str, extra: Any) -> str:
    fp = run_named(store, "pipeline/fingerprint", {"nation": nation}, write=False)
    counts = fp[0] if fp else {}
    upstream = None
    i = STAGES.index(stage)
    if i > 0:
        prev = run_named(store, "pipeline/get_mark", {"id": f"{nation}:{STAGES[i - 1]}"}, write=False)
        upstream = prev[0]["at"] if prev else None
    data = {"inputs": {k: counts.get(k) for k in INPUTS[stage]}, "extra": extra, "stage": stage,
            "upstream": upstream}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


class Pipeline:
    def __init__(self, store: GraphStore, settings: Settings, nation: str, *, quiet: bool = False,
                 force: bool = False, log: Callable[[StageResult], None] | None = None):
        from navab_loaders import check_nation

        self.store, self.settings, self.quiet, self.force = store, settings, quiet, force
        self.nation = check_nation(nation)
        self.results: list[StageResult] = []
        self.log = log
        ensure_schema(store)

    def _stage(self, stage: str, fn: Callable[[], Any], extra: Any = None) -> Any:
        mark = f"{self.nation}:{stage}"
        fp = _fingerprint(self.store, self.nation, stage, extra)
        done = run_named(self.store, "pipeline/get_mark", {"id": mark}, write=False)
        if not self.force and done and done[0]["fingerprint"] == fp:
            res = StageResult(stage, "skipped")
        else:
            t0 = time.perf_counter()
            out = fn()
            summary = _summary(out)
            res = StageResult(stage, "ran", time.perf_counter() - t0, summary)
            run_named(self.store, "pipeline/set_mark", {
                "id": mark, "nation": self.nation, "stage": stage, "at": time.time_ns(),
                "fingerprint": fp,
                "summary": json.dumps(summary, default=str)[:4000]})
        self.results.append(res)
        if self.log:
            self.log(res)
        return res

    # --- the steps -------------------------------------------------------------------------------
    def load(self, paths: list[Path], **kw: Any) -> StageResult:
        from .stages.load import load

        files = [(str(p), p.stat().st_size, int(p.stat().st_mtime)) for p in paths]

        def go():
            reps = [load(self.store, self.settings, p, nation=self.nation, quiet=self.quiet, **kw) for p in paths]
            return {k: sum(getattr(r, k) for r in reps) for k in ("read", "loaded", "updated", "quarantined")}
        return self._stage("load", go, extra=files)

    def topics(self) -> StageResult:
        from .llm import get_provider
        from .stages.topics import run_topics

        return self._stage("topics", lambda: run_topics(self.store, self.settings, self.nation,
                                                        provider=get_provider(self.settings), quiet=self.quiet),
                           extra=self.settings.topics.model_dump())

    def screen(self, overrides: Path | None = None) -> StageResult:
        from .llm import get_provider
        from .stages.screen import load_overrides, run_screen

        ov = load_overrides(overrides) if overrides else None
        extra = overrides.read_text() if overrides else None
        return self._stage("screen", lambda: run_screen(self.store, self.settings, self.nation,
                                                        provider=get_provider(self.settings), overrides=ov,
                                                        quiet=self.quiet), extra=extra)

    def extract(self, all_topics: bool = False) -> StageResult:
        from .stages.extract import extract

        return self._stage("extract", lambda: extract(self.store, self.settings, self.nation,
                                                      all_topics=all_topics, quiet=self.quiet), extra=all_topics)

    def construct(self) -> StageResult:
        from .stages.construct import construct

        return self._stage("construct", lambda: construct(self.store, self.settings, self.nation, quiet=self.quiet))

    def link(self) -> StageResult:
        from .link.stage import link

        return self._stage("link", lambda: link(self.store, self.settings, self.nation, quiet=self.quiet),
                           extra=self.settings.link.model_dump())

    def reduce(self) -> StageResult:
        from .reduce.runner import as_dicts, reduce_graph

        def go():
            rows = as_dicts(reduce_graph(self.store, self.settings, self.nation))
            return {"rounds": len(rows), "removed": sum(r["removed"] for r in rows),
                    "remaining": rows[-1]["remaining"] if rows else None, "per_round": rows}
        return self._stage("reduce", go, extra=self.settings.reduce.model_dump())

    def export(self, out: Path) -> StageResult:
        from .export.stage import export_nation

        def go():
            a = export_nation(self.store, self.settings, self.nation, out / "with_cr", with_cr=True, quiet=self.quiet)
            b = export_nation(self.store, self.settings, self.nation, out / "without_cr", with_cr=False,
                              quiet=self.quiet)
            return {"with_cr": _summary(a), "without_cr": _summary(b)}
        # always written: cheap, and the files may have been removed since
        t0 = time.perf_counter()
        summary = go()
        res = StageResult("export", "ran", time.perf_counter() - t0, summary)
        self.results.append(res)
        if self.log:
            self.log(res)
        return res


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
    """The NaVAB recipe for one nation."""
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
