"""`navab-graph db start|status|stop`, `config show` and `cypher` / `query` through the CLI."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from navab_graph.cli import app
from navab_graph.store.embedded import EmbeddedServer


def _run(env, *args, ok=True):
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "250", **env}, catch_exceptions=False)
    if ok:
        assert res.exit_code == 0, res.output
    return res


def test_db_start_status_stop(tmp_path):
    env = {"NAVAB_DATA_DIR": str(tmp_path)}
    assert "started" in _run(env, "db", "start").output
    srv = EmbeddedServer(tmp_path)
    assert srv.running() and not (tmp_path / "ephemeral").exists()  # persistent: outlives commands
    _run(env, "cypher", "CREATE (:Article {id: 'a'})-[:PUBLISHED_BY]->(:Source {id: 's'})", "--write")
    info = json.loads(_run(env, "db", "status", "--json").output)
    assert info["engine"] == "falkordb" and info["version"].startswith("4.")
    assert info["nodes"] == 2 and info["edges"] == 1 and info["labels"] == {"Article": 1, "Source": 1}
    assert info["data_dir"] == str(tmp_path.resolve())
    assert srv.running(), "a command must not stop a server started with db start"
    assert "stopped" in _run(env, "db", "stop").output
    assert not srv.running()
    assert "not running" in _run(env, "db", "stop").output


def test_config_show_masks_secrets(tmp_path, monkeypatch):
    env = {"NAVAB_DATA_DIR": str(tmp_path), "NAVAB_LLM__API_KEY": "sk-very-secret-123",
           "NAVAB_GRAPH_PASSWORD": "pw-secret-456", "NAVAB_LLM__BASE_URL": "http://127.0.0.1:9/v1"}
    out = _run(env, "config", "show", "--json").output
    assert "sk-very-secret-123" not in out and "pw-secret-456" not in out
    data = json.loads(out)
    assert data["llm"]["base_url"] == "http://127.0.0.1:9/v1" and data["llm"]["api_key"] == "**********"


def test_config_file_and_env_precedence(tmp_path, monkeypatch):
    cfg = tmp_path / "navab.toml"
    cfg.write_text('graph_name = "fromfile"\n[reduce]\nrounds = 3\n')
    env = {"NAVAB_CONFIG": str(cfg), "NAVAB_REDUCE__ROUNDS": "4", "NAVAB_DATA_DIR": str(tmp_path)}
    data = json.loads(_run(env, "config", "show", "--json").output)
    assert data["graph_name"] == "fromfile" and data["reduce"]["rounds"] == 4  # env beats the file


def test_cypher_params_json_and_named_query_list(cli, store):
    store.run("CREATE (:Statement {id: 's1', nation: 'FR', text: 'x', status: 'kept'})")
    out = cli("cypher", "MATCH (s:Statement {nation: $n}) RETURN s.id AS id", "-p", "n=FR", "--json").output
    assert json.loads(out) == [{"id": "s1"}]
    listing = cli("query").output
    assert "dominant_stance" in listing and "removed_statements" in listing
    res = cli("query", "no_such_query", ok=False)
    assert res.exit_code == 1 and "no Cypher file" in res.output
