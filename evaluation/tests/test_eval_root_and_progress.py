"""Issue 17: `navab-eval mc --data snapshots/` on the folder `navab-graph run` writes (with_cr/ and without_cr/),
and progress: a step while the model loads, bars that move per batch, `--quiet` silencing transformers too."""
import csv
import dataclasses
import json
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner

from navab_eval.cli import app
from navab_eval.fixtures import sample_records, write_snapshot
from navab_eval.snapshot import SnapshotError, load_snapshot

runner = CliRunner()


def read_items(out):
    return [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]


@pytest.fixture()
def run_root(tmp_path):
    """What `navab-graph run --out snapshots` writes: with_cr/<NATION>/ (kept only) and without_cr/<NATION>/."""
    records = [r for r in sample_records(24) if r.nation in ("US", "FR")]
    removed = {r.id for r in records[::4]}
    everything = [dataclasses.replace(r, cr_status="removed" if r.id in removed else "kept") for r in records]
    kept = [r for r in everything if r.cr_status == "kept"]
    root = tmp_path / "snapshots"
    for nation in ("US", "FR"):
        write_snapshot(kept, root / "with_cr", nation, with_conflict_reduction=True)
        write_snapshot(everything, root / "without_cr", nation, with_conflict_reduction=False)
    return root, kept, everything


def test_mc_on_the_run_output_root(run_root, tiny_dir, tmp_path):
    root, kept, everything = run_root
    out = tmp_path / "out"
    res = runner.invoke(app, ["mc", "--data", str(root), "--model", str(tiny_dir), "--out", str(out), "--cache-dir",
                              str(tmp_path / "c"), "--device", "cpu", "--quiet"])
    assert res.exit_code == 0, res.output
    items = read_items(out)
    by_condition = {c: sorted(it["id"] for it in items if it["condition"] == c) for c in ("with_cr", "without_cr")}
    assert by_condition == {"with_cr": sorted(r.id for r in kept), "without_cr": sorted(r.id for r in everything)}
    # a statement kept by CR is in both snapshots; it gets the same numbers under both labels
    both = {it["id"] for it in items if it["condition"] == "with_cr"}
    nll = {}
    for it in items:
        if it["id"] in both:
            nll.setdefault(it["id"], set()).add(it["nll_s"])
    assert all(len(v) == 1 for v in nll.values())
    summary = json.loads((out / "summary.json").read_text())
    assert {g["condition"] for g in summary["groups"]} == {"with_cr", "without_cr"}
    us_without = next(g for g in summary["groups"] if (g["condition"], g["nation"], g["set"]) ==
                      ("without_cr", "US", "quoted"))
    assert us_without["n"] == sum(r.nation == "US" and r.set == "quoted" for r in everything)
    # one condition only
    res = runner.invoke(app, ["mc", "--data", str(root), "--model", str(tiny_dir), "--out", str(tmp_path / "o2"),
                              "--cache-dir", str(tmp_path / "c"), "--device", "cpu", "--quiet",
                              "--condition", "without_cr"])
    assert res.exit_code == 0, res.output
    assert {it["condition"] for it in read_items(tmp_path / "o2")} == {"without_cr"}
    # the table keeps the two conditions apart and says which is which
    res = runner.invoke(app, ["table", str(out), "--out", str(tmp_path / "t")], terminal_width=250)
    assert res.exit_code == 0, res.output
    rows = list(csv.reader((tmp_path / "t" / "table.csv").open()))
    model = items[0]["model"]
    assert {r[1] for r in rows[1:]} == {f"{model} (with CR)", f"{model} (without CR)"}


def test_condition_folder_contradicting_its_manifest(tmp_path):
    write_snapshot(sample_records(8), tmp_path / "snapshots" / "with_cr", "US", with_conflict_reduction=False)
    with pytest.raises(SnapshotError, match=r"with_conflict_reduction.*with_cr"):
        load_snapshot(tmp_path / "snapshots")


def test_single_export_is_labelled_from_its_manifest(snapshot_root):
    snap = load_snapshot(snapshot_root)
    assert {r.condition for r in snap.records} == {"with_cr"}


class Recorder:
    def __init__(self):
        self.calls = []

    @contextmanager
    def __call__(self, label, total, quiet):
        self.calls.append((label, total))
        yield lambda n: self.calls.append(n)


def test_bars_move_per_batch(tiny, records, monkeypatch):
    import navab_eval.aj
    import navab_eval.mc
    from navab_eval.aj import evaluate_aj
    from navab_eval.mc import evaluate_mc
    from test_aj_items import OverlapJudge

    model, tok = tiny
    rec = Recorder()
    monkeypatch.setattr(navab_eval.mc, "progress", rec)
    evaluate_mc(records[:8], model, tok, batch_size=2, quiet=False)
    assert rec.calls == [("MC", 8), 2, 2, 2, 2]
    rec.calls.clear()
    monkeypatch.setattr(navab_eval.aj, "progress", rec)
    evaluate_aj(records[:6], model, tok, batch_size=4, judge=OverlapJudge(), max_new_tokens=3, quiet=False)
    assert rec.calls == [("AJ", 6), 4, 2]


def test_model_loading_step_and_quiet(tiny_dir, snapshot_root, tmp_path):
    args = ["mc", "--data", str(snapshot_root), "--model", str(tiny_dir), "--nation", "US", "--device", "cpu",
            "--cache-dir", str(tmp_path / "c"), "--no-cache"]
    res = runner.invoke(app, args + ["--out", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert "loading model" in res.output and "MC" in res.output
    res = runner.invoke(app, args + ["--out", str(tmp_path / "b"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert res.output == ""  # nothing: no step, no bar, no transformers "Loading weights" bar
