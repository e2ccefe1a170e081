"""One statement text, one row: the same statement reported by several articles (one id per article) is exported
once per nation, and the train/test split is keyed by its text, so it can never sit in both splits (the leak
that inflated the DPO gain: 46 of 72 test pairs had an identical twin in train)."""
from __future__ import annotations

import json

from navab_eval.snapshot import load_snapshot

from test_export_helpers import remove, says, sid, text_split, write_jsonl

OUTLETS = ("xinhua", "cctv", "people")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _articles(n: int, variant: int = 0) -> list[dict]:
    """n articles, one statement each; variant 1 spaces the words differently (the same normalised text)."""
    space = "  " if variant else " "
    return [{"id": f"a{i:03d}", "text": f"正文 {i}", "url": f"https://news.example/{i}",
             "published": "2024-03-01", "statements": [
                 {"text": f"The{space}state supports plan {i}.\n" if variant else f"The state supports plan {i}.",
                  "question": f"Does the state support plan {i}?", "reverse": f"The state opposes plan {i}.",
                  "kind": "official"}]} for i in range(n)]


def _load(cli, tmp_path, source: str, arts: list[dict], nation: str = "CN") -> None:
    cli("load", str(write_jsonl(tmp_path / f"{source}.jsonl", arts)), "--nation", nation, "--source", source)


def _manifest(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_two_articles_with_the_same_text_give_one_row(cli, tmp_path):
    st = {"text": "We support open trade.", "question": "Trade?", "reverse": "We oppose open trade.",
          "kind": "official"}
    _load(cli, tmp_path, "xinhua", [{"id": "x1", "text": "t", "statements": [st]}])
    # another outlet, the same words with other spacing: another id, the same normalised text
    spaced = {**st, "text": " We support  open trade. "}
    _load(cli, tmp_path, "cctv", [{"id": "c1", "text": "t", "statements": [spaced]}])
    ids = sorted([sid({"id": "x1"}, st, "xinhua"), sid({"id": "c1"}, spaced, "cctv")])
    assert ids[0] != ids[1]
    res = cli("export", "--nation", "CN", "--out", str(tmp_path / "o"))
    recs = load_snapshot(tmp_path / "o").records
    assert [r.id for r in recs] == [ids[0]]  # the smallest id wins
    man = _manifest(tmp_path / "o/CN/manifest.json")
    assert man["left_out"]["duplicates"] == 1 and man["split_key"] == "statement_text"
    assert sum(c["total"] for c in man["counts"].values()) == 1
    assert says(res, "1 duplicates")  # the command's "left out" column


def test_the_same_text_in_both_sets_is_one_row_with_the_smallest_id(cli, tmp_path):
    quoted = {"text": "Peace matters.", "question": "Peace?", "reverse": "Peace does not matter.",
              "speaker": "A. Minister", "kind": "quoted"}
    official = {**quoted, "speaker": None, "kind": "official"}
    _load(cli, tmp_path, "xinhua", [{"id": "q", "text": "t", "statements": [quoted]}])
    _load(cli, tmp_path, "cctv", [{"id": "o", "text": "t", "statements": [official]}])
    rid_q, rid_o = sid({"id": "q"}, quoted, "xinhua"), sid({"id": "o"}, official, "cctv")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "o"))
    recs = load_snapshot(tmp_path / "o").records
    assert [(r.id, r.set) for r in recs] == [(min(rid_q, rid_o), "quoted" if rid_q < rid_o else "official")]
    assert _manifest(tmp_path / "o/CN/manifest.json")["left_out"]["duplicates"] == 1


def test_many_duplicated_texts_never_cross_splits(cli, tmp_path):
    n = 60
    for k, outlet in enumerate(OUTLETS):
        _load(cli, tmp_path, outlet, _articles(n, variant=k % 2))
    cli("export", "--nation", "CN", "--out", str(tmp_path / "o"))
    recs = load_snapshot(tmp_path / "o").records
    texts = [_norm(r.statement) for r in recs]
    assert len(texts) == len(set(texts)) == n  # each text once
    by_split = {s: {_norm(r.statement) for r in recs if r.split == s} for s in ("train", "test")}
    assert by_split["train"] and by_split["test"] and not by_split["train"] & by_split["test"]
    assert all(r.split == text_split("CN", r.statement) for r in recs)
    man = _manifest(tmp_path / "o/CN/manifest.json")
    assert man["left_out"]["duplicates"] == n * (len(OUTLETS) - 1)
    assert man["counts"]["official"]["total"] == n
    # each kept row is the smallest of its text's ids
    every = {}
    for k, outlet in enumerate(OUTLETS):
        for a in _articles(n, variant=k % 2):
            every.setdefault(_norm(a["statements"][0]["text"]), []).append(sid(a, a["statements"][0], outlet))
    assert {r.id for r in recs} == {min(v) for v in every.values()}


def test_a_later_outlet_does_not_move_a_statement_across_splits(cli, tmp_path):
    """The kept id may change when another article reports the statement; its split must not."""
    n = 60
    _load(cli, tmp_path, "xinhua", _articles(n))
    cli("export", "--nation", "CN", "--out", str(tmp_path / "one"))
    before = {_norm(r.statement): (r.id, r.split) for r in load_snapshot(tmp_path / "one").records}
    _load(cli, tmp_path, "cctv", _articles(n, variant=1))
    cli("export", "--nation", "CN", "--out", str(tmp_path / "two"))
    after = {_norm(r.statement): (r.id, r.split) for r in load_snapshot(tmp_path / "two").records}
    assert before.keys() == after.keys()
    assert any(before[t][0] != after[t][0] for t in before)  # some winners are the new outlet's ids
    assert all(before[t][1] == after[t][1] for t in before)


def test_without_cr_prefers_the_kept_row_so_the_two_snapshots_agree(cli, tmp_path):
    st = [{"text": f"Claim {i}.", "question": f"Claim {i}?", "reverse": f"Not claim {i}.", "kind": "official"}
          for i in range(3)]
    arts = {o: [{"id": f"{o}{i}", "text": "t", "statements": [st[i]]} for i in range(3)] for o in ("x", "y")}
    _load(cli, tmp_path, "xinhua", arts["x"])
    _load(cli, tmp_path, "cctv", arts["y"])
    ids = [sorted([sid(arts["x"][i], st[i], "xinhua"), sid(arts["y"][i], st[i], "cctv")]) for i in range(3)]
    remove(cli, ids[0][0], 1, "minority side")  # claim 0: the smaller id removed, the larger kept
    remove(cli, ids[1][0], 1, "minority side")  # claim 1: both removed
    remove(cli, ids[1][1], 2, "minority side")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "cr"))
    cli("export", "--nation", "CN", "--out", str(tmp_path / "nocr"), "--without-cr")
    with_cr = {r.id: r.cr_status for r in load_snapshot(tmp_path / "cr").records}
    without = {r.id: r.cr_status for r in load_snapshot(tmp_path / "nocr").records}
    assert without == {ids[0][1]: "kept", ids[1][0]: "removed", ids[2][0]: "kept"}
    assert with_cr == {k: v for k, v in without.items() if v == "kept"}
    m_cr, m_no = _manifest(tmp_path / "cr/CN/manifest.json"), _manifest(tmp_path / "nocr/CN/manifest.json")
    assert m_cr["left_out"]["duplicates"] == m_no["left_out"]["duplicates"] == 3
    assert m_cr["left_out"]["removed_by_cr"] == 1 and m_no["left_out"]["removed_by_cr"] == 0
