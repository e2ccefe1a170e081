"""`navab-graph snapshot diff`: added / removed / changed counts between two exports of a nation."""
from __future__ import annotations

import json

from test_export_helpers import says, cn_articles, load_cn, remove, sid, write_jsonl


def test_diff_counts_added_removed_changed(cli, tmp_path):
    arts = load_cn(cli, tmp_path, n=6)  # 13 triples
    cli("export", "--nation", "CN", "--out", str(tmp_path / "v1"), "--without-cr")
    # v2: a new article (2 triples), one statement's question edited, one removed by CR (status change),
    # and one statement dropped from the graph entirely
    more = cn_articles(8)[6:7]
    cli("load", str(write_jsonl(tmp_path / "more.jsonl", more)), "--nation", "CN", "--source", "xinhua")
    edited = sid(arts[2], arts[2]["statements"][1])
    cli("cypher", "MATCH (s:Statement {id: $id}) SET s.question = 'A better question?'", "-p", f"id={edited}",
        "--write")
    removed_by_cr = sid(arts[4], arts[4]["statements"][0])
    remove(cli, removed_by_cr, 1, "minority")
    dropped = sid(arts[5], arts[5]["statements"][1])
    cli("cypher", "MATCH (s:Statement {id: $id}) DETACH DELETE s", "-p", f"id={dropped}", "--write")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "v2"), "--without-cr")

    res = cli("snapshot", "diff", str(tmp_path / "v1/CN"), str(tmp_path / "v2/CN"), "--json")
    d = json.loads(res.stdout)["CN"]
    assert (d["a"], d["b"], d["added"], d["removed"], d["changed"], d["unchanged"]) == (13, 14, 2, 1, 2, 10)
    assert d["changed_fields"]["question"] == 1 and d["changed_fields"]["cr_status"] == 1
    assert sorted(d["examples"]["changed"]) == sorted([edited, removed_by_cr])
    assert d["examples"]["removed"] == [dropped]
    assert sorted(d["examples"]["added"]) == sorted(sid(more[0], s) for s in more[0]["statements"])

    # roots work too, and the table names the counts
    res = cli("snapshot", "diff", str(tmp_path / "v1"), str(tmp_path / "v2"))
    assert says(res, "CN") and says(res, "question=1")
    # identical snapshots: nothing changed
    same = json.loads(cli("snapshot", "diff", str(tmp_path / "v2"), str(tmp_path / "v2"), "--json").stdout)["CN"]
    assert (same["added"], same["removed"], same["changed"], same["unchanged"]) == (0, 0, 0, 14)


def test_diff_with_kept_only_export_counts_cr_removals_as_removed(cli, tmp_path):
    arts = load_cn(cli, tmp_path, n=3)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "v1"))
    remove(cli, sid(arts[0], arts[0]["statements"][0]), 1, "minority")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "v2"), "--format", "jsonl")
    d = json.loads(cli("snapshot", "diff", str(tmp_path / "v1"), str(tmp_path / "v2"), "--json").stdout)["CN"]
    assert (d["added"], d["removed"], d["changed"]) == (0, 1, 0)


def test_diff_bad_input_is_a_clear_error(cli, tmp_path):
    load_cn(cli, tmp_path, n=2)
    cli("export", "--nation", "CN", "--out", str(tmp_path / "v1"))
    res = cli("snapshot", "diff", str(tmp_path / "v1"), str(tmp_path / "nope"), ok=False)
    assert res.exit_code != 0 and says(res, "nope: does not exist")
    (tmp_path / "empty").mkdir()
    res = cli("snapshot", "diff", str(tmp_path / "v1"), str(tmp_path / "empty"), ok=False)
    assert res.exit_code != 0 and says(res, "not a snapshot")
    f = tmp_path / "v1/CN/quoted.jsonl"
    f.write_text(f.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    res = cli("snapshot", "diff", str(tmp_path / "v1"), str(tmp_path / "v1"), ok=False)
    assert res.exit_code != 0 and says(res, "quoted.jsonl: sha256 differs")
    (tmp_path / "v1/CN/quoted.parquet").unlink()
    res = cli("snapshot", "diff", str(tmp_path / "v1"), str(tmp_path / "v1"), "--no-verify", ok=False)
    assert res.exit_code != 0 and says(res, "quoted.jsonl, line") and says(res, "malformed JSON")
