"""Two loads of different nations at once, with colliding article ids (two files of the same name: the same
`source:id`): each id is stored once, by one nation, and the other load quarantines it. Each load holds only
its own nation's writer lock; before the articles lock, both found ids missing and both created them."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from navab_graph.store import run_named  # noqa: F401 - the store package must import before the CLI children

N = 40_000


def _write(path, tag: str, seed: int) -> None:
    ids = list(range(N))
    random.Random(seed).shuffle(ids)  # the two loads meet in every batch, not once in the middle
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as f:
        for i in ids:
            f.write(json.dumps({"id": str(i), "title": f"{tag} {i}", "text": f"{tag} article {i} on trade policy."})
                    + "\n")


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "merge"])
def test_two_nations_loading_the_same_ids_at_once(settings, store, tmp_path, bulk):
    _write(tmp_path / "cn" / "news.jsonl", "CN", 1)
    _write(tmp_path / "us" / "news.jsonl", "US", 2)
    env = {**os.environ, "NAVAB_DATA_DIR": str(settings.data_dir), "NAVAB_GRAPH_NAME": settings.graph_name,
           "NAVAB_BATCH_SIZE": "1000"}
    flag = [] if bulk else ["--no-bulk"]
    procs = [subprocess.Popen([sys.executable, "-m", "navab_graph", "--quiet", "load", str(tmp_path / n / "news.jsonl"),
                               "-n", n.upper(), "--json", *flag], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n in ("cn", "us")]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        reports.append(json.loads(out))
    counts = store.run("MATCH (a:Article) RETURN count(a) AS n, count(DISTINCT a.id) AS ids", write=False)[0]
    assert counts == {"n": N, "ids": N}  # not one id twice
    assert sum(r["loaded"] for r in reports) == N
    assert sum(r["quarantined"] for r in reports) == N
    edges = store.run("MATCH (a:Article)-[r:PUBLISHED_BY]->(:Source) RETURN count(r) AS n", write=False)[0]["n"]
    assert edges == N
    by_nation = {r["nation"]: r["n"] for r in store.run(
        "MATCH (a:Article) RETURN a.nation AS nation, count(a) AS n", write=False)}
    assert by_nation == {r["nation"]: r["loaded"] for r in reports if r["loaded"]}
