"""Bad input for `topics` / `screen`: clear messages, exit 1, nothing written half."""
from __future__ import annotations

import json

from navab_graph.store import run_named
from navab_graph.topics.synthetic import generate


def _write(tmp_path, name, arts):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}, ensure_ascii=False)
                              for a in arts), encoding="utf-8")
    return str(path)


def _topics(store, nation):
    return run_named(store, "topics/list", {"nation": nation}, write=False)


def test_empty_nation_and_unknown_nation(cli, store):
    res = cli("topics", "--nation", "GB", ok=False)
    assert res.exit_code == 1 and "no articles" in res.output and "navab-graph load" in res.output
    res = cli("topics", "--nation", "XX", ok=False)
    assert res.exit_code == 1 and "unknown nation code" in res.output
    res = cli("screen", "--nation", "GB", ok=False)
    assert res.exit_code == 1 and "no topics" in res.output
    assert store.run("MATCH (t:Topic) RETURN count(t) AS n", write=False)[0]["n"] == 0


def test_too_few_articles_writes_nothing(cli, store, tmp_path):
    cli("load", _write(tmp_path, "few.jsonl", generate("en", 1, seed=3)), "--nation", "US", "--lang", "en")
    res = cli("topics", "--nation", "US", ok=False)
    assert res.exit_code == 1 and "only 6 articles" in res.output and "at least 10" in res.output
    counts = run_named(store, "topics/counts", {"nation": "US"}, write=False)[0]
    assert counts["edges"] == 0 and not _topics(store, "US")


def test_fewer_documents_than_cluster_size_and_unconfigured_language(cli, store, tmp_path):
    # 72 Spanish-tagged articles (the texts are French): no stop-word list for 'es', cluster size 200 > corpus
    arts = generate("fr", 12, seed=5, nation="ES")
    cli("load", _write(tmp_path, "es.jsonl", arts), "--nation", "ES", "--lang", "es")
    res = cli("topics", "--nation", "ES")
    assert "min_cluster_size 200 scaled down to 5" in res.output
    assert "language 'es'" in res.output and "no stop-word list" in res.output
    counts = run_named(store, "topics/counts", {"nation": "ES"}, write=False)[0]
    assert counts == {"articles": 72, "edges": 72, "with_one_topic": 72}
    topics = _topics(store, "ES")
    assert len(topics) >= 2 and all(t["lang"] == "es" for t in topics)


def test_bad_override_file(cli, tmp_path):
    bad = tmp_path / "screening.yaml"
    bad.write_text("force_in: [a]\nforce_out: [A]\n", encoding="utf-8")
    res = cli("screen", "--nation", "US", "--overrides", str(bad), ok=False)
    assert res.exit_code == 1 and "both forced in and out" in res.output and "screening.yaml" in res.output
    bad.write_text("force_inn: [a]\n", encoding="utf-8")
    res = cli("screen", "--nation", "US", "--overrides", str(bad), ok=False)
    assert "unknown keys" in res.output
    res = cli("screen", "--nation", "US", "--overrides", str(tmp_path / "missing.yaml"), ok=False)
    assert "not found" in res.output
