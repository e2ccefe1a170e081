"""Article ids depend on the source and the record's own id, never on how the file was named on the
command line (issue 13); a NaVAB release file in a folder that is not a country name loads with --nation
(issue 17)."""
from __future__ import annotations

import gzip
import json
import shutil

from navab_loaders.records import short_hash


def _ids(store):
    return sorted(r["id"] for r in store.run("MATCH (a:Article) RETURN a.id AS id", write=False))


def _rows(n, tag=""):
    return "".join(json.dumps({"id": f"v{i}", "text": f"text {tag}{i}"}) + "\n" for i in range(n))


def test_same_file_direct_through_its_folder_relative_or_gzipped_gives_the_same_ids(tmp_path, cli, store,
                                                                                   monkeypatch):
    d = tmp_path / "in4"
    d.mkdir()
    (d / "bad4.jsonl").write_text(_rows(3))
    cli("load", str(d / "bad4.jsonl"), "--nation", "US")
    assert _ids(store) == ["bad4:v0", "bad4:v1", "bad4:v2"]
    cli("load", str(d), "--nation", "US")
    monkeypatch.chdir(tmp_path)
    cli("load", "in4/../in4/bad4.jsonl", "--nation", "US")
    (tmp_path / "gz").mkdir()
    with gzip.open(tmp_path / "gz" / "bad4.jsonl.gz", "wt") as f:
        f.write(_rows(3))
    cli("load", str(tmp_path / "gz"), "--nation", "US")
    assert _ids(store) == ["bad4:v0", "bad4:v1", "bad4:v2"]
    res = cli("load", str(d), "--nation", "US", "--source", "wire")
    assert "wire" in res.output and len(_ids(store)) == 6  # an explicit source is a different source


def test_same_file_name_for_two_nations_is_never_overwritten(tmp_path, cli, store, settings):
    for n in ("us", "gb"):
        (tmp_path / n).mkdir()
        (tmp_path / n / "news.jsonl").write_text(_rows(2, n))
    cli("load", str(tmp_path / "us" / "news.jsonl"), "--nation", "US")
    res = cli("load", str(tmp_path / "gb" / "news.jsonl"), "--nation", "GB")
    rows = store.run("MATCH (a:Article) RETURN a.id AS id, a.nation AS n, a.text AS t ORDER BY id", write=False)
    assert [(r["id"], r["n"], r["t"]) for r in rows] == [("news:v0", "US", "text us0"), ("news:v1", "US", "text us1")]
    q = [json.loads(x) for x in (settings.data_dir / "quarantine.jsonl").read_text().splitlines()]
    mine = [r for r in q if r["file"] == str(tmp_path / "gb" / "news.jsonl")]
    assert len(mine) == 2 and all("nation US" in r["reason"] and "--source" in r["reason"] for r in mine)
    assert "quarantined" in res.output
    cli("load", str(tmp_path / "gb" / "news.jsonl"), "--nation", "GB", "--source", "gb-news")
    assert len(_ids(store)) == 4


def test_navab_release_in_a_folder_that_is_not_a_country(tmp_path, cli, store):
    d = tmp_path / "navab_US"
    d.mkdir()
    rows = [{"raw_news": "news one", "statement": "We keep our word.", "source": "Spokesperson",
             "generated Q": "Do they keep their word?", "generated reverse statement": "We break our word."}]
    (d / "human_statement_result.json").write_text(json.dumps(rows))
    cli("load", str(d / "human_statement_result.json"), "--nation", "US")
    shutil.copytree(d, tmp_path / "copy_elsewhere")
    cli("load", str(tmp_path / "copy_elsewhere"), "--nation", "US")  # same ids from another folder
    assert _ids(store) == [f"navab-US:{short_hash('navab-US', None, None, 'news one')}"]
    assert store.run("MATCH (s:Statement) RETURN count(s) AS c", write=False)[0]["c"] == 1


def test_a_colon_in_a_source_name_cannot_make_two_articles_one(tmp_path, cli, store, settings):
    """ids are source:record id: source x:y with id z and source x with id y:z would both be x:y:z, and the
    second load would overwrite the first article and link it to both sources."""
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "z", "text": "first article"}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "y:z", "text": "second article"}) + "\n")
    res = cli("load", str(tmp_path / "a.jsonl"), "--nation", "US", "--source", "x:y", ok=False)
    assert res.exit_code != 0 and "':'" in res.output and "--source x-y" in res.output
    (tmp_path / "x:y.jsonl").write_text((tmp_path / "a.jsonl").read_text())  # the file's name as its source
    res = cli("load", str(tmp_path / "x:y.jsonl"), "--nation", "US")
    assert "quarantined" in res.output and _ids(store) == []
    cli("load", str(tmp_path / "b.jsonl"), "--nation", "US", "--source", "x")
    # an article of that id made another way (an older graph, a hand-written query) is not taken over either
    store.run("CREATE (:Article {id: 'x:q', source: 'other', nation: 'US', text: 'kept', load_id: 'l0'})")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "q", "text": "would overwrite"}) + "\n")
    for bulk in ("--bulk", "--no-bulk"):
        res = cli("load", str(tmp_path / "c.jsonl"), "--nation", "US", "--source", "x", bulk)
        assert "quarantined" in res.output
    rows = store.run("MATCH (a:Article) OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source) "
                     "RETURN a.id AS id, a.text AS t, collect(s.id) AS s ORDER BY id", write=False)
    assert [(r["id"], r["t"], r["s"]) for r in rows] == [("x:q", "kept", []), ("x:y:z", "second article", ["x"])]
    q = [json.loads(x) for x in (settings.data_dir / "quarantine.jsonl").read_text().splitlines()]
    assert sum("source 'other'" in r["reason"] for r in q) == 2
