"""Nothing in the data dir is readable by other local users: the dir and every dir in it 700, every file 600
(AOF, RDB, log, quarantine, caches, locks), after load, reduce and export; an older 755 data dir is tightened."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from navab_graph.cli import app
from navab_graph.store.embedded import EmbeddedServer


def _bad_modes(root: Path) -> list[str]:
    bad = []
    for p in [root, *root.rglob("*")]:
        try:
            st = p.lstat()
        except FileNotFoundError:  # a temporary file of the engine, gone meanwhile
            continue
        if stat.S_ISSOCK(st.st_mode):
            continue
        want = 0o700 if stat.S_ISDIR(st.st_mode) else 0o600
        if stat.S_IMODE(st.st_mode) & ~want or stat.S_IMODE(st.st_mode) & 0o077:
            bad.append(f"{p.relative_to(root.parent)} {oct(stat.S_IMODE(st.st_mode))}")
    return bad


def test_data_dir_is_private_after_load_reduce_export(tmp_path):
    old = os.umask(0o022)  # a usual umask: the engine and our files must not depend on it
    try:
        d = tmp_path / "fresh" / "db"
        data = tmp_path / "news.jsonl"
        data.write_text("\n".join(json.dumps({"id": f"a{i}", "text": f"text {i}"}) for i in range(50))
                        + "\n{broken\n")
        env = {"NAVAB_DATA_DIR": str(d), "COLUMNS": "250"}
        run = lambda *a: CliRunner().invoke(app, ["--quiet", *a], env=env, catch_exceptions=False)  # noqa: E731
        assert run("load", str(data), "--nation", "US").exit_code == 0
        assert (d / "quarantine.jsonl").exists()
        assert _bad_modes(d) == []
        # a big enough write makes the engine rewrite its AOF (new base + incr files) at the next stop
        assert run("cypher", "UNWIND range(1, 20000) AS i MERGE (:Pad {i: i, s: 'padding padding padding'})",
                   "--write").exit_code == 0
        run("reduce", "--nation", "US")
        run("export", "--nation", "US", "--out", str(tmp_path / "snap"))
        assert sorted(p.name for p in (d / "appendonlydir").iterdir())
        from navab_graph.embed.cache import EmbeddingCache
        from navab_graph.llm.cache import ResultCache

        ec = EmbeddingCache(d / "embeddings.sqlite")
        ec.put_many("m", ["a"], np.zeros((1, 3), np.float32))
        rc = ResultCache(d / "llm_cache.sqlite")
        rc.put("k", "extract", {"x": 1})
        assert _bad_modes(d) == [], _bad_modes(d)
    finally:
        os.umask(old)
        EmbeddedServer(tmp_path / "fresh" / "db").stop()


def test_an_older_world_readable_data_dir_is_tightened(tmp_path):
    d = tmp_path / "db"
    d.mkdir(mode=0o755)
    os.chmod(d, 0o755)
    (d / "secret").write_text("old-secret-from-an-older-version")
    os.chmod(d / "secret", 0o600)
    (d / "quarantine.jsonl").write_text("{}\n")
    os.chmod(d / "quarantine.jsonl", 0o644)
    srv = EmbeddedServer(d)
    try:
        srv.ensure()
        assert _bad_modes(d) == [], _bad_modes(d)
    finally:
        srv.stop()
