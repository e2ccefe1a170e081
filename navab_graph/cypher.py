"""Registry of named Cypher statements: one file per statement under cypher/.

A name is the path under cypher/ without extension, e.g. "load/articles". An engine variant
(`name.neo4j.cypher`, `name.falkordb.cypher`) beside the common file (`name.cypher`) wins for
that engine. Statements never embed values: everything goes through `$params`. The one exception is the
upper bound of a variable-length pattern (`[:LINKED*1..$max_hops]`), which neither FalkorDB nor Neo4j takes
as a parameter: `bind_bounds` writes it in from the statement's own parameters, a checked small integer.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

ENGINES = ("falkordb", "neo4j")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)+$")


def cypher_dir() -> Path:
    env = os.environ.get("NAVAB_CYPHER_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here / "_cypher", here.parent / "cypher"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("cypher/ directory not found next to navab_graph (set NAVAB_CYPHER_DIR)")


class UnknownQuery(KeyError):
    pass


@lru_cache(maxsize=None)
def get(name: str, engine: str) -> str:
    """Text of the named statement for an engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if not _NAME.match(name):
        raise UnknownQuery(f"invalid query name {name!r} (expected e.g. 'queries/dominant_stance')")
    root = cypher_dir()
    for path in (root / f"{name}.{engine}.cypher", root / f"{name}.cypher"):
        if path.is_file():
            return strip_comments(path.read_text(encoding="utf-8"))
    raise UnknownQuery(f"no Cypher file for {name!r} (looked for {name}.cypher and {name}.{engine}.cypher "
                       f"under {root})")


def strip_comments(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("//")]
    return "\n".join(lines).strip().rstrip(";")


def names(prefix: str = "") -> list[str]:
    """All statement names (engine variants folded), optionally under a folder like 'queries'."""
    root = cypher_dir()
    out = set()
    for p in root.rglob("*.cypher"):
        rel = p.relative_to(root).as_posix()[: -len(".cypher")]
        for eng in ENGINES:
            if rel.endswith("." + eng):
                rel = rel[: -len(eng) - 1]
        if rel.startswith(prefix):
            out.add(rel)
    return sorted(out)


def description(name: str) -> str:
    """The leading `//` comment lines of the common (or first variant) file."""
    root = cypher_dir()
    for path in [root / f"{name}.cypher"] + [root / f"{name}.{e}.cypher" for e in ENGINES]:
        if path.is_file():
            lines = []
            for ln in path.read_text(encoding="utf-8").splitlines():
                if not ln.startswith("//"):
                    break
                lines.append(ln[2:].strip())
            return " ".join(lines)
    return ""


def check_identifier(name: str, what: str = "name") -> str:
    """Validate a label / property / relationship name that comes from a user."""
    if not isinstance(name, str) or not _IDENT.match(name):
        raise ValueError(f"invalid {what} {name!r}: must match {_IDENT.pattern}")
    return name


_BOUND = re.compile(r"(\*\d*\.\.)\$([A-Za-z_][A-Za-z0-9_]*)(?=\s*\])")
MAX_BOUND = 32


def bind_bounds(text: str, params: dict | None) -> str:
    """`*1..$name]` with the integer params[name] written in (1..MAX_BOUND; anything else is refused)."""
    if "..$" not in text:
        return text

    def sub(m: re.Match) -> str:
        v = (params or {}).get(m.group(2))
        if type(v) is not int or not 1 <= v <= MAX_BOUND:
            raise ValueError(f"${m.group(2)} bounds a variable-length pattern: an integer 1..{MAX_BOUND}, "
                             f"got {v!r}")
        return f"{m.group(1)}{v}"
    return _BOUND.sub(sub, text)
