"""With-CR results against the graph's Conflict Reduction as it stands now.

A "NaVAB with CR" cell of the alignment table is a result on a snapshot exported under one Conflict Reduction
run (navab-eval's summary.json `snapshots` names it: the manifest's `conflict_reduction.run_id`). After
`navab-graph reduce --undo`, or another `reduce`, the graph's Conflict Reduction is not that run any more and the
cell describes a benchmark the graph no longer holds: it is marked stale, with a warning naming the model, the
nation, the snapshot's run and the graph's. Without-CR cells do not depend on the reduction and are not checked.

The graph's live reduction is lineage.assess's `reduce` (the same state and run id `navab-graph export` writes
into the manifest): live when its state is `current`.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ..store import GraphStore

CURRENT, STALE, UNCHECKED = "current", "stale", "unchecked"


def live_reductions(store: GraphStore, nations: list[str]) -> dict[str, dict[str, Any]]:
    """nation -> the Conflict Reduction as export would record it now ({state, run_id, note, ...})."""
    from ..lineage import assess

    return {n: assess(store, n, stages=("link", "reduce"))["reduce"] for n in nations}


def _graph_text(red: dict[str, Any] | None) -> str:
    if not red:
        return "unknown"
    if red.get("state") == "current":
        return f"run {red.get('run_id')}"
    note = red.get("note") or ""
    return f"{red.get('state')}" + (f" ({note})" if note else "")


def _runs_text(r: dict[str, Any]) -> str:
    runs = r.get("snapshot_cr_runs")
    if r.get("cr_check") != "listed":
        return "unknown: the summary does not list its snapshots"
    if not isinstance(runs, list) or not runs:
        return "unknown: the summary lists no with-CR snapshot of the nation"
    return ", ".join("unknown: the manifest records none" if x is None else str(x) for x in runs)


def mark_cr(alignment: pd.DataFrame, live: dict[str, dict[str, Any]] | None
            ) -> tuple[pd.DataFrame, list[str]]:
    """alignment with `cr_status` (current | stale | unchecked; None for cells other than with-CR),
    `graph_cr_run` and `graph_cr_state` per with-CR cell, plus the warnings. live: live_reductions(); None
    when the report has no graph to compare with (every with-CR cell unchecked)."""
    df = alignment.copy()
    if df.empty:
        return df.assign(cr_status=None, graph_cr_run=None, graph_cr_state=None), []
    status: list[str | None] = []
    graph_run: list[str | None] = []
    graph_state: list[str | None] = []
    stale: dict[tuple, list[str]] = {}
    unknown: dict[tuple, list[str]] = {}
    old_files: dict[str, int] = {}
    for r in df.to_dict(orient="records"):
        if r.get("condition") != "with_cr":
            status.append(None)
            graph_run.append(None)
            graph_state.append(None)
            continue
        red = live.get(r["nation"]) if live is not None else None
        now = red.get("run_id") if red and red.get("state") == CURRENT else None
        graph_run.append(red.get("run_id") if red else None)
        graph_state.append(red.get("state") if red else None)
        runs = r.get("snapshot_cr_runs") if isinstance(r.get("snapshot_cr_runs"), list) else []
        known = [x for x in runs if x]
        cell = f"{r['method'].upper()} {r['set']}"
        key = (r.get("file"), r["model"], r["nation"], _runs_text(r), _graph_text(red))
        if r.get("cr_check") == "no_snapshots":
            old_files[str(r.get("file"))] = old_files.get(str(r.get("file")), 0) + 1
        if live is None:
            st = UNCHECKED
        elif now is None or any(x != now for x in known):  # no live reduction now, or another run
            st = STALE
            stale.setdefault(key, []).append(cell)
        elif r.get("cr_check") == "no_snapshots":
            st = UNCHECKED
        elif known and None not in runs:
            st = CURRENT
        else:  # the summary names no run for this nation's with-CR snapshot
            st = UNCHECKED
            unknown.setdefault(key, []).append(cell)
        status.append(st)
    df["cr_status"], df["graph_cr_run"], df["graph_cr_state"] = status, graph_run, graph_state
    warnings = []
    if live is None and any(s == UNCHECKED for s in status):
        warnings.append("the report was built without a graph connection: its with-CR cells are unchecked "
                        "against the graph's Conflict Reduction")
    for (file, model, nation, runs_text, graph_text), cells in stale.items():
        warnings.append(f"stale with-CR result: model {model}, nation {nation} ({', '.join(cells)}) was evaluated "
                        f"on a with-CR snapshot of Conflict Reduction run {runs_text}, but the graph's Conflict "
                        f"Reduction of {nation} is now {graph_text}; the cells are marked stale (export the nation "
                        f"again and re-run navab-eval) (in {file})")
    for (file, model, nation, runs_text, graph_text), cells in unknown.items():
        warnings.append(f"unchecked with-CR result: model {model}, nation {nation} ({', '.join(cells)}): the "
                        f"Conflict Reduction run of its with-CR snapshot is {runs_text}; the graph's is {graph_text}; "
                        f"the cells are marked unchecked (in {file})")
    for file, n in old_files.items():
        warnings.append(f"{file}: written by a navab-eval that does not record `snapshots`: its {n} with-CR cell(s) "
                        "could not be checked against the graph's Conflict Reduction (marked unchecked, or stale "
                        "where the graph has no live Conflict Reduction); re-run navab-eval for checked results")
    return df, warnings
