"""kill -9 of the embedded engine inside `link`, then `navab-graph run` again (issue 18): the run restarts the engine,
resumes at link (everything before it skipped), embeds nothing again (the embedding cache), and ends in the same
graph and the same snapshot files as a run that was never interrupted.

One nation of the sample corpus is taken through load .. construct once; its data folder is copied, and the two
copies go on: one uninterrupted, one whose engine is killed when link starts writing its LINKED edges.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from navab_graph import cypher
from navab_graph.cli import app
from navab_graph.config import Settings
from navab_graph.pipeline import Pipeline
from navab_graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
NATION = "FR"
KILL_AT = "link/write_linked"
UPSTREAM = ("load", "topics", "screen", "extract", "construct")


class KillEngineAt:
    """The store a stage sees, except that the engine gets SIGKILL just before `statement` is sent."""

    def __init__(self, store, statement: str):
        self._store, self.text, self.killed = store, cypher.get(statement, store.engine), False

    def run(self, query, params=None, *, write=True):
        if query == self.text and not self.killed:
            self.killed = True
            os.kill(self._store.server.pid(), signal.SIGKILL)
        return self._store.run(query, params, write=write)

    def __getattr__(self, name):
        return getattr(self._store, name)


def _settings(d: Path) -> Settings:
    return Settings(data_dir=d, graph_name="navab", batch_size=500)


def _cli(d: Path, *args: str):
    env = {"NAVAB_DATA_DIR": str(d), "NAVAB_GRAPH_NAME": "navab", "NAVAB_BATCH_SIZE": "500", "COLUMNS": "250",
           "TERM": "dumb"}
    res = CliRunner().invoke(app, ["--quiet", *args], env=env, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def _cached(d: Path) -> int:
    with sqlite3.connect(d / "embeddings.sqlite") as db:
        return db.execute("SELECT count(*) FROM emb").fetchone()[0]


def _state(d: Path) -> dict:
    store = open_store(_settings(d))
    try:
        q = {
            "statements": "MATCH (s:Statement) RETURN s.id AS id, s.status AS status, s.issue AS issue, s.side AS side, "
                          "s.removed_round AS round ORDER BY id",
            "stance": "MATCH (s:Statement)-[r:AGREES|CONFLICTS]->(t:Statement) RETURN s.id AS s, type(r) AS rel, "
                      "t.id AS t, r.verified_by AS by ORDER BY s, rel, t",
            "linked": "MATCH (a:Article)-[l:LINKED]->(b:Article) RETURN a.id AS a, b.id AS b, l.kind AS kind "
                      "ORDER BY a, b, kind",
        }
        return {k: store.run(v, write=False) for k, v in q.items()}
    finally:
        store.close()


def _marks(d: Path) -> dict[str, tuple]:
    """The latest finished StageRun of each stage (lineage.last_runs): (its order stamp, its summary)."""
    from navab_graph import lineage

    store = open_store(_settings(d))
    try:
        runs = lineage.last_runs(store, NATION)
    finally:
        store.close()
    return {stage: (r["at"], r.get("summary")) for stage, r in runs.items()}


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


@pytest.mark.timeout(600)
def test_kill_engine_inside_link_then_rerun(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    store = open_store(_settings(a))
    try:
        p = Pipeline(store, _settings(a), NATION, quiet=True)
        p.load([ROOT / "examples" / "data" / f"{NATION}.jsonl"])
        for stage in (p.topics, p.screen, p.extract, p.construct):
            stage()
    finally:
        store.close()  # the last user stops the engine: the data folder can be copied
    shutil.copytree(a, b, ignore=shutil.ignore_patterns("*.sock", "*.pid", "*.lock", "ephemeral"))

    _cli(a, "run", "-n", NATION, "--out", str(tmp_path / "out_a"))  # the uninterrupted run

    before = _cached(b)
    upstream = {k: v[0] for k, v in _marks(b).items() if k in UPSTREAM}
    assert set(upstream) == set(UPSTREAM)
    store = open_store(_settings(b))
    killer = KillEngineAt(store, KILL_AT)
    try:
        with pytest.raises(Exception) as err:
            Pipeline(killer, _settings(b), NATION, quiet=True).link()
        assert killer.killed, err.value
    finally:
        store.close()
    embedded = _cached(b) - before
    assert embedded > 0  # the killed link had embedded its statements before it died

    _cli(b, "run", "-n", NATION, "--out", str(tmp_path / "out_b"))
    assert _cached(b) - before == embedded, "the re-run embedded again what the killed run had cached"
    state_a, state_b = _state(a), _state(b)
    assert state_b == state_a
    assert state_b["linked"] and any(r["rel"] == "CONFLICTS" for r in state_b["stance"])
    files_a, files_b = _files(tmp_path / "out_a"), _files(tmp_path / "out_b")
    assert files_a and files_b == files_a
    marks = _marks(b)
    assert {k: marks[k][0] for k in UPSTREAM} == upstream, "a stage before link ran again"
    assert json.loads(marks["link"][1])["embedded"] == 0

