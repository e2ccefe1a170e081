"""Lineage of article content: an article re-loaded under the same id with another text makes the statements
extracted from its old text stale (status counts them, export refuses, `run` retires and re-extracts them), and an
article that gave no statement is extracted again from its new text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.portable  # runs on Neo4j too (make test-neo4j)

ROOT = Path(__file__).resolve().parent.parent
NEW_TEXT = ("Le gouvernement a présenté sa réforme à Lyon. Nous devons protéger la liberté de la presse dans "
            "toutes les régions. La France doit défendre l'indépendance des journalistes.")


def _rows(n: int = 90) -> list[dict]:
    lines = (ROOT / "examples" / "data" / "FR.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    return [json.loads(x) for x in lines]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _exported(out: Path) -> dict[str, dict]:
    rows = {}
    for name in ("quoted", "official"):
        for line in (out / "with_cr" / "FR" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            rows[r["id"]] = r
    return rows


def test_reloaded_text_makes_its_statements_stale_and_run_rederives(tmp_path, cli, store):
    rows = _rows()
    data, out = _write(tmp_path / "FR.jsonl", rows), tmp_path / "snap"
    cli("run", "--nation", "FR", str(data), "--out", str(out))
    before = _exported(out)
    by_article = {}
    for r in before.values():
        by_article.setdefault(r["article_id"], []).append(r["id"])
    changed_id, silent_id = sorted(by_article)[:2]  # two articles whose statements are in the snapshot
    # the second one becomes an extracted article that gave no statement (every sample article gives some)
    store.run("MATCH (a:Article {id: $id})-[:STATES]->(s:Statement) DETACH DELETE s", {"id": silent_id})
    store.run("MATCH (a:Article {id: $id}) SET a.extract_statements = 0", {"id": silent_id})
    cli("reduce", "--undo", "--nation", "FR")
    cli("run", "--nation", "FR", str(data), "--out", str(out))
    before = _exported(out)
    assert not any(r["article_id"] == silent_id for r in before.values())

    source = changed_id.split(":", 1)[0]
    for r in rows:
        if f"{source}:{r['id']}" in (changed_id, silent_id):
            r["text"] = NEW_TEXT + f" ({r['id']})"
    cli("load", str(_write(tmp_path / "FR.jsonl", rows)), "--nation", "FR")

    stages = json.loads(cli("status", "--nation", "FR", "--json").output)["stages"]
    st = stages["extract"]
    assert st["stale"] == len(by_article[changed_id]) and st["pending"] >= 2, st
    assert "re-loaded with another title or text" in st["note"], st
    assert stages["topics"]["pending"] == 2 and "since the topic model" in stages["topics"]["note"], stages["topics"]
    res = cli("export", "--nation", "FR", "--out", str(tmp_path / "e"), ok=False)
    assert res.exit_code != 0 and "extract is stale" in res.output, res.output
    assert not (tmp_path / "e" / "FR").exists()

    res = cli("run", "--nation", "FR", str(tmp_path / "FR.jsonl"), "--out", str(out))
    status = {ln.split("│")[2].strip(): ln.split("│")[3].strip() for ln in res.output.splitlines() if "│ FR" in ln}
    assert status["topics"] == "ran" and status["extract"] == "ran", res.output
    after = _exported(out)
    assert not set(by_article[changed_id]) & set(after), "statements of the old text were exported"
    for aid in (changed_id, silent_id):
        texts = [r["statement"] for r in after.values() if r["article_id"] == aid]
        assert texts and all("presse" in t or "journalistes" in t for t in texts), (aid, texts)
    st = json.loads(cli("status", "--nation", "FR", "--json").output)["stages"]
    assert st["extract"]["stale"] == 0 and st["extract"]["pending"] == 0, st["extract"]
    assert st["topics"]["pending"] == 0, st["topics"]
