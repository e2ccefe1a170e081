"""Every item names what it was scored on: the record's question, statement and reverse statement (the snapshot's
strings) and cr_run (the manifest's Conflict Reduction run), also when it is served from the item cache for a
record of another snapshot; summary.json lists the snapshot folders read (`snapshots`). Without these,
`navab-graph import-results` attached results to statements reworded since, and `report` showed with-CR results
of a Conflict Reduction that was undone."""
import dataclasses
import hashlib
import json

import pytest
from typer.testing import CliRunner

from navab_eval.cache import ItemCache, relabel, split_cached
from navab_eval.cli import app
from navab_eval.fixtures import sample_records, write_snapshot
from navab_eval.snapshot import load_snapshot
from openai_server import FakeOpenAI

runner = CliRunner()
TEXTS = ("question", "statement", "reverse_statement")


def cr(run_id, state="current"):
    return {"state": state, "run_id": run_id, "rounds": 2, "removed": 3, "params": None, "finished_at": None}


def write_root(root, with_cr_run, without_cr_run="US-reduce-20260101T000000-aaaaaa"):
    """`navab-graph run`'s output for US: with_cr/ (kept only) and without_cr/ (everything), as export writes the
    manifests' conflict_reduction."""
    records = [r for r in sample_records(24) if r.nation == "US"]
    removed = {r.id for r in records[::3]}
    everything = [dataclasses.replace(r, cr_status="removed" if r.id in removed else "kept") for r in records]
    kept = [r for r in everything if r.cr_status == "kept"]
    write_snapshot(kept, root / "with_cr", "US", with_conflict_reduction=True, conflict_reduction=cr(with_cr_run))
    write_snapshot(everything, root / "without_cr", "US", with_conflict_reduction=False,
                   conflict_reduction=cr(without_cr_run))
    return kept, everything


def read_items(out):
    return [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]


def check_items(items, root, runs):
    """Each item carries its record's texts (as the reader yields them) and its snapshot's CR run."""
    records = {(r.condition, r.id): r for r in load_snapshot(root).records}
    assert len(items) == len(records)
    for it in items:
        r = records[(it["condition"], it["id"])]
        assert {k: it[k] for k in (*TEXTS, "cr_run")} == {**{k: getattr(r, k) for k in TEXTS},
                                                         "cr_run": runs[it["condition"]]}


def check_snapshots(summary, root, runs):
    expected = []
    for condition in ("with_cr", "without_cr"):
        path = root / condition / "US" / "manifest.json"
        manifest = json.loads(path.read_text())
        expected.append({"condition": condition, "nation": "US", "cr_run": runs[condition], "cr_state": "current",
                         "created_at": manifest["created_at"],
                         "manifest_sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    assert summary["snapshots"] == expected


def evaluate(method, root, model, out, cache, *extra):
    res = runner.invoke(app, [method, "--data", str(root), "--model", str(model), "--out", str(out), "--cache-dir",
                              str(cache), "--device", "cpu", "--quiet", *map(str, extra)])
    assert res.exit_code == 0, res.output
    return json.loads((out / "summary.json").read_text()), read_items(out)


@pytest.mark.parametrize("method", ["mc", "aj"])
def test_items_carry_texts_and_cr_run_also_from_the_cache(method, tiny_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", "sk-test")
    root, cache = tmp_path / "snapshots", tmp_path / "cache"
    first_run, second_run = "US-reduce-20260101T000000-aaaaaa", "US-reduce-20260202T000000-bbbbbb"
    kept, everything = write_root(root, first_run)
    with FakeOpenAI() as judge:
        extra = ("--judge", "judge-x", "--judge-base-url", judge.base_url, "--max-new-tokens", "4") \
            if method == "aj" else ()
        summary, items = evaluate(method, root, tiny_dir, tmp_path / "a", cache, *extra)
        assert summary["cached_items"] == 0 and len(items) == len(kept) + len(everything)
        runs = {"with_cr": first_run, "without_cr": first_run}
        check_items(items, root, runs)  # a kept statement is computed once, written under both records
        check_snapshots(summary, root, runs)

        # CR runs again and with_cr/ is re-exported: the same statements, another run. Every item comes from the
        # cache (computed for the records of the first export) and must name the new snapshot's run.
        write_snapshot(kept, root / "with_cr", "US", with_conflict_reduction=True, conflict_reduction=cr(second_run))
        summary, items = evaluate(method, root, tiny_dir, tmp_path / "b", cache, *extra)
    assert summary["cached_items"] == len(items) == len(kept) + len(everything)
    runs = {"with_cr": second_run, "without_cr": first_run}
    check_items(items, root, runs)
    check_snapshots(summary, root, runs)


def test_cached_item_takes_every_label_from_the_current_record(tmp_path):
    """An item in the cache that names other texts or another run (an earlier export, or a cache line written
    before these labels existed) is served under the current record's."""
    r = dataclasses.replace(sample_records(1)[0], condition="with_cr", cr_run="US-reduce-new")
    cache = ItemCache({"test": "relabel"}, tmp_path)
    stale = {"id": r.id, "method": "mc", "correct": True, "condition": "without_cr", "cr_run": "US-reduce-old",
             "question": "another question?", "statement": "another S", "reverse_statement": "another RS"}
    cache.put_many([("k", stale), ("old", {"id": r.id, "method": "mc", "correct": False})])
    results, todo = split_cached([r, r], cache, ["k", "old"])
    assert todo == []
    for it in results:
        assert {k: it[k] for k in (*TEXTS, "condition", "cr_run")} == {
            "question": r.question, "statement": r.statement, "reverse_statement": r.reverse_statement,
            "condition": "with_cr", "cr_run": "US-reduce-new"}
    assert relabel(stale, r)["cr_run"] == "US-reduce-new"


def test_cr_run_is_null_without_a_recorded_reduction(tmp_path):
    # a manifest written before export recorded conflict_reduction: cr_run / cr_state unknown
    records = [r for r in sample_records(8) if r.nation == "US"]
    nation_dir = write_snapshot(records, tmp_path / "old", "US")
    snap = load_snapshot(tmp_path / "old")
    assert {r.cr_run for r in snap.records} == {None}
    manifest = json.loads((nation_dir / "manifest.json").read_text())
    assert snap.snapshots == [{"condition": "with_cr", "nation": "US", "cr_run": None, "cr_state": None,
                               "created_at": manifest["created_at"],
                               "manifest_sha256": hashlib.sha256((nation_dir / "manifest.json").read_bytes())
                               .hexdigest()}]
    # NaVAB release input has no manifest: no run, no snapshot folder
    d = tmp_path / "navab" / "USA"
    d.mkdir(parents=True)
    (d / "human_statement_result.json").write_text(json.dumps([
        {"statement": " S. ", "source": "cnn", "generated Q": "Q?", "generated reverse statement": "RS."}]))
    snap = load_snapshot(tmp_path / "navab")
    assert [(r.statement, r.cr_run) for r in snap.records] == [("S.", None)] and snap.snapshots == []
