"""Shared fixtures: one real embedded FalkorDB per test session, a fresh graph per test.

`NAVAB_TEST_GRAPH_URL` (e.g. bolt://localhost:7687, with NAVAB_GRAPH_PASSWORD) runs the tests marked `portable`
(they reach the graph only through the GraphStore seam and the CLI) against that server instead: `make
test-neo4j`, docs/neo4j.md. Every node of that database is deleted after each test, so the run also needs
NAVAB_TEST_GRAPH_WIPE=1 (the make target sets it); the other tests are deselected.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from navab_graph.config import Settings  # noqa: E402
from navab_graph.store.falkor import FalkorStore  # noqa: E402
from llm_server import real_llm  # noqa: E402,F401  (the real OpenAI-compatible server)
from llm_server import pytest_configure as _llm_configure  # noqa: E402

SERVER_URL = os.environ.get("NAVAB_TEST_GRAPH_URL")  # None: the embedded engine


def pytest_configure(config):
    _llm_configure(config)
    config.addinivalue_line("markers", "portable: runs on any engine behind the seam (make test-neo4j)")
    if SERVER_URL and os.environ.get("NAVAB_TEST_GRAPH_WIPE") != "1":
        raise pytest.UsageError(f"NAVAB_TEST_GRAPH_URL={SERVER_URL}: the tests delete every node there after each "
                                "test; set NAVAB_TEST_GRAPH_WIPE=1 if that server is a throwaway one")


def pytest_collection_modifyitems(config, items):
    if not SERVER_URL:
        return
    keep = [i for i in items if i.get_closest_marker("portable")]
    config.hook.pytest_deselected(items=[i for i in items if not i.get_closest_marker("portable")])
    items[:] = keep


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("navab")


@pytest.fixture(scope="session")
def _server(data_dir):
    """Keep one server up for the session (persistent), so per-test stores reuse it."""
    from navab_graph.store.embedded import EmbeddedServer

    srv = EmbeddedServer(data_dir)
    srv.ensure(persistent=True)
    yield srv
    srv.stop()


@pytest.fixture
def graph_name() -> str:
    return "t_" + uuid.uuid4().hex[:10]


@pytest.fixture
def settings(data_dir, graph_name, _server, monkeypatch) -> Settings:
    monkeypatch.delenv("NAVAB_GRAPH_URL", raising=False)
    if SERVER_URL:  # one database on a server: "navab" selects Neo4j's default one
        return Settings(graph_url=SERVER_URL, graph_password=os.environ.get("NAVAB_GRAPH_PASSWORD"),
                        data_dir=data_dir, graph_name="navab", batch_size=500)
    return Settings(data_dir=data_dir, graph_name=graph_name, batch_size=500)


@pytest.fixture(autouse=True)
def _wiped_server(request):
    """On a server (make test-neo4j) every test starts from an empty database: a graph name per test, as the
    embedded engine gives, does not exist on a Neo4j community server."""
    if not SERVER_URL:
        yield
        return
    from navab_graph.store import open_store

    settings = request.getfixturevalue("settings")
    s = open_store(settings)
    try:
        s.drop()
        yield
    finally:
        s.close()


@pytest.fixture
def store(settings):
    if SERVER_URL:
        from navab_graph.store import open_store

        s = open_store(settings)
    else:
        s = FalkorStore(graph=settings.graph_name, data_dir=settings.data_dir)
    yield s
    try:
        s.drop()
    finally:
        s.close()


@pytest.fixture
def cli(settings):
    """Invoke the CLI against the test graph; returns typer's Result."""
    from typer.testing import CliRunner

    from navab_graph.cli import app

    runner = CliRunner()
    env = {"NAVAB_DATA_DIR": str(settings.data_dir), "NAVAB_GRAPH_NAME": settings.graph_name,
           "NAVAB_BATCH_SIZE": "500", "COLUMNS": "250", "TERM": "dumb"}
    if SERVER_URL:
        env |= {"NAVAB_GRAPH_URL": SERVER_URL, "NAVAB_GRAPH_PASSWORD": os.environ.get("NAVAB_GRAPH_PASSWORD", "")}

    def invoke(*args: str, ok: bool = True):
        res = runner.invoke(app, ["--quiet", *args], env=env, catch_exceptions=False)
        if ok:
            assert res.exit_code == 0, res.output
        return res
    return invoke
