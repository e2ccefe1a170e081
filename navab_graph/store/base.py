"""The GraphStore seam: the only thing stages talk to. Stages never import a driver."""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from .. import cypher


class ReadOnlyViolation(RuntimeError):
    pass


class GraphUnavailable(RuntimeError):
    """The graph cannot be reached, or the connection to it was lost (the message is written for users)."""


@runtime_checkable
class GraphStore(Protocol):
    engine: str  # "falkordb" | "neo4j"

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        """Run Cypher text with parameters; rows as dicts (nodes/edges as property dicts)."""

    def close(self) -> None: ...

    def info(self) -> dict[str, Any]:
        """Engine, version, location, node and edge counts."""


# --- read-only guard ----------------------------------------------------------------------------------------
# The engines' own read modes (GRAPH.RO_QUERY, Neo4j read sessions) refuse writes but not reads that reach
# outside the database: LOAD CSV opens files and URLs, procedures can do anything. In read-only mode we refuse
# LOAD CSV and every procedure that is not on these lists (patterns, case-insensitive).
READ_PROCEDURES = {
    "falkordb": ("db.labels", "db.relationshipTypes", "db.propertyKeys", "db.indexes", "db.constraints",
                 "db.meta.stats", "db.idx.fulltext.queryNodes", "db.idx.fulltext.queryRelationships",
                 "db.idx.vector.queryNodes", "db.idx.vector.queryRelationships", "dbms.procedures", "dbms.functions",
                 "algo.pageRank", "algo.BFS", "algo.SPpaths", "algo.SSpaths", "algo.WCC", "algo.labelPropagation",
                 "algo.betweenness", "algo.MSF"),
    "neo4j": ("db.labels", "db.relationshipTypes", "db.propertyKeys", "db.indexes", "db.constraints",
              "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
              "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
              "db.index.vector.queryNodes", "db.index.vector.queryRelationships", "dbms.components",
              "dbms.procedures", "dbms.functions", "gds.version", "gds.list", "gds.graph.list", "gds.graph.exists",
              "gds.graph.project", "gds.graph.drop", "gds.*.stream", "gds.*.stats"),
}

_TOKEN = re.compile(r"""
    (?P<ws>\s+) | (?P<line>//[^\n]*) | (?P<block>/\*.*?(?:\*/|\Z)) |
    (?P<str>'(?:\\.|[^'\\])*'?|"(?:\\.|[^"\\])*"?) | (?P<bq>`(?:``|[^`])*`?) |
    (?P<param>\$(?:`(?:``|[^`])*`|\w+)) | (?P<word>\w+) | (?P<sym>.)""", re.S | re.X)


def tokens(text: str) -> list[tuple[str, str]]:
    """Cypher text as (kind, value) tokens without whitespace, comments and string contents: 'word' (keywords
    and plain names), 'name' (backtick-quoted), 'param' ($name), 'str' and 'sym'."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "line", "block"):
            continue
        v = m.group()
        if kind == "bq":
            kind, v = "name", v[1:-1].replace("``", "`")
        elif kind == "param":
            v = v[1:].strip("`").replace("``", "`")
        out.append((kind, v))
    return out


def parameters(text: str) -> list[str]:
    """Names of the $parameters a statement uses, in order of first use."""
    return list(dict.fromkeys(v for k, v in tokens(text) if k == "param"))


_WRITE_WORDS = {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH"}


def writes(text: str) -> bool:
    """True when the statement has a write clause (a keyword, not a property, label, key or string)."""
    toks = tokens(text)
    for i, (k, v) in enumerate(toks):
        if k == "word" and v.upper() in _WRITE_WORDS:
            before = toks[i - 1][1] if i else ""
            after = toks[i + 1][1] if i + 1 < len(toks) else ""
            if before not in (".", ":") and after != ":" and (i == 0 or toks[i - 1][1].upper() != "AS"):
                return True
    return False


def check_read_only(text: str, engine: str) -> None:
    """Raise ReadOnlyViolation for LOAD CSV or a procedure off the engine's read allow-list."""
    toks = tokens(text)
    allowed = READ_PROCEDURES.get(engine, ())
    for i, (k, v) in enumerate(toks):
        if k != "word":
            continue
        up = v.upper()
        if up == "LOAD" and i + 1 < len(toks) and toks[i + 1][0] == "word" and toks[i + 1][1].upper() == "CSV":
            raise ReadOnlyViolation("refused in read-only mode: LOAD CSV reads files or URLs from the database "
                                    "server; run it as a write (--write) if that is really meant")
        if up == "CALL" and (i == 0 or toks[i - 1][1] != "."):
            parts, j = [], i + 1
            while j < len(toks) and toks[j][0] in ("word", "name"):
                parts.append(toks[j][1])
                if j + 1 < len(toks) and toks[j + 1][1] == ".":
                    j += 2
                else:
                    break
            if not parts:  # CALL { ... } or CALL (x) { ... }: a subquery, its clauses are checked on their own
                continue
            name = ".".join(parts)
            if not any(fnmatch.fnmatch(name.lower(), p.lower()) for p in allowed):
                raise ReadOnlyViolation(
                    f"refused in read-only mode: procedure {name} is not on the read-only allow-list of "
                    f"{engine} (navab_graph/store/base.py READ_PROCEDURES); run it as a write (--write) if that "
                    "is really meant")


def run_named(store: GraphStore, name: str, params: dict[str, Any] | None = None, *,
              write: bool = True) -> list[dict[str, Any]]:
    return store.run(cypher.bind_bounds(cypher.get(name, store.engine), params), params or {}, write=write)


def chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_batches(store: GraphStore, name: str, rows: Iterable[dict[str, Any]], *, batch_size: int = 5000,
                params: dict[str, Any] | None = None, on_batch=None) -> list[dict[str, Any]]:
    """UNWIND $rows: run a named statement once per batch; returns the concatenated result rows."""
    text = cypher.bind_bounds(cypher.get(name, store.engine), params)
    out: list[dict[str, Any]] = []
    for batch in chunks(rows, batch_size):
        out.extend(store.run(text, {**(params or {}), "rows": batch}))
        if on_batch:
            on_batch(len(batch))
    return out
