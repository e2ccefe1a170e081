"""Neo4j path of the link / conflict / query statements, checked without a Neo4j server.

No Cypher parser on PyPI parses these statements here (tried 2026-11-28): `antlr4-cypher` 0.1.2 (openCypher 9
ANTLR grammar) rejects valid Cypher such as a WITH right after a WITH, a parameter named `$by`, and procedure
names with keyword parts (`gds.graph.drop`, `db.create.setNodeVectorProperty`); `graphglot` 0.14.3 (GQL-based,
dialect 'neo4j') rejects procedure CALLs next to data clauses and parameters named `$round` / `$key` / `$at`;
`cypher-guard` 3.0.0 fails on a node pattern with a property map (`(s:Statement {nation: $nation})`);
`libcypher-parser-python` / `pycypher` have no wheels for Python 3.11. So this test lints the dialect split
itself: FalkorDB-only constructs never reach Neo4j, Neo4j-only ones never reach FalkorDB, every statement
that needs a variant has one, variants take the same parameters, and brackets balance.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from navab_graph import cypher as registry

ROOT = registry.cypher_dir()
MINE = [p for d in ("conflict", "link") for p in sorted((ROOT / d).glob("*.cypher"))] + \
    [ROOT / "queries" / f"{n}.cypher" for n in ("dominant_stance", "removed_statements", "acyclic_conflicts",
                                                  "stance_holders", "linked_articles")]
FALKOR_ONLY = [r"\balgo\.", r"\bvecf32\(", r"\bdb\.idx\.", r"(?<!point\.)\bdistance\(",
               r"CREATE VECTOR INDEX FOR"]
NEO4J_ONLY = [r"\bgds\.", r"\bdb\.index\.vector", r"\bpoint\.distance\(", r"\bdb\.create\.setNodeVectorProperty",
              r"\bexists\s*\{", r"\bCOUNT\s*\{", r"\bshortestPath\s*\(\s*\(.*\)-\[[^\]]*\*[^\]]*\]-\("]
# parameters only one engine needs: GDS graph names and the damping GDS takes (FalkorDB's is fixed at 0.85)
ENGINE_PARAMS = {"graph", "damping"}


def _text(p: Path) -> str:
    return registry.strip_comments(p.read_text(encoding="utf-8"))


def _params(text: str) -> set[str]:
    return set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))


def _common(p: Path) -> bool:
    return not p.name.endswith((".neo4j.cypher", ".falkordb.cypher"))


@pytest.mark.parametrize("path", [p for p in MINE if _common(p)], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_common_file_is_falkordb_clean_or_has_neo4j_variant(path):
    text = _text(path)
    assert path.read_text(encoding="utf-8").startswith("//"), "begin with // lines saying what it does"
    assert not any(re.search(rx, text) for rx in NEO4J_ONLY), "Neo4j-only syntax in the FalkorDB/common file"
    needs_variant = any(re.search(rx, text) for rx in FALKOR_ONLY)
    variant = path.with_name(path.name.replace(".cypher", ".neo4j.cypher"))
    if needs_variant:
        assert variant.is_file(), f"{path.name} uses FalkorDB-only syntax and has no Neo4j variant"


@pytest.mark.parametrize("path", [p for p in MINE if p.name.endswith(".neo4j.cypher")],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_neo4j_variant(path):
    text = _text(path)
    for rx in FALKOR_ONLY:
        assert not re.search(rx, text), f"FalkorDB-only syntax {rx!r} in a Neo4j variant"
    common = path.with_name(path.name.replace(".neo4j.cypher", ".cypher"))
    assert common.is_file(), "a Neo4j variant needs the common file beside it"
    assert _params(text) - ENGINE_PARAMS == _params(_text(common)) - ENGINE_PARAMS or \
        _text(common).startswith("RETURN 0 AS skipped"), "variants must take the same parameters"


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_one_statement_balanced(path):
    text = re.sub(r"'[^']*'", "''", _text(path))
    assert ";" not in text, "one statement per file"
    for o, c in ("()", "[]", "{}"):
        assert text.count(o) == text.count(c), f"unbalanced {o}{c}"


def test_lint_catches_a_leak(tmp_path):
    """The checks above can fail: a FalkorDB construct in a Neo4j variant is caught."""
    bad = tmp_path / "x.neo4j.cypher"
    bad.write_text("// x\nCALL algo.pageRank('Article', 'LINKED') YIELD node RETURN node")
    assert any(re.search(rx, _text(bad)) for rx in FALKOR_ONLY)
