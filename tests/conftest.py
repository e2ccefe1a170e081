"""Shared fixtures: one real embedded FalkorDB per test session, a fresh graph per test."""
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
from llm_server import pytest_configure, real_llm  # noqa: E402,F401  (the real OpenAI-compatible server)


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
    return Settings(data_dir=data_dir, graph_name=graph_name, batch_size=500)


@pytest.fixture
def store(settings):
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

    def invoke(*args: str, ok: bool = True):
        res = runner.invoke(app, ["--quiet", *args], env=env, catch_exceptions=False)
        if ok:
            assert res.exit_code == 0, res.output
        return res
    return invoke
