"""Loading news through the CLI into the real embedded FalkorDB, including every kind of bad input."""
from __future__ import annotations

import json

import pandas as pd
import pytest


def _count(store, label, nation=None):
    q = f"MATCH (n:{label}) " + ("WHERE n.nation = $n " if nation else "") + "RETURN count(n) AS c"
    return store.run(q, {"n": nation})[0]["c"]


def _quarantine(settings):
    p = settings.data_dir / "quarantine.jsonl"
    return [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []


def test_jsonl_csv_parquet_load_and_reload_is_idempotent(tmp_path, store, cli):
    rows = [{"id": f"a{i}", "title": f"t{i}", "text": f"text number {i}", "date": "2024-03-0%d" % (i % 9 + 1),
             "url": f"http://x/{i}"} for i in range(30)]
    (tmp_path / "n.jsonl").write_text("\n".join(json.dumps(r) for r in rows[:10]))
    pd.DataFrame(rows[10:20]).to_csv(tmp_path / "n.csv", index=False)
    pd.DataFrame(rows[20:]).to_parquet(tmp_path / "n.parquet")
    for f in ("n.jsonl", "n.csv", "n.parquet"):
        cli("load", str(tmp_path / f), "--nation", "GB", "--source", "bbc")
    assert _count(store, "Article", "GB") == 30
    res = cli("load", str(tmp_path / "n.jsonl"), "--nation", "GB", "--source", "bbc")
    assert "10" in res.output and _count(store, "Article") == 30  # updated, not duplicated
    a = store.run("MATCH (a:Article {id: 'bbc:a3'})-[:PUBLISHED_BY]->(s:Source) RETURN a, s.id AS s")[0]
    assert a["a"]["published"] == "2024-03-04" and a["a"]["lang"] == "en" and a["s"] == "bbc"


def test_bad_records_are_quarantined_and_load_goes_on(tmp_path, store, cli, settings):
    f = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "fine"}).encode(),
        b'{"id": "broken", "text": ',  # malformed JSON
        json.dumps({"id": "notext", "title": "x"}).encode(),  # missing text
        json.dumps({"id": "empty", "text": "   "}).encode(),  # empty text
        json.dumps({"id": "types", "text": 42}).encode(),  # wrong type
        b'{"id": "latin1", "text": "caf\xe9"}',  # not UTF-8
        json.dumps({"id": "ok1", "text": "again"}).encode(),  # duplicate id
        json.dumps({"id": "big", "text": "x" * 5000}).encode(),  # oversized: truncated, kept
        json.dumps([1, 2]).encode(),  # not an object
    ]
    f.write_bytes(b"\n".join(lines))
    res = cli("--data-dir", str(settings.data_dir), "load", str(f), "--nation", "US")
    assert _count(store, "Article") == 2
    q = [r for r in _quarantine(settings) if r["file"] == str(f)]
    reasons = {r["where"]: r["reason"] for r in q}
    assert reasons["line 2"].startswith("malformed JSON")
    assert "missing text" in reasons["line 3"]
    assert reasons["line 4"] == "empty text"
    assert "must be a string" in reasons["line 5"]
    assert "UTF-8" in reasons["line 6"]
    assert "duplicate id" in reasons["line 7"] and "line 1" in reasons["line 7"]
    assert "expected a JSON object" in reasons["line 9"]
    assert "quarantined" in res.output


def test_oversized_text_is_truncated_and_flagged(tmp_path, store, cli, monkeypatch):
    monkeypatch.setenv("NAVAB_MAX_TEXT_CHARS", "100")
    (tmp_path / "big.jsonl").write_text(json.dumps({"id": "big", "text": "y" * 1000}))
    cli("load", str(tmp_path / "big.jsonl"), "--nation", "US")
    a = store.run("MATCH (a:Article) RETURN size(a.text) AS n, a.truncated AS t")[0]
    assert a == {"n": 100, "t": True}


def test_strict_mode_fails_on_first_bad_record(tmp_path, cli):
    (tmp_path / "s.jsonl").write_text('{"id": 1, "text": "ok"}\n{"id": 2}\n')
    res = cli("load", str(tmp_path / "s.jsonl"), "--nation", "US", "--strict", ok=False)
    assert res.exit_code == 1 and "line 2" in res.output and "missing text" in res.output


@pytest.mark.parametrize("args,msg", [
    (["--nation", "XX"], "unknown nation code"),
    (["--nation", "US", "--preset", "nope"], "unknown preset"),
    (["--nation", "US", "--format", "xml"], "unknown format"),
])
def test_bad_options_give_clear_errors(tmp_path, cli, args, msg):
    (tmp_path / "a.jsonl").write_text('{"text": "x"}')
    res = cli("load", str(tmp_path / "a.jsonl"), *args, ok=False)
    assert res.exit_code != 0 and msg in res.output


def test_unreadable_file(tmp_path, cli):
    res = cli("load", str(tmp_path / "missing.jsonl"), "--nation", "US", ok=False)
    assert res.exit_code == 1 and "no such file" in res.output
    d = tmp_path / "dir.jsonl"
    d.mkdir()
    (d / "x.txt").write_text("x")
    res = cli("load", str(d), "--nation", "US", ok=False)
    assert "no .jsonl" in res.output


