"""The bulk path of `load` (issue 16): articles whose ids the batch's lookup did not find are created with
FalkorDB's GRAPH.BULK and linked to their source; ids already in the graph are merged.

Asserted on the real embedded engine: the bulk path stores exactly what the MERGE path stores (articles,
properties, edges, statements, speakers, the same quarantine), a re-load of the same file changes nothing,
and a load whose loader or engine is killed with SIGKILL mid-bulk loads again to exact counts.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from navab_graph.store.embedded import EmbeddedServer
from navab_graph.store.falkor import FalkorStore, ParameterError, bulk_nodes
from test_hostile_input import corpus  # noqa: F401  (its fixture: the hostile-input corpus of issue 13)

TEXTS = ["中国坚持和平发展道路。", "Die Regierung sagt: „Wir müssen handeln.“",
         "L'État doit agir — « maintenant ».", 'quote " backslash \\ end', "line\nbreak\tand\u2028separator",
         "emoji 🙂 and zero\u200bwidth"]


def _state(store) -> dict:
    """Everything a load writes, load_id aside (it names the load, not the data)."""
    arts = {}
    for r in store.run("MATCH (a:Article) OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source) "
                       "RETURN a AS a, collect(s.id) AS s", write=False):
        arts[r["a"]["id"]] = ({k: v for k, v in r["a"].items() if k != "load_id"}, sorted(r["s"]))
    sts = {r["s"]["id"]: (r["s"], sorted(r["a"]), sorted(r["p"])) for r in store.run(
        "MATCH (s:Statement) OPTIONAL MATCH (a:Article)-[:STATES]->(s) OPTIONAL MATCH (s)-[:SAID_BY]->(p:Person) "
        "RETURN s AS s, collect(DISTINCT a.id) AS a, collect(DISTINCT p.name) AS p", write=False)}
    return {"articles": arts, "statements": sts, **store.counts()}


def _quarantine(settings, since: int) -> list[tuple]:
    p = settings.data_dir / "quarantine.jsonl"
    lines = p.read_text(encoding="utf-8").splitlines()[since:] if p.exists() else []
    return sorted((r["file"], r["where"], r["reason"]) for r in map(json.loads, lines))


def _lines(settings) -> int:
    p = settings.data_dir / "quarantine.jsonl"
    return len(p.read_text(encoding="utf-8").splitlines()) if p.exists() else 0


def _corpus(root) -> int:
    """Two sources over several batches (the fixtures' batch size is 500), NaVAB rows (one article, several
    statements), bad dates, long texts, a duplicate id across batches; returns the article count."""
    root.mkdir()
    rows = []
    for i in range(1300):
        r = {"id": f"a{i}", "title": None if i % 7 == 0 else f"title {i}", "text": f"{TEXTS[i % 6]} {i}",
             "date": "2024-02-30" if i % 50 == 3 else "2024-01-15", "url": f"https://x.example/{i}"}
        if i % 100 == 5:
            r["text"] = "long " * 60
        if i % 200 == 9:
            r["statements"] = [{"text": f"Statement {i}.", "question": f"Q {i}?", "reverse": f"Not {i}.",
                                "speaker": f"Speaker {i % 3}", "kind": "quoted"}]
        rows.append(r)
    rows.insert(900, {"id": "a10", "text": "again"})  # a duplicate of a row two batches before
    (root / "wire.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    (root / "other.jsonl").write_text("\n".join(json.dumps({"id": i, "text": f"other {i}"}) for i in range(300)))
    navab = [{"raw_news": "news one", "statement": f"We keep promise {k}.", "source": "Spokesperson",
              "generated Q": f"Do they keep promise {k}?", "generated reverse statement": f"We break {k}."}
             for k in range(3)]
    (root / "human_statement_result.json").write_text(json.dumps(navab))
    return 1300 + 300 + 1


def test_bulk_and_merge_store_the_same_graph_and_quarantine_the_same_rows(tmp_path, cli, store, settings,
                                                                          monkeypatch):
    monkeypatch.setenv("NAVAB_MAX_TEXT_CHARS", "200")
    n = _corpus(tmp_path / "in")
    got = {}
    for flag, path in (("--bulk", "bulk"), ("--no-bulk", "merge")):
        since = _lines(settings)
        res = cli("load", str(tmp_path / "in"), "--nation", "US", flag)
        assert path in res.output, res.output
        got[path] = (_state(store), _quarantine(settings, since))
        store.drop()
    (bulk, bq), (merge, mq) = got["bulk"], got["merge"]
    assert len(bulk["articles"]) == n and bulk == merge
    assert bq == mq and len([q for q in bq if "duplicate id 'wire:a10'" in q[2]]) == 1
    a = bulk["articles"]
    assert a["wire:a3"][0]["published_raw"] == "2024-02-30" and "published" not in a["wire:a3"][0]
    assert a["wire:a5"][0]["truncated"] is True and len(a["wire:a5"][0]["text"]) == 200
    assert "title" not in a["wire:a0"][0] and a["wire:a1"][0]["text"] == TEXTS[1] + " 1"
    assert all(src == ["wire"] for aid, (_, src) in a.items() if aid.startswith("wire:"))
    assert len(bulk["statements"]) == 7 + 3  # 7 ready-made, 3 NaVAB ones on one article
    assert bulk["edges"] == n + 2 * 7 + 2 * 3  # PUBLISHED_BY; STATES and SAID_BY of 7 + 3 statements


def test_a_reload_of_the_same_file_changes_nothing(tmp_path, cli, store):
    _corpus(tmp_path / "in")
    res = cli("load", str(tmp_path / "in"), "--nation", "US")  # a nation without articles: bulk by itself
    assert "bulk" in res.output
    first = _state(store)
    for flags in ([], ["--bulk"], ["--no-bulk"]):
        res = cli("load", str(tmp_path / "in"), "--nation", "US", *flags)
        assert "merge" in res.output or flags == ["--bulk"]
        assert _state(store) == first


def test_bulk_into_a_nation_with_articles_creates_the_new_ids_and_merges_the_others(tmp_path, cli, store):
    f = tmp_path / "news.jsonl"
    f.write_text("\n".join(json.dumps({"id": i, "text": f"old {i}"}) for i in range(600)))
    cli("load", str(f), "--nation", "GB")
    f.write_text("\n".join(json.dumps({"id": i, "text": f"new {i}"}) for i in range(300, 1100)))
    res = cli("load", str(f), "--nation", "GB", "--bulk")
    row = [ln for ln in res.output.splitlines() if "bulk" in ln][0]
    assert " 500 " in row and " 300 " in row  # loaded, updated
    texts = {r["id"]: r["t"] for r in store.run("MATCH (a:Article)-[:PUBLISHED_BY]->(:Source {id: 'news'}) "
                                                "RETURN a.id AS id, a.text AS t", write=False)}
    assert len(texts) == 1100 and store.counts()["edges"] == 1100
    assert texts["news:0"] == "old 0" and texts["news:300"] == "new 300" and texts["news:1099"] == "new 1099"
    res = cli("load", str(tmp_path / "news.jsonl"), "--nation", "GB")
    assert "merge" in res.output  # a nation with articles: MERGE unless --bulk


def test_graph_bulk_tokens_round_trip_values_and_refuse_what_would_shift_them(store):
    store.run("CREATE (:Seed)")  # GRAPH.BULK adds to an existing graph only
    rows = [{"id": f"t{i}", "s": t, "n": i - 3, "b": i % 2 == 0, "z": None} for i, t in enumerate(TEXTS)]
    rows.append({"id": "big", "s": "", "n": 2 ** 63 - 1, "b": False, "z": None})
    token = bulk_nodes("Thing", ("id", "s", "n", "b", "z"), rows, {"tag": "ü"})
    assert store._command("GRAPH.BULK", store.graph_name, len(rows), 0, 1, 0, token).startswith("7 nodes")
    back = {r["t"]["id"]: r["t"] for r in store.run("MATCH (t:Thing) RETURN t AS t", write=False)}
    assert back == {r["id"]: {**{k: v for k, v in r.items() if v is not None}, "tag": "ü"} for r in rows}
    for bad in ({"s": "a\x00b"}, {"s": "a\ud800"}, {"s": 1.5}, {"s": {"k": 1}}, {"s": [1]}, {"n": 2 ** 63}):
        with pytest.raises(ParameterError):
            bulk_nodes("Thing", ("s", "n"), [bad])
    for label in ("A:B", "", "A\x00"):
        with pytest.raises(ParameterError):
            bulk_nodes(label, ("s",), [{"s": "x"}])


def _load(data_dir, path, *flags):
    env = {**os.environ, "NAVAB_DATA_DIR": str(data_dir), "NAVAB_BATCH_SIZE": "500"}
    return subprocess.Popen([sys.executable, "-m", "navab_graph", "--quiet", "load", str(path), "--nation", "US",
                             *flags], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _counts(data_dir) -> dict:
    s = FalkorStore(graph="navab", data_dir=data_dir)
    try:
        one = lambda q: s.run(q, write=False)[0]["c"]  # noqa: E731
        return {"articles": one("MATCH (a:Article) RETURN count(a) AS c"),
                "ids": one("MATCH (a:Article) RETURN count(DISTINCT a.id) AS c"),
                "edges": one("MATCH (:Article)-[r:PUBLISHED_BY]->(:Source) RETURN count(r) AS c"),
                "unlinked": one("MATCH (a:Article) WHERE NOT (a)-[:PUBLISHED_BY]->() RETURN count(a) AS c")}
    finally:
        s.close()


def test_kill_the_engine_then_the_loader_mid_bulk_then_reload_gives_exact_counts(tmp_path):
    from test_durability import _wait_some_loaded

    n = 30000
    data = tmp_path / "news.jsonl"
    data.write_text("".join(json.dumps({"id": f"d{i}", "text": f"body of article {i} " * 5}) + "\n"
                            for i in range(n)))
    d = tmp_path / "db"
    p = _load(d, data)  # a fresh nation: the bulk path by itself
    srv = _wait_some_loaded(d, p)
    os.kill(srv.pid(), signal.SIGKILL)
    out = p.communicate(timeout=120)[0]
    assert p.returncode != 0, out
    p = _load(d, data, "--bulk")  # the engine replays its AOF (GRAPH.BULK included); new ids bulk, others merge
    _wait_some_loaded(d, p)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    for flags in (["--bulk"], []):
        p = _load(d, data, *flags)
        out = p.communicate(timeout=300)[0]
        assert p.returncode == 0, out
        assert _counts(d) == {"articles": n, "ids": n, "edges": n, "unlinked": 0}
    EmbeddedServer(d).stop()


def test_a_batch_of_long_texts_is_sent_in_parts(tmp_path, cli, store, monkeypatch):
    from navab_graph.stages import load as stage

    monkeypatch.setattr(stage, "_PART_CHARS", 50)  # about two of these texts per command
    f = tmp_path / "long.jsonl"
    f.write_text("\n".join(json.dumps({"id": i, "text": f"text of article {i:04d}"}) for i in range(45)))
    for flag in ("--bulk", "--no-bulk"):
        cli("load", str(f), "--nation", "FR", flag)
        rows = store.run("MATCH (a:Article)-[:PUBLISHED_BY]->(s:Source) RETURN a.id AS id, a.text AS t, s.id AS s",
                         write=False)
        assert sorted((r["id"], r["t"], r["s"]) for r in rows) == sorted(
            (f"long:{i}", f"text of article {i:04d}", "long") for i in range(45))
        assert store.counts() == {"nodes": 45 + 2, "edges": 45}  # articles, the source, the nation
        store.drop()


def test_the_hostile_corpus_loads_alike_through_bulk_and_merge(corpus, cli, store, settings):
    got = []
    for flag in ("--bulk", "--no-bulk"):
        since = _lines(settings)
        cli("load", str(corpus.root), "--nation", "US", flag)
        got.append((_state(store), _quarantine(settings, since)))
        store.drop()
    assert got[0] == got[1]
    assert len(got[0][0]["articles"]) == len(corpus.articles) and len(got[0][1]) >= len(corpus.bad)
