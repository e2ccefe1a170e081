"""Ready-made statements re-loaded with another question or reverse after link and reduce: link (which read
them) and the Conflict Reduction built on it turn stale, so export refuses a snapshot that would pair the new
triples with removals decided on the old ones; the same file re-loaded unchanged changes nothing."""
from __future__ import annotations

import json

import pytest

from planted import planted_corpus

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)


def test_reloaded_question_or_reverse_makes_link_and_reduce_stale(cli, store, tmp_path):
    f = tmp_path / "FR.jsonl"
    planted_corpus(f, "FR")
    rows = [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        for st in r.get("statements") or []:
            st["question"] = "Est-il vrai que " + st["text"].rstrip(".") + " ?"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    cli("load", str(f), "--nation", "FR")
    cli("link", "--nation", "FR")
    cli("reduce", "--nation", "FR")
    cli("export", "--nation", "FR", "--out", str(tmp_path / "before"))
    cli("load", str(f), "--nation", "FR")  # the same file again: nothing a stage read has changed
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "same"))
    assert json.loads((tmp_path / "same" / "FR" / "manifest.json").read_text())["with_conflict_reduction"]
    changed = 0
    for r in rows:
        for st in r.get("statements") or []:
            if st.get("reverse") and changed < 3:
                st["reverse"] = "Rien de tout cela : " + st["reverse"]
                changed += 1
    assert changed == 3
    g = tmp_path / "FR2" / "FR.jsonl"
    g.parent.mkdir()
    g.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    cli("load", str(g), "--nation", "FR")
    unlinked = store.run("MATCH (s:Statement {nation: 'FR'}) WHERE s.link_run IS NULL RETURN count(s) AS c")
    assert unlinked[0]["c"] == 3
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "after"), ok=False)
    assert res.exit_code != 0 and "link" in res.output and "stale" in res.output
    assert not (tmp_path / "after" / "FR" / "manifest.json").exists()
    cli("link", "--nation", "FR")
    cli("reduce", "--nation", "FR")
    cli("export", "--nation", "FR", "--out", str(tmp_path / "after"))
    assert json.loads((tmp_path / "after" / "FR" / "manifest.json").read_text())["with_conflict_reduction"]


def _news(path, first: str | None, with_statements: bool = True):
    rows = []
    for i in range(3):
        r = {"id": f"a{i}", "text": f"Article {i} about policy and the economy."}
        if with_statements:
            text = first if i == 0 else f"We must do thing {i}."
            r["statements"] = [] if text is None else [
                {"text": text, "question": f"Must we do thing {i}?", "reverse": f"We must not do thing {i}.",
                 "kind": "official"}]
        rows.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _texts(store):
    return sorted((r["a"], r["t"]) for r in store.run(
        "MATCH (s:Statement) OPTIONAL MATCH (a:Article)-[:STATES]->(s) RETURN a.id AS a, s.text AS t"))


@pytest.mark.parametrize("bulk", ["--bulk", "--no-bulk"])
def test_a_statement_the_reloaded_article_no_longer_carries_is_gone(cli, store, tmp_path, bulk):
    cli("load", str(_news(tmp_path / "v1" / "news.jsonl", "We must do thing 0.")), "--nation", "US", bulk)
    cli("link", "--nation", "US")
    # the first statement reworded (a new id): the old wording must not stay in the benchmark
    res = cli("load", str(_news(tmp_path / "v2" / "news.jsonl", "We must really do thing 0.")), "--nation", "US")
    assert "1 ready-made statement(s) no longer in their re-loaded article were deleted" in res.output
    assert _texts(store) == [("news:a0", "We must really do thing 0."), ("news:a1", "We must do thing 1."),
                             ("news:a2", "We must do thing 2.")]
    rows = json.loads(cli("status", "--nation", "US", "--json").output)
    assert "link is stale" in json.dumps(rows) or "not linked" in json.dumps(rows), rows
    # a file without the field says nothing about statements: they stay
    cli("load", str(_news(tmp_path / "v3" / "news.jsonl", None, with_statements=False)), "--nation", "US")
    assert len(_texts(store)) == 3
    # an empty list does say: none any more
    cli("load", str(_news(tmp_path / "v4" / "news.jsonl", None)), "--nation", "US")
    assert [t for a, t in _texts(store)] == ["We must do thing 1.", "We must do thing 2."]
