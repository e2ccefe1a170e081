"""FalkorDB GraphStore: the embedded server (default) or an existing one at falkor://host:port."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .embedded import EmbeddedServer


from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath

_SCALARS = (str, int, float, bool, type(None))


def _plain(v: Any) -> Any:
    if isinstance(v, _SCALARS):
        return v
    if isinstance(v, (Node, Edge)):
        return dict(v.properties)
    if isinstance(v, FPath):
        return {"nodes": [dict(n.properties) for n in v.nodes()], "edges": [dict(e.properties) for e in v.edges()]}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _lit(v: Any) -> str:
    """A value as a Cypher literal for FalkorDB's `CYPHER k=v` parameter header.

    Same rules as falkordb.helpers.stringify_param_value (strings double-quoted with backslash and quote
    escaped, map keys in backticks) with type dispatch instead of isinstance chains: batch loads spend
    a large share of their time here."""
    t = type(v)
    if t is str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"cannot pass {v} to Cypher")
        return repr(v)
    if t is dict:
        return "{" + ",".join(f"`{k}`:{_lit(x)}" for k, x in v.items()) + "}"
    if t in (list, tuple):
        return "[" + ",".join(map(_lit, v)) + "]"
    from falkordb.helpers import stringify_param_value

    return stringify_param_value(v)


def params_header(params: dict[str, Any]) -> str:
    return "CYPHER " + " ".join(f"`{k}`={_lit(v)}" for k, v in params.items()) + " " if params else ""


class FalkorStore:
    engine = "falkordb"

    def __init__(self, *, graph: str = "navab", data_dir: Path | None = None, url: str | None = None,
                 password: str | None = None, persistent: bool = False):
        from falkordb import FalkorDB

        self.graph_name = graph
        self.server: EmbeddedServer | None = None
        if url:
            u = urlparse(url)
            self.location = f"{u.hostname}:{u.port or 6379}"
            self.db = FalkorDB(host=u.hostname or "127.0.0.1", port=u.port or 6379,
                               password=password or u.password, ssl=u.scheme == "falkors")
        else:
            self.server = EmbeddedServer(data_dir or Path(".navab"))
            self.server.acquire()
            try:
                self.started = self.server.ensure(persistent=persistent)
            except Exception:
                self.server.release()
                raise
            self.location = str(self.server.sock)
            self.db = FalkorDB(unix_socket_path=str(self.server.sock), password=self.server.password())
        self.graph = self.db.select_graph(graph)

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        fn = self.graph.query if write else self.graph.ro_query
        try:
            res = fn(params_header(params or {}) + query)
        except Exception as e:
            # reading a graph that does not exist yet: nothing to read (FalkorDB says "empty key")
            if not write and "empty key" in str(e):
                return []
            raise
        if not res.header:
            return []
        cols = [h[1] for h in res.header]
        return [{c: _plain(v) for c, v in zip(cols, row)} for row in res.result_set]

    def info(self) -> dict[str, Any]:
        mods = self.db.connection.execute_command("MODULE", "LIST")
        version = None
        for m in mods:
            d = {m[i].decode() if isinstance(m[i], bytes) else m[i]: m[i + 1] for i in range(0, len(m), 2)}
            name = d.get("name")
            if (name.decode() if isinstance(name, bytes) else name) == "graph":
                v = int(d["ver"])
                version = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
        counts = self.counts()
        return {"engine": "falkordb", "version": version, "location": self.location,
                "graph": self.graph_name, **counts}

    def counts(self) -> dict[str, int]:
        if self.graph_name not in self.db.list_graphs():
            return {"nodes": 0, "edges": 0}
        n = self.run("MATCH (n) RETURN count(n) AS c", write=False)[0]["c"]
        e = self.run("MATCH ()-[r]->() RETURN count(r) AS c", write=False)[0]["c"]
        return {"nodes": n, "edges": e}

    def drop(self) -> None:
        """Delete the whole graph (tests and `db reset`)."""
        if self.graph_name in self.db.list_graphs():
            self.graph.delete()
        self.graph = self.db.select_graph(self.graph_name)

    def close(self) -> None:
        try:
            self.db.connection.close()
        except Exception:
            pass
        if self.server is not None:
            self.server.release()
            self.server = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
