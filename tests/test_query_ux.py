"""`cypher` / `query` as a new user meets them: a missing parameter is named, an unknown nation gets a hint,
tables are not cut at 80 columns when the output is not a terminal."""
from __future__ import annotations

from typer.testing import CliRunner

from navab_graph.cli import app


def test_missing_parameter_is_named(cli, store):
    store.run("CREATE (:Statement {id: 's1', nation: 'FR', text: 'x', issue: 'i1', side: 1})")
    res = cli("query", "dominant_stance", ok=False)
    assert res.exit_code == 1
    assert "missing parameter" in res.output and "nation" in res.output and "-p nation=" in res.output
    assert "--write" not in res.output
    res = cli("cypher", "RETURN $a AS a, $b AS b, '$notaparam' AS c // $nor_this", "-p", "a=1", ok=False)
    assert res.exit_code == 1 and "$b" in res.output and "notaparam" not in res.output and "nor_this" not in res.output


def test_unknown_nation_gets_a_hint(cli, store):
    store.run("CREATE (:Statement {id: 's1', nation: 'FR', text: 'x', issue: 'i1', side: 1})")
    out = cli("query", "dominant_stance", "-p", "nation=ZZ").output
    assert "(no rows)" in out and "no nodes of nation 'ZZ'" in out and "FR" in out
    out = cli("query", "dominant_stance", "-p", "nation=FR").output
    assert "i1" in out and "hint" not in out


def test_write_hint_only_when_the_engine_says_the_statement_writes(cli, store):
    res = cli("cypher", "CREATE (:X)", ok=False)  # the graph does not exist yet
    assert res.exit_code == 1 and "--write" in res.output
    store.run("MERGE (:Seed)")
    res = cli("cypher", "CREATE (:X)", ok=False)  # it exists: the engine's own refusal
    assert res.exit_code == 1 and "--write" in res.output
    res = cli("cypher", "MATCH (n) RETURN n.created AS c, nosuchfunction(1)", ok=False)
    assert res.exit_code == 1 and "--write" not in res.output  # 'CREATE' inside a name is not a write


def test_tables_are_not_cut_when_not_a_terminal(settings, store):
    store.run("CREATE (:Article {id: 'article-with-a-rather-long-identifier-0001', "
              "title: 'A title long enough to push the table past eighty columns', nation: 'GB'})")
    env = {"NAVAB_DATA_DIR": str(settings.data_dir), "NAVAB_GRAPH_NAME": settings.graph_name, "COLUMNS": None,
           "TERM": "dumb"}
    res = CliRunner().invoke(app, ["cypher", "MATCH (a:Article) RETURN a.id AS article_identifier, "
                                   "a.title AS article_title, a.nation AS article_nation"], env=env,
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "…" not in res.output
    for s in ("article_identifier", "article_title", "article_nation", "article-with-a-rather-long-identifier-0001",
              "A title long enough to push the table past eighty columns"):
        assert s in res.output
