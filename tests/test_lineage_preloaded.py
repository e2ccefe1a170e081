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