def test_csv_with_non_utf8_and_extra_fields(tmp_path, store, cli, settings):
    f = tmp_path / "c.csv"
    f.write_bytes(b"id,text\n1,good\n2,caf\xe9\n3,a,b\n")
    cli("load", str(f), "--nation", "FR")
    assert _count(store, "Article") == 1
    q = {r["where"]: r["reason"] for r in _quarantine(settings) if r["file"] == str(f)}
    assert "UTF-8" in q["line 3"] and "3 fields, the header has 2" in q["line 4"]


def test_presets_map_source_fields(tmp_path, store, cli):
    mnbvc = {"文件名": "doc1", "段落": [{"内容": "中国坚持和平发展道路。"}, {"内容": "第二段。"}], "时间": "2023-05-01"}
    (tmp_path / "m.jsonl").write_text(json.dumps(mnbvc, ensure_ascii=False))
    cli("load", str(tmp_path / "m.jsonl"), "--preset", "mnbvc-news-peoples-daily")
    a = store.run("MATCH (a:Article) RETURN a")[0]["a"]
    assert a["nation"] == "CN" and a["lang"] == "zh" and a["text"] == "中国坚持和平发展道路。\n第二段。"
    assert a["published"] == "2023-05-01" and a["id"] == "mnbvc-news-peoples-daily:doc1"
    bbc = {"title": "T", "published_date": "2021-01-02", "content": "Body", "link": "http://bbc/1"}
    (tmp_path / "b.jsonl").write_text(json.dumps(bbc))
    cli("load", str(tmp_path / "b.jsonl"), "--preset", "bbc-alltime")
    b = store.run("MATCH (a:Article {nation: 'GB'}) RETURN a")[0]["a"]
    assert b["text"] == "Body" and b["url"] == "http://bbc/1" and b["title"] == "T"


def test_field_mapping_option(tmp_path, store, cli):
    (tmp_path / "f.jsonl").write_text(json.dumps({"key": "k1", "body_txt": "Hello", "head": "H"}))
    cli("load", str(tmp_path / "f.jsonl"), "--nation", "DE", "--field", "text=body_txt", "--field", "id=key",
        "--field", "title=head", "--lang", "en")
    a = store.run("MATCH (a:Article) RETURN a")[0]["a"]
    assert (a["id"], a["text"], a["title"], a["lang"]) == ("f:k1", "Hello", "H", "en")


def test_navab_release_format_imports_statements(tmp_path, store, cli, settings):
    rows = [{"raw_news": "新闻一", "statement": "中国坚持多边主义。", "source": "王毅", "generated Q": "中国是否坚持多边主义？",
             "generated reverse statement": "中国放弃多边主义。"},
            {"raw_news": "新闻一", "statement": "中国支持自由贸易。", "source": "王毅", "generated Q": "中国是否支持自由贸易？",
             "generated reverse statement": "中国反对自由贸易。"},
            {"raw_news": "新闻二", "statement": "缺少字段"}]
    f = tmp_path / "human_statement_result.json"
    f.write_text(json.dumps(rows, ensure_ascii=False))
    cli("load", str(f), "--nation", "CN")
    st = store.run("MATCH (a:Article)-[:STATES]->(s:Statement)-[:SAID_BY]->(p:Person) "
                   "RETURN a.id AS a, s.id AS id, s.kind AS kind, s.question AS q, s.reverse AS r, p.name AS p "
                   "ORDER BY id")
    assert len(st) == 2 and len({r["a"] for r in st}) == 1  # two statements of one article
    assert all(r["kind"] == "quoted" and r["p"] == "王毅" for r in st)
    import hashlib
    want = hashlib.sha256("CN|quoted|中国坚持多边主义。".encode()).hexdigest()[:16]
    assert want in {r["id"] for r in st}
    q = [r for r in _quarantine(settings) if r["file"] == str(f)]
    assert len(q) == 1 and "generated Q" in q[0]["reason"] and q[0]["where"] == "line 1 (item 3)"


def test_articles_with_ready_made_statements(tmp_path, store, cli):
    art = {"id": "x1", "text": "Minister A said the UK must cut emissions.",
           "statements": [{"text": "The UK must cut emissions.", "question": "Should the UK cut emissions?",
                           "reverse": "The UK must not cut emissions.", "speaker": "Minister A", "kind": "quoted"}]}
    bad = {"id": "x2", "text": "t", "statements": [{"text": "", "kind": "quoted"}]}
    (tmp_path / "s.jsonl").write_text(json.dumps(art) + "\n" + json.dumps(bad))
    cli("load", str(tmp_path / "s.jsonl"), "--nation", "GB")
    cli("load", str(tmp_path / "s.jsonl"), "--nation", "GB")
    assert _count(store, "Statement") == 1 and _count(store, "Person") == 1
    s = store.run("MATCH (s:Statement) RETURN s")[0]["s"]
    assert s["status"] == "kept" and s["reverse"] == "The UK must not cut emissions." and s["nation"] == "GB"
