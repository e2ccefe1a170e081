"""Every statement Neo4j would run (`name.neo4j.cypher`, else `name.cypher`) passes Neo4j's own Cypher front end.

No Neo4j server can run on these machines; `@neo4j-cypher/language-support` (npm) is the parser and semantic
analysis compiled from Neo4j, with real GDS and APOC procedure signatures in its `testData.mockSchema`. So a
FalkorDB-only procedure in a common file, a wrong argument count to `gds.*`, an unknown YIELD column or a syntax
error fails here. Undeclared parameters are expected (they are bound at run time) and ignored; every other error
fails; every warning is either fixed or listed in WARNINGS_ALLOWED with the reason it stays.
Node modules: `make install` runs `npm ci` in tests/neo4j_lint/.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from navab_graph import cypher

LINT_DIR = Path(__file__).resolve().parent / "neo4j_lint"

CARTESIAN = "If a part of a query contains multiple disconnected patterns"
# (statement name, start of the warning) -> why it stays
WARNINGS_ALLOWED = {
    **{(name, CARTESIAN): "two independent lookups by unique id inside one UNWIND row: a 1 x 1 product"
       for name in ("conflict/fixture_agrees", "conflict/fixture_conflicts", "conflict/fixture_linked",
                    "conflict/fixture_states", "link/write_agrees", "link/write_conflicts", "link/write_linked")},
    ("queries/acyclic_conflicts", CARTESIAN): "OPTIONAL MATCH of the two articles of one conflict, one per side; "
                                              "the WHERE joins them by a LINKED path",
}


def _lint(items: list[dict]) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the Neo4j lint (it is on the development machines and in CI)"
    assert (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), \
        "run `make install` (npm ci in tests/neo4j_lint) first"
    res = subprocess.run([node, str(LINT_DIR / "lint.cjs")], input=json.dumps(items), capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout)


def _problems(results: list[dict]) -> tuple[list[str], list[str], set]:
    errors, warnings, used = [], [], set()
    for r in results:
        for d in r["diagnostics"]:
            if d["param"]:
                continue
            where = f"{r['name']}:{d['line']}:{d['character']}: {d['message'][:200]}"
            if d["severity"] == 1:
                errors.append(where)
                continue
            key = next((k for k in WARNINGS_ALLOWED if k[0] == r["name"] and d["message"].startswith(k[1])), None)
            if key is None:
                warnings.append(where)
            else:
                used.add(key)
    return errors, warnings, used


PROBES = {  # statements Neo4j rejects, and what the error names
    "probe/syntax": ("MATCH (n) RETRN n", "RETRN"),
    "probe/falkordb_procedure": ("CALL algo.pageRank('Article', 'LINKED') YIELD node, score RETURN node, score",
                                 "algo.pageRank"),
    "probe/gds_signature": ("CALL gds.pageRank.stream() YIELD nodeId RETURN nodeId", "required number of arguments"),
    "probe/yield_column": ("CALL gds.pageRank.stream($g) YIELD bogus RETURN bogus", "bogus"),
    "probe/falkordb_function": ("MATCH (a) RETURN vecf32(a.x) AS v", "vecf32"),
    "probe/deprecated_subquery": ("MATCH (n) CALL { WITH n RETURN n AS m } RETURN m", "CALL (n)"),
}


@pytest.fixture(scope="module")
def linted() -> dict[str, list[dict]]:
    """One Node process for every statement and probe (loading the parser costs seconds)."""
    names = cypher.names()
    assert len(names) > 50
    # a variable-length bound written in by the registry (cypher.bind_bounds) is linted as it is sent
    items = [{"name": n, "text": cypher.bind_bounds(cypher.get(n, "neo4j"), {"max_hops": 4})} for n in names]
    items += [{"name": k, "text": t} for k, (t, _) in PROBES.items()]
    return {r["name"]: r for r in _lint(items)}


def test_every_neo4j_statement_passes_neo4js_front_end(linted):
    results = [r for n, r in linted.items() if not n.startswith("probe/")]
    errors, warnings, used = _problems(results)
    assert not errors, "Neo4j would reject:\n" + "\n".join(errors)
    assert not warnings, "fix these or list them in WARNINGS_ALLOWED with a reason:\n" + "\n".join(warnings)
    stale = set(WARNINGS_ALLOWED) - used
    assert not stale, f"allowed warnings that no longer occur (remove them): {sorted(stale)}"


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_the_lint_catches_what_neo4j_would_reject(linted, probe):
    errors, warnings, _ = _problems([linted[probe]])
    found = errors if probe != "probe/deprecated_subquery" else warnings
    assert any(PROBES[probe][1] in e for e in found), (errors, warnings)
