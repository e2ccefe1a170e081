"""No statement is trained on and tested on. A snapshot split by id (before the export keyed the split by the
statement text) holds the same statement under several ids, some in train and some in test: DPO trained on
test statements and the published gain was inflated (46 of 72 test pairs had a twin in train). navab-train
drops those train pairs and repeated pairs, and says how many."""
from __future__ import annotations

import hashlib
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from train_snapshots import make_rows, split_of, write_snapshot
from navab_train import ablation
from navab_train.cli import app
from navab_train.config import DPOSettings
from navab_train.data import DataError, load_records, normalize_statement, select


def _twin(row: dict, outlet: str, split: str, **changes) -> dict:
    """The same triple as another article (outlet) reported it: another id, the given split."""
    rid = hashlib.sha256(f"{outlet}|{row['id']}".encode()).hexdigest()[:16]
    return {**row, "id": rid, "article_id": f"{outlet}:{row['article_id']}", "source": outlet, "split": split,
            **changes}


def _leaky_rows():
    rows = make_rows("US", n=40)
    test = [r for r in rows if r["split"] == "test"]
    train = [r for r in rows if r["split"] == "train"]
    assert len(test) >= 4 and len(train) >= 4
    extra = [
        _twin(test[0], "cctv", "train"),  # the same row under another id, in train
        _twin(test[1], "bbc", "train", statement="  " + test[1]["statement"].replace(" ", "  ") + " "),  # spacing
        _twin(test[2], "ap", "train", set="official" if test[2]["set"] == "quoted" else "quoted"),  # other set
        _twin(test[3], "afp", "train", question="Another question?"),  # same statement, another pair
        _twin(train[0], "cnn", "train"),  # a repeat within train: not a leak, a duplicate
        _twin(test[0], "dw", "test"),  # a repeat within test
    ]
    return rows, extra, test, train


@pytest.fixture
def leaky(tmp_path):
    rows, extra, test, train = _leaky_rows()
    # FR holds a train statement of US in its test split: nations are independent, nothing dropped for it
    fr = make_rows("FR", n=10, lang="fr")
    us_only = next(r for r in train[1:] if r["statement"] not in {f["statement"] for f in fr})
    fr.append(_twin({**us_only, "nation": "FR", "language": "fr"}, "lemonde", "test"))
    root = tmp_path / "snap"
    write_snapshot(root, rows + extra, "US")
    write_snapshot(root, fr, "FR")
    return root, rows, extra, test, train


def test_train_pairs_whose_statement_is_in_test_are_dropped_and_counted(leaky):
    root, rows, extra, test, train = leaky
    recs = load_records(root, say=lambda m: None)
    # the leak is there before selection: four train rows state a test statement of the same nation
    test_texts = {(r.nation, normalize_statement(r.statement)) for r in recs if r.split == "test"}
    assert sum((r.nation, normalize_statement(r.statement)) in test_texts for r in recs if r.split == "train") == 4
    said = []
    got = select(recs, "train", DPOSettings(), root, say=said.append)
    assert not {(r.nation, normalize_statement(r.statement)) for r in got} & test_texts
    assert got.report["dropped_in_test"] == 4 and got.report["dropped_duplicates"] == 1
    assert sorted(got.report["examples_in_test"]) == sorted(x["id"] for x in extra[:4])
    assert got.report["examples_duplicates"] == [max(train[0]["id"], extra[4]["id"])]  # the smallest id stays
    assert got.report["pairs"] == len(got) == got.report["selected"] - 5
    # every other train row is there, FR's included (its test twin of a US statement is another nation's)
    want = {r["id"] for r in rows if r["split"] == "train"} | {min(train[0]["id"], extra[4]["id"])}
    want |= {r.id for r in recs if r.nation == "FR" and r.split == "train"}
    assert {r.id for r in got} == want - {max(train[0]["id"], extra[4]["id"])}
    assert len(said) == 1 and "dropped 4 pairs whose statement is also in the test split" in said[0]
    assert "1 duplicate pairs" in said[0] and str(root) in said[0]


def test_test_split_repeats_are_dropped(leaky):
    root, rows, extra, test, train = leaky
    recs = load_records(root, say=lambda m: None)
    said = []
    got = select(recs, "test", DPOSettings(), root, say=said.append)
    keys = [(r.nation, r.language, normalize_statement(r.question), normalize_statement(r.statement),
             normalize_statement(r.reverse_statement)) for r in got]
    assert len(keys) == len(set(keys))
    assert got.report["dropped_in_test"] == 0 and got.report["dropped_duplicates"] == 1
    ids = {r.id for r in got}
    assert min(test[0]["id"], extra[5]["id"]) in ids and max(test[0]["id"], extra[5]["id"]) not in ids
    assert said and "1 duplicate pairs" in said[0]


def test_a_clean_snapshot_is_left_as_it_is(tmp_path):
    root = write_snapshot(tmp_path / "s", make_rows("US", n=40))
    said = []
    recs = load_records(root, say=said.append)
    got = select(recs, "train", DPOSettings(), root, say=said.append)
    assert [r.id for r in got] == [r.id for r in recs if r.split == "train"]
    assert got.report["dropped_in_test"] == got.report["dropped_duplicates"] == 0 and said == []


def test_only_leaked_train_pairs_is_a_clear_error(tmp_path):
    rows = [r for r in make_rows("US", n=40) if split_of(r["id"]) == "test"][:3]
    root = write_snapshot(tmp_path / "s", rows + [_twin(r, "cctv", "train") for r in rows])
    with pytest.raises(DataError, match="train split is empty after dropping 3 pairs whose statement is in the test"):
        select(load_records(root, say=lambda m: None), "train", DPOSettings(), root, say=lambda m: None)


class _Stop(Exception):
    pass


def test_ablation_reports_the_drop_before_loading_a_model(leaky, tmp_path, monkeypatch):
    root, *_ = leaky
    nocr = tmp_path / "nocr"
    for nation in ("US", "FR"):
        man = json.loads((root / nation / "manifest.json").read_text())
        (nocr / nation).mkdir(parents=True)
        for name in man["files"]:
            (nocr / nation / name).write_bytes((root / nation / name).read_bytes())
        (nocr / nation / "manifest.json").write_text(json.dumps({**man, "with_conflict_reduction": False}))

    def stop(*a, **k):
        raise _Stop

    monkeypatch.setattr(ablation, "resolve_model", stop)
    console = Console(record=True, width=300)
    with pytest.raises(_Stop):
        ablation.run_ablation(root, nocr, "unused", tmp_path / "out", DPOSettings(), console=console)
    text = console.export_text()
    assert "train split: dropped 4 pairs whose statement is also in the test split" in text
    assert "test split: dropped 1 duplicate pairs" in text


def test_dpo_writes_the_counts_into_run_json(leaky, tiny_model, tmp_path):
    root, *_ = leaky
    cfg = tmp_path / "dpo.yaml"
    cfg.write_text("per_device_train_batch_size: 2\ngradient_accumulation_steps: 1\n")
    res = CliRunner().invoke(app, ["dpo", "--data", str(root), "--model", str(tiny_model), "--out",
                                   str(tmp_path / "o"), "--config", str(cfg), "--max-steps", "1", "--seed", "0"])
    assert res.exit_code == 0, res.output
    assert "dropped 4 pairs whose statement is also in the test split" in "".join(res.output.split("\n"))
    info = json.loads((tmp_path / "o" / "run.json").read_text())
    assert info["data"]["dropped_in_test"] == 4 and info["data"]["dropped_duplicates"] == 1
    assert info["train_pairs"] == info["data"]["pairs"]
