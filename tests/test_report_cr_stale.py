"""`navab-graph report` never shows a "NaVAB with CR" result of a Conflict Reduction the graph no longer holds: a
with-CR cell whose snapshot (navab-eval's summary.json `snapshots`) was exported under another run than the
graph's live reduction (undone, run again) is marked stale, with a warning naming the model, the nation, the
snapshot's run and the graph's. Without-CR cells do not depend on the reduction."""
from __future__ import annotations

import json
import re

from navab_eval.snapshot import load_snapshot
from navab_eval.summary import summarize

TEXTS = ["The UK must cut emissions.", "The UK must fund the NHS.", "The UK must support Ukraine.",
         "The UK must build more homes."]
MODEL = "tiny-model"


def _news(tmp_path):
    arts = [{"id": f"x{i}", "text": f"Minister said: {t}",
             "statements": [{"text": t, "question": f"Q{i}?", "reverse": t.replace("must", "must not"),
                             "kind": "quoted", "speaker": "Minister"}]} for i, t in enumerate(TEXTS)]
    f = tmp_path / "news.jsonl"
    f.write_text("".join(json.dumps(a) + "\n" for a in arts), encoding="utf-8")
    return f


def _evaluate(root, out, snapshots=True):
    """What `navab-eval mc --data root` writes into summary.json (its reader, its summarizer): one item per
    record, correct for every other one."""
    snap = load_snapshot(root)
    items = [{"id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "language": r.language,
              "condition": r.condition, "method": "mc", "model": MODEL, "backend": "hf", "correct": i % 2 == 0,
              "question": r.question, "statement": r.statement, "reverse_statement": r.reverse_statement,
              "cr_run": r.cr_run} for i, r in enumerate(snap.records)]
    summary = summarize(items)
    if snapshots:
        summary["snapshots"] = snap.snapshots
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return snap


def _report(cli, tmp_path, results, name):
    out = tmp_path / name
    cli("report", "--out", str(out), "--results", str(results), "--nation", "GB")
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    html = (out / "index.html").read_text(encoding="utf-8")
    cells = {(a["condition"], a["set"]): a for a in rep["alignment"]}
    return rep, cells, html


def _rows(html):
    """Alignment table rows: label -> cell texts (with their data-cr mark)."""
    section = re.search(r'<section id="alignment".*?</section>', html, re.S).group(0)
    rows = {}
    for label, body in re.findall(r'<tr><td class="label">([^<]+)</td>(.*?)</tr>', section, re.S):
        rows[label] = [((re.search(r'data-cr="(\w+)"', attrs) or [None, None])[1], text.strip())
                       for attrs, text in re.findall(r"<td([^>]*)>([^<]*)</td>", body, re.S)]
    return rows


def _reduced_and_exported(cli, tmp_path):
    """GB loaded, linked, reduced, exported with and without CR under tmp_path/snapshots."""
    cli("load", str(_news(tmp_path)), "--nation", "GB")
    cli("link", "--nation", "GB")
    cli("reduce", "--nation", "GB")
    snaps = tmp_path / "snapshots"
    cli("export", "--nation", "GB", "--out", str(snaps / "with_cr"))
    cli("export", "--nation", "GB", "--without-cr", "--out", str(snaps / "without_cr"))
    return snaps


