"""Shared set-up of the verify / show / report-graph tests: the planted multilingual corpus (tests/planted.py)
through the real CLI, load -> link -> reduce, so statements have issues, sides, weights, removals with witness
paths; optionally navab-eval style verdicts imported with `navab-graph import-results`."""
from __future__ import annotations

import json
from pathlib import Path

from planted import PlantedCorpus, planted_corpus


def build_planted(cli, tmp: Path, nations=("US", "CN")) -> dict[str, PlantedCorpus]:
    truth = {}
    for n in nations:
        f = tmp / f"{n}.jsonl"
        truth[n] = planted_corpus(f, n)
        cli("load", str(f), "--nation", n)
        cli("link", "--nation", n)
        cli("reduce", "--nation", n)
    return truth


def statements(store, nation: str) -> list[dict]:
    return store.run("MATCH (s:Statement {nation: $n}) RETURN s.id AS id, s.text AS text, s.status AS status, "
                     "s.weight AS weight, s.removed_conflict AS partner, s.removed_path AS path, "
                     "s.removed_round AS round ORDER BY id", {"n": nation})


def import_verdicts(cli, tmp: Path, rows: list[dict]) -> Path:
    """navab-eval items.jsonl rows -> the graph, through `navab-graph import-results`."""
    d = tmp / "eval"
    d.mkdir(exist_ok=True)
    (d / "items.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                   encoding="utf-8")
    cli("import-results", str(d))
    return d
