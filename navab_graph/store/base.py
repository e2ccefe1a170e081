"""The GraphStore seam: the only thing stages talk to. Stages never import a driver."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from .. import cypher


class ReadOnlyViolation(RuntimeError):
    pass


@runtime_checkable
class GraphStore(Protocol):
    engine: str  # "falkordb" | "neo4j"

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        """Run Cypher text with parameters; rows as dicts (nodes/edges as property dicts)."""

    def close(self) -> None: ...

    def info(self) -> dict[str, Any]:
        """Engine, version, location, node and edge counts."""


def run_named(store: GraphStore, name: str, params: dict[str, Any] | None = None, *,
              write: bool = True) -> list[dict[str, Any]]:
    return store.run(cypher.get(name, store.engine), params or {}, write=write)


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
    text = cypher.get(name, store.engine)
    out: list[dict[str, Any]] = []
    for batch in chunks(rows, batch_size):
        out.extend(store.run(text, {**(params or {}), "rows": batch}))
        if on_batch:
            on_batch(len(batch))
    return out
