"""navab-train and the snapshot root `navab-graph run` writes (with_cr/ and without_cr/ side by side): training
reads one condition (with_cr by default), never both mixed; the ablation's rates keep navab-eval's interval."""
from __future__ import annotations

import json

import pytest
from rich.console import Console

from train_snapshots import make_rows, write_snapshot
from navab_train import ablation
from navab_train.config import DPOSettings
from navab_train.data import DataError, load_records, select
from navab_train.table import rates, to_markdown


@pytest.fixture
def root(tmp_path):
    rows = {"US": make_rows("US", n=40, removed_every=3), "FR": make_rows("FR", n=20, lang="fr", removed_every=3)}
    for nation, rs in rows.items():
        write_snapshot(tmp_path / "snapshots" / "without_cr", rs, nation, with_cr=False)
        write_snapshot(tmp_path / "snapshots" / "with_cr", [r for r in rs if r["cr_status"] == "kept"], nation,
                       with_cr=True)
    return tmp_path / "snapshots", rows


def test_the_root_gives_with_cr_records_by_default(root):
    path, rows = root
    recs = load_records(path, say=lambda m: None)
    kept = {r["id"] for rs in rows.values() for r in rs if r["cr_status"] == "kept"}
    assert len(recs) == len(kept) and {r.id for r in recs} == kept  # each once, none removed by CR
    assert {r.condition for r in recs} == {"with_cr"} and {r.cr_status for r in recs} == {"kept"}
    train = select(recs, "train", DPOSettings(), path)
    assert len({r.id for r in train}) == len(train)  # no pair twice


def test_other_conditions_on_request_and_a_clear_error_when_absent(root):
    path, rows = root
    every = load_records(path, say=lambda m: None, conditions=("without_cr",))
    assert len(every) == sum(len(rs) for rs in rows.values()) and {r.condition for r in every} == {"without_cr"}
    with pytest.raises(DataError, match=r"with_cr.*holds only without_cr"):
        load_records(path / "without_cr", say=lambda m: None)
    with pytest.raises(DataError, match="unknown condition"):
        load_records(path, say=lambda m: None, conditions=("cr",))


def test_navab_release_files_have_no_condition_and_are_read_as_they_are(tmp_path):
    folder = tmp_path / "USA"
    folder.mkdir()
    official = [{"statement": f"The plan {i} helps people.", "source": "news", "generated Q": f"Plan {i}?",
                 "generated reverse statement": f"The plan {i} harms people."} for i in range(6)]
    (folder / "official_statement_result.json").write_text(json.dumps(official), encoding="utf-8")
    said = []
    recs = load_records(folder, say=said.append)
    assert len(recs) == 6 and {r.condition for r in recs} == {None}
    assert any("no with_cr / without_cr label" in m for m in said)


def _items(records, condition, correct_every=2):
    return [{"id": r.id, "nation": r.nation, "set": r.set, "split": r.split, "method": "mc", "model": "m",
             "backend": "hf", "condition": condition, "correct": i % correct_every == 0}
            for i, r in enumerate(records)]


def test_rates_keep_the_interval_and_refuse_mixed_conditions(root):
    from navab_eval.summary import summarize

    path, _ = root
    recs = load_records(path, say=lambda m: None)
    items = _items(recs, "with_cr")
    df = rates(items, "NaVAB with CR")
    groups = {(g["nation"], g["set"]): g for g in summarize(items)["groups"]}
    assert len(df) == len(groups)
    for r in df.to_dict(orient="records"):
        g = groups[(r["nation"], r["set"])]
        assert (r["correct_rate"], r["n"], r["ci_low"], r["ci_high"]) == (g["correct_rate"], g["n"], g["ci_low"],
                                                                          g["ci_high"])
        assert r["ci_low"] < r["correct_rate"] < r["ci_high"]
    md = to_markdown(df, "m")
    first = df.iloc[0]
    assert f"{first['correct_rate']:.3f} [{first['ci_low']:.2f}, {first['ci_high']:.2f}]" in md
    with pytest.raises(ValueError, match="both with_cr and without_cr"):
        rates(items + _items(recs, "without_cr", 3), "NaVAB with CR")


class _Stop(Exception):
    pass


def test_ablation_reads_each_condition_from_one_root(root, tmp_path, monkeypatch):
    path, rows = root

    def stop(*a, **k):
        raise _Stop

    monkeypatch.setattr(ablation, "resolve_model", stop)  # the data part only: no model is loaded
    console = Console(record=True, width=200)
    with pytest.raises(_Stop):
        ablation.run_ablation(path, path, "unused", tmp_path / "out", DPOSettings(), console=console)
    test_all = sum(r["split"] == "test" for rs in rows.values() for r in rs)
    test_kept = sum(r["split"] == "test" and r["cr_status"] == "kept" for rs in rows.values() for r in rs)
    train_kept = sum(r["split"] == "train" and r["cr_status"] == "kept" for rs in rows.values() for r in rs)
    assert test_all > test_kept
    assert (f"test items: without CR {test_all}, with CR {test_kept}; DPO train pairs {train_kept}"
            in console.export_text())
