"""open_store(settings): the one place that picks an engine from the graph URL."""
from __future__ import annotations

from ..config import Settings
from .base import GraphStore, GraphUnavailable, ReadOnlyViolation, chunks, run_batches, run_named

__all__ = ["GraphStore", "GraphUnavailable", "ReadOnlyViolation", "open_store", "run_named", "run_batches", "chunks",
           "ensure_schema", "engine_of"]


def engine_of(settings: Settings) -> str:
    """The engine a graph URL names, without connecting: 'falkordb' or 'neo4j'."""
    url = settings.graph_url
    return "falkordb" if url == "embedded" or url.split("://", 1)[0] in {"falkor", "falkors", "redis"} else "neo4j"


def open_store(settings: Settings, *, persistent: bool = False) -> GraphStore:
    url = settings.graph_url
    pw = settings.graph_password.get_secret_value() if settings.graph_password else None
    if url == "embedded":
        from .falkor import FalkorStore

        return FalkorStore(graph=settings.graph_name, data_dir=settings.data_dir, persistent=persistent)
    scheme = url.split("://", 1)[0]
    if scheme in {"falkor", "falkors", "redis"}:
        from .falkor import FalkorStore

        return FalkorStore(graph=settings.graph_name, url=url, password=pw)
    from .neo4j import Neo4jStore

    db = settings.graph_name if settings.graph_name != "navab" else "neo4j"
    return Neo4jStore(url, user=settings.graph_user, password=pw, database=db)


_SCHEMA_DONE: set[int] = set()


def ensure_schema(store: GraphStore) -> int:
    """Apply cypher/schema/* once per store object (idempotent: existing indexes are skipped)."""
    if id(store) in _SCHEMA_DONE:
        return 0
    from .. import cypher

    applied = 0
    for name in cypher.names("schema/"):
        try:
            store.run(cypher.get(name, store.engine))
            applied += 1
        except Exception as e:  # "already indexed" / "equivalent index exists" is the idempotent case
            msg = str(e).lower()
            if "already" not in msg and "equivalent" not in msg and "exists" not in msg:
                raise
    _SCHEMA_DONE.add(id(store))
    return applied
