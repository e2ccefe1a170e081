"""Neo4j 5 GraphStore through the official driver; GDS detected (never assumed)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .base import GraphUnavailable, check_read_only


def _plain(v: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(v, (Node, Relationship)):
        return dict(v)
    if isinstance(v, Path):
        return {"nodes": [dict(n) for n in v.nodes], "edges": [dict(r) for r in v.relationships]}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


class Neo4jStore:
    engine = "neo4j"

    def __init__(self, url: str, *, user: str = "neo4j", password: str | None = None, database: str = "neo4j"):
        import neo4j

        from ..config import mask_url

        u = urlsplit(url)
        if u.username or u.password:  # credentials in the URL: the driver wants them as auth, never print them
            user, password = u.username or user, password or u.password
            url = urlunsplit(u._replace(netloc=u.hostname + (f":{u.port}" if u.port else "")))
        self.location = mask_url(url)
        self.database = database
        self.driver = neo4j.GraphDatabase.driver(url, auth=(user, password) if password else None)
        try:
            self.driver.verify_connectivity()
        except neo4j.exceptions.ServiceUnavailable as e:
            self.driver.close()
            raise GraphUnavailable(f"Neo4j at {self.location} does not answer: {e}") from e
        self._gds: bool | None = None

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        if not write:
            check_read_only(query, self.engine)
        import neo4j

        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self.driver.session(database=self.database, default_access_mode=mode) as s:
                res = s.run(query, params or {})
                return [{k: _plain(v) for k, v in rec.items()} for rec in res]
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as e:
            raise GraphUnavailable(f"lost the connection to Neo4j at {self.location}: {e}") from e

    def has_gds(self) -> bool:
        if self._gds is None:
            try:
                self.run("RETURN gds.version() AS v", write=False)
                self._gds = True
            except Exception:
                self._gds = False
        return self._gds

    def info(self) -> dict[str, Any]:
        v = self.run("CALL dbms.components() YIELD name, versions RETURN name, versions[0] AS v", write=False)
        n = self.run("MATCH (n) RETURN count(n) AS c", write=False)[0]["c"]
        e = self.run("MATCH ()-[r]->() RETURN count(r) AS c", write=False)[0]["c"]
        return {"engine": "neo4j", "version": v[0]["v"] if v else None, "location": self.location,
                "graph": self.database, "gds": self.has_gds(), "nodes": n, "edges": e}

    def drop(self) -> None:
        self.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")

    def close(self) -> None:
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
