"""Multi-language `navab-graph run` on articles of realistic length (issue 18), smoke size: zh, de, fr and en
articles of 1,000-2,000 characters mixing full-width and ASCII punctuation, ß, umlauts, accents and emoji, through
load -> topics -> screen -> extract -> construct -> link -> reduce -> export on the embedded engine in one run.
The full size is benchmarks/run.py (the same corpus builder)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from navab_graph.store import run_named

ROOT = Path(__file__).resolve().parent.parent
NATIONS = ["CN", "DE", "FR", "US"]
PER_NATION = 32


def _bench():
    spec = importlib.util.spec_from_file_location("navab_bench_run", ROOT / "benchmarks" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.timeout(600)
def test_four_languages_long_articles_whole_run(cli, store, tmp_path):
    paths = _bench().write_corpus(tmp_path / "corpus", NATIONS, PER_NATION)
    loaded = {p.stem: [json.loads(x) for x in p.open(encoding="utf-8")] for p in paths}
    assert all(len(v) == PER_NATION for v in loaded.values())
    assert all(min(len(r["text"]) for r in v) >= 1000 for v in loaded.values())
    assert any("：“" in r["text"] for r in loaded["CN"]) and any("\u00ab\u00a0" in r["text"] for r in loaded["FR"])

    out = tmp_path / "snap"
    args = ["run", *[x for n in NATIONS for x in ("-n", n)], *map(str, paths), "--out", str(out)]
    cli(*args)

    for nation in NATIONS:
        # link reads whole texts (cut in Python): every multi-byte text comes back exactly as loaded
        arts = {a["id"]: a for a in run_named(store, "link/articles", {"nation": nation}, write=False)}
        assert len(arts) == PER_NATION
        texts = {r["text"] for r in loaded[nation]}
        assert {a["text"] for a in arts.values()} == texts
        n_topics = store.run("MATCH (t:Topic {nation: $n}) RETURN count(t) AS c", {"n": nation}, write=False)[0]["c"]
        assert n_topics >= 1
        statements = store.run("MATCH (a:Article)-[:STATES]->(s:Statement {nation: $n}) RETURN a.text AS a, "
                               "s.text AS s, s.reverse AS r", {"n": nation}, write=False)
        assert statements, nation
        for row in statements:
            assert "\ufffd" not in row["s"] + (row["r"] or "")
        linked = store.run("MATCH (a:Article {nation: $n})-[l:LINKED]->() RETURN count(l) AS c", {"n": nation},
                           write=False)[0]["c"]
        assert linked > 0, nation
        for variant in ("with_cr", "without_cr"):
            manifest = json.loads((out / variant / nation / "manifest.json").read_text())
            assert sum(v["total"] for v in manifest["counts"].values()) > 0, (variant, nation)
        marks = {r["stage"] for r in store.run("MATCH (r:StageRun {nation: $n}) RETURN r.stage AS stage",
                                               {"n": nation}, write=False)}
        assert {"load", "topics", "screen", "extract", "construct", "link", "reduce"} <= marks, (nation, marks)
    exported = "".join(p.read_text(encoding="utf-8", errors="strict") for p in (out / "with_cr" / "CN").rglob("*")
                       if p.is_file() and p.suffix in {".jsonl", ".json"})
    assert "\ufffd" not in exported and any("\u4e00" <= ch <= "\u9fff" for ch in exported)
