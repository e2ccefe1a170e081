"""Export options and bad input: --without-cr, --all, --format, unknown/empty nations, stale files."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
from navab_eval.snapshot import load_snapshot

from test_export_helpers import says, cn_articles, load_cn, remove, sid, write_jsonl


def test_with_and_without_conflict_reduction(cli, tmp_path):
    arts = load_cn(cli, tmp_path)
    gone = sid(arts[3], arts[3]["statements"][0])
    gone2 = sid(arts[5], arts[5]["statements"][1])
    remove(cli, gone, 2, f"conflicts with {sid(arts[4], arts[4]['statements'][0])} (witness path a03-a04)")
    remove(cli, gone2, 1, "minority side")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "cr"))
    cli("export", "--nation", "CN", "--out", str(tmp_path / "nocr"), "--without-cr")
    with_cr = {r.id: r for r in load_snapshot(tmp_path / "cr").records}
    without = {r.id: r for r in load_snapshot(tmp_path / "nocr").records}
    assert gone not in with_cr and gone2 not in with_cr and len(with_cr) == 23
    assert set(without) == set(with_cr) | {gone, gone2}
    assert (without[gone].cr_status, without[gone].cr_round) == ("removed", 2)
    assert without[gone].cr_reason.startswith("conflicts with ")
    assert (without[gone2].cr_status, without[gone2].cr_round, without[gone2].cr_reason) == ("removed", 1,
                                                                                            "minority side")
    assert all(r.cr_status == "kept" and r.cr_round is None and r.cr_reason is None for r in with_cr.values())
    m_cr = json.loads((tmp_path / "cr/CN/manifest.json").read_text())
    m_no = json.loads((tmp_path / "nocr/CN/manifest.json").read_text())
    # removed by hand, no recorded reduction run: left out, but no Conflict Reduction is claimed (lineage, issue 12)
    assert m_cr["with_conflict_reduction"] is False and m_no["with_conflict_reduction"] is False
    assert m_cr["conflict_reduction"]["state"] == "none"
    assert m_cr["left_out"]["removed_by_cr"] == 2 and m_no["left_out"]["removed_by_cr"] == 0
    assert m_no["cr_counts"]["quoted"]["removed"] == 1 and m_no["cr_counts"]["official"]["removed"] == 1
    assert sum(c["total"] for c in m_no["counts"].values()) == 25
    # the reader's cr_status filter sees the ablation
    assert {r.id for r in load_snapshot(tmp_path / "nocr", cr_status="removed").records} == {gone, gone2}


def test_unknown_and_empty_nations_are_clear_errors(cli, tmp_path):
    res = cli("export", "--nation", "XX", "--out", str(tmp_path / "o"), ok=False)
    assert res.exit_code != 0 and says(res, "unknown nation code 'XX'")
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "o"), ok=False)
    assert res.exit_code != 0 and says(res, "nation FR has no statements")
    res = cli("export", "--all", "--out", str(tmp_path / "o"), ok=False)
    assert res.exit_code != 0 and says(res, "no statements")
    res = cli("export", "--out", str(tmp_path / "o"), ok=False)
    assert res.exit_code != 0 and says(res, "exactly one of --nation CODE or --all")
    # statements without question / reverse are not triples: an error, and no empty files
    write_jsonl(tmp_path / "de.jsonl", [{"id": "d1", "text": "Nachricht.", "statements": [{"text": "Nur Text."}]}])
    cli("load", str(tmp_path / "de.jsonl"), "--nation", "DE")
    res = cli("export", "--nation", "DE", "--out", str(tmp_path / "o"), ok=False)
    assert res.exit_code != 0 and says(res, "nation DE has no triples") and says(res, "1 without a question")
    assert not (tmp_path / "o/DE").exists()
    res = cli("export", "--nation", "DE", "--out", str(tmp_path / "o"), "--format", "csv", ok=False)
    assert res.exit_code != 0 and says(res, "expected a comma list of parquet, jsonl")


def test_all_nations_and_format_choice(cli, tmp_path):
    load_cn(cli, tmp_path, n=4)
    us = [{"id": "u1", "text": "News.", "statements": [
        {"text": "The US supports NATO.", "question": "NATO?", "reverse": "The US opposes NATO.", "kind": "official"}]}]
    cli("load", str(write_jsonl(tmp_path / "us.jsonl", us)), "--nation", "US", "--source", "ap")
    write_jsonl(tmp_path / "de.jsonl", [{"id": "d1", "text": "Nachricht.", "statements": [{"text": "Nur Text."}]}])
    cli("load", str(tmp_path / "de.jsonl"), "--nation", "DE")
    res = cli("export", "--all", "--out", str(tmp_path / "all"), "--format", "parquet")
    assert says(res, "skipped") and says(res, "DE")  # no triples: reported, not fatal under --all
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["CN", "US"]
    assert sorted(p.name for p in (tmp_path / "all/US").iterdir()) == ["manifest.json", "official.parquet",
                                                                      "quoted.parquet"]
    assert pq.read_table(tmp_path / "all/US/quoted.parquet").num_rows == 0  # empty set keeps its schema
    snap = load_snapshot(tmp_path / "all")
    assert {r.nation for r in snap.records} == {"CN", "US"} and len(snap.records) == 4 * 2 + 1 + 1
    us_row = next(r for r in snap.records if r.nation == "US")
    assert (us_row.language, us_row.source, us_row.article_id) == ("en", "ap", "ap:u1")
    # re-export jsonl only: parquet files of the earlier export are removed, not left unvouched for
    cli("export", "--nation", "US", "--out", str(tmp_path / "all"), "--format", "jsonl")
    assert sorted(p.name for p in (tmp_path / "all/US").iterdir()) == ["manifest.json", "official.jsonl",
                                                                      "quoted.jsonl"]
    assert [r.statement for r in load_snapshot(tmp_path / "all/US").records] == ["The US supports NATO."]


def test_statement_in_two_articles_takes_the_smallest_article_id(cli, tmp_path):
    st = {"text": "Same words.", "question": "Q?", "reverse": "Other words.", "kind": "official"}
    rows = [{"id": "b", "text": "t1", "url": "u-b", "statements": [st]},
            {"id": "a", "text": "t2", "url": "u-a", "statements": [st]}]
    cli("load", str(write_jsonl(tmp_path / "s.jsonl", rows)), "--nation", "GB", "--source", "bbc")
    # the loader keys ids on article: two Statements; each is linked to the other article too, so whichever one
    # the export keeps is stated by both articles
    rid_b, rid_a = sid(rows[0], st, "bbc", "GB"), sid(rows[1], st, "bbc", "GB")
    for art, rid in (("bbc:b", rid_a), ("bbc:a", rid_b)):
        cli("cypher", "MATCH (a:Article {id: $a}), (s:Statement {id: $id}) MERGE (a)-[:STATES]->(s)",
            "-p", f"a={art}", "-p", f"id={rid}", "--write")
    cli("export", "--nation", "GB", "--out", str(tmp_path / "o"))
    recs = {r.id: r for r in load_snapshot(tmp_path / "o").records}
    assert list(recs) == [min(rid_a, rid_b)]  # one text, one row: the smallest id
    kept = recs[min(rid_a, rid_b)]
    assert kept.article_id == "bbc:a" and kept.url == "u-a"
    assert json.loads((tmp_path / "o/GB/manifest.json").read_text())["left_out"]["duplicates"] == 1


def test_bad_status_is_quarantined_not_exported(cli, tmp_path, settings):
    arts = load_cn(cli, tmp_path, n=2)
    bad = sid(arts[0], arts[0]["statements"][0])
    cli("cypher", "MATCH (s:Statement {id: $id}) SET s.status = 'pending'", "-p", f"id={bad}", "--write")
    cli("export", "--nation", "CN", "--out", str(tmp_path / "o"), "--without-cr")
    assert bad not in {r.id for r in load_snapshot(tmp_path / "o").records}
    man = json.loads((tmp_path / "o/CN/manifest.json").read_text())
    assert man["left_out"]["bad_status"] == 1
    q = [json.loads(x) for x in (settings.data_dir / "quarantine.jsonl").read_text().splitlines()]
    assert any(x["stage"] == "export" and bad in x["where"] and "'pending'" in x["reason"] for x in q)


def test_large_nation_pages_through_the_graph(cli, tmp_path, settings, store):
    arts = cn_articles(40)
    cli("load", str(write_jsonl(tmp_path / "x.jsonl", arts)), "--nation", "CN", "--source", "xinhua")
    from navab_graph import cypher
    from navab_graph.export import export_nation

    page_text = cypher.get("export/statements", store.engine)
    pages = []

    class Counting:  # the real store, counting the page queries
        engine = store.engine

        def run(self, text, params=None, write=True):
            if text == page_text:
                pages.append(params["ids"][0])
            return store.run(text, params, write=write)

    small = settings.model_copy(update={"batch_size": 7})
    rep = export_nation(Counting(), small, "CN", tmp_path / "o", quiet=True)
    assert len(pages) == 12 and pages == sorted(pages)  # 82 statements / 7 per id batch
    assert rep.statements == 40 * 2 + 2 and rep.incomplete == 1
    assert sum(c["total"] for c in rep.counts.values()) == 81
    recs = load_snapshot(tmp_path / "o").records
    assert len(recs) == len({r.id for r in recs}) == 81
    cli("export", "--nation", "CN", "--out", str(tmp_path / "big"))  # one page: same bytes
    for n in ("quoted.parquet", "official.jsonl"):
        assert (tmp_path / "o/CN" / n).read_bytes() == (tmp_path / "big/CN" / n).read_bytes()
