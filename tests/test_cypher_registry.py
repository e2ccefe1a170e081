"""Every Cypher name used in code exists, and every Cypher file is used (or is a user-facing query/schema)."""
from __future__ import annotations

import re
from pathlib import Path

from navab_graph import cypher

ROOT = Path(__file__).resolve().parent.parent
GLOBBED = ("queries/", "schema/")  # consumed by listing: `navab-graph query` and ensure_schema


def _folders() -> set[str]:
    return {p.name for p in cypher.cypher_dir().iterdir() if p.is_dir()}


def _used_names() -> dict[str, str]:
    pat = re.compile(r"""["'](?P<name>(?:%s)/[a-z0-9_]+)["']""" % "|".join(sorted(_folders())))
    used = {}
    for py in list((ROOT / "navab_graph").rglob("*.py")) + list((ROOT / "loaders").rglob("*.py")):
        for m in pat.finditer(py.read_text(encoding="utf-8")):
            used[m.group("name")] = str(py.relative_to(ROOT))
    return used


def test_every_name_used_in_code_exists_for_both_engines():
    missing = []
    for name, where in _used_names().items():
        for engine in cypher.ENGINES:
            try:
                cypher.get(name, engine)
            except cypher.UnknownQuery:
                missing.append(f"{name} ({engine}) used in {where}")
    assert not missing, missing


def test_every_file_is_used():
    used = set(_used_names())
    unused = [n for n in cypher.names() if n not in used and not n.startswith(GLOBBED)]
    assert not unused, f"Cypher files no code refers to: {unused}"


def test_variants_have_a_common_file_or_both_engines():
    root = cypher.cypher_dir()
    for name in cypher.names():
        has_common = (root / f"{name}.cypher").exists()
        has_both = all((root / f"{name}.{e}.cypher").exists() for e in cypher.ENGINES)
        assert has_common or has_both, f"{name}: an engine variant without the common file or the other engine"


def test_statements_take_values_as_parameters():
    """No string literal that looks like a user value is spliced into the text: files hold $params only."""
    for name in cypher.names():
        for engine in cypher.ENGINES:
            text = cypher.get(name, engine)
            assert "{{" not in text and "%s" not in text and "{0}" not in text, name


def test_identifier_check_rejects_injection():
    assert cypher.check_identifier("Article") == "Article"
    for bad in ("Article) DETACH DELETE n //", "a b", "", "1abc", "x`y"):
        try:
            cypher.check_identifier(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