def test_with_cr_cells_turn_stale_when_the_reduction_is_undone_or_run_again(cli, tmp_path):
    snaps = _reduced_and_exported(cli, tmp_path)
    manifest = json.loads((snaps / "with_cr" / "GB" / "manifest.json").read_text(encoding="utf-8"))
    run = manifest["conflict_reduction"]["run_id"]
    assert manifest["conflict_reduction"]["state"] == "current" and run
    snap = _evaluate(snaps, tmp_path / "results")
    assert {(s["condition"], s["cr_run"]) for s in snap.snapshots} == {("with_cr", run), ("without_cr", run)}

    # the graph's reduction is the snapshot's: current, nothing marked
    rep, cells, html = _report(cli, tmp_path, tmp_path / "results", "r1")
    assert {k[0] for k in cells} == {"with_cr", "without_cr"}
    assert {(k, c["cr_status"]) for k, c in cells.items() if k[0] == "with_cr"} == {
        (k, "current") for k in cells if k[0] == "with_cr"}
    assert all(c["graph_cr_run"] == run for k, c in cells.items() if k[0] == "with_cr")
    assert not any("stale" in w or "unchecked" in w for w in rep["warnings"]), rep["warnings"]
    rows = _rows(html)
    assert rows and all(mark is None and "stale" not in text for cells_ in rows.values() for mark, text in cells_)

    # undone: every with-CR cell is stale, the warning names model, nation, the snapshot's run and the graph's
    cli("reduce", "--undo", "--nation", "GB")
    rep, cells, html = _report(cli, tmp_path, tmp_path / "results", "r2")
    for (condition, _), c in cells.items():
        assert c["cr_status"] == ("stale" if condition == "with_cr" else None), (condition, c)
    stale = [w for w in rep["warnings"] if w.startswith("stale with-CR result")]
    assert len(stale) == 1 and all(s in stale[0] for s in (MODEL, "GB", run, "undone"))
    rows = _rows(html)
    with_label = next(label for label in rows if "with CR" in label and "without" not in label)
    without_label = next(label for label in rows if "without CR" in label)
    assert rows[with_label] and all(mark == "stale" and text.endswith("(stale)") for mark, text in rows[with_label])
    assert all(mark is None and "stale" not in text for mark, text in rows[without_label])

    # reduced again: a live reduction, but another run than the one the results were evaluated on
    cli("reduce", "--nation", "GB")
    rep, cells, _ = _report(cli, tmp_path, tmp_path / "results", "r3")
    again = {c["graph_cr_run"] for k, c in cells.items() if k[0] == "with_cr"}
    assert len(again) == 1 and run not in again and None not in again
    assert {c["cr_status"] for k, c in cells.items() if k[0] == "with_cr"} == {"stale"}
    stale = [w for w in rep["warnings"] if w.startswith("stale with-CR result")]
    assert len(stale) == 1 and run in stale[0] and f"run {again.pop()}" in stale[0]

    # re-exported and re-evaluated: current again
    cli("export", "--nation", "GB", "--out", str(snaps / "with_cr"))
    _evaluate(snaps, tmp_path / "results")
    rep, cells, _ = _report(cli, tmp_path, tmp_path / "results", "r4")
    assert {c["cr_status"] for k, c in cells.items() if k[0] == "with_cr"} == {"current"}


def test_a_summary_without_snapshots_is_unchecked_with_one_warning(cli, tmp_path):
    snaps = _reduced_and_exported(cli, tmp_path)
    _evaluate(snaps, tmp_path / "results", snapshots=False)  # an older navab-eval
    rep, cells, html = _report(cli, tmp_path, tmp_path / "results", "r")
    assert {c["cr_status"] for k, c in cells.items() if k[0] == "with_cr"} == {"unchecked"}
    assert {c["cr_status"] for k, c in cells.items() if k[0] == "without_cr"} == {None}
    old = [w for w in rep["warnings"] if "could not be checked" in w]
    assert len(old) == 1 and "summary.json" in old[0] and "snapshots" in old[0]
    assert any(mark == "unchecked" for cells_ in _rows(html).values() for mark, _ in cells_)


def test_mark_cr_rules():
    import pandas as pd

    from navab_graph.report.cr_check import mark_cr

    def row(condition, runs, check="listed", nation="GB"):
        return {"model": MODEL, "method": "mc", "condition": condition, "nation": nation, "set": "quoted",
                "correct_rate": 0.5, "file": "s.json", "snapshot_cr_runs": runs,
                "cr_check": check if condition == "with_cr" else None}

    df = pd.DataFrame([row("with_cr", ["GB-reduce-1"]), row("without_cr", None), row("with_cr", [None], nation="FR"),
                       row("with_cr", ["GB-reduce-1", "GB-reduce-0"], nation="DE")])
    live = {n: {"state": "current", "run_id": f"{n}-reduce-1"} for n in ("GB", "FR", "DE")}
    out, warnings = mark_cr(df, live)
    status = lambda d: [x if isinstance(x, str) else None for x in d["cr_status"]]  # noqa: E731
    # the same run: current; a manifest without a run: unchecked; one of two snapshots of another run: stale
    assert status(out) == ["current", None, "unchecked", "stale"]
    assert len(warnings) == 2 and "FR" in warnings[1] and "unchecked" in warnings[1]
    assert "DE-reduce-1" in warnings[0] and "GB-reduce-0" in warnings[0]
    # no graph to compare with: every with-CR cell unchecked, said once
    out, warnings = mark_cr(df, None)
    assert status(out) == ["unchecked", None, "unchecked", "unchecked"]
    assert len(warnings) == 1 and "without a graph connection" in warnings[0]
