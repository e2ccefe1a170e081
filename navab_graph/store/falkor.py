"""FalkorDB GraphStore: the embedded server (default) or an existing one at falkor://host:port."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .base import GraphUnavailable, ReadOnlyViolation, check_read_only, writes
from .embedded import EmbeddedServer, EngineDown, _wait_dead

_SCALARS = (str, int, float, bool, type(None))


def _plain(v: Any) -> Any:
    """A value of the `falkordb` client (falkor:// servers) as a plain one; the embedded path parses plain."""
    if isinstance(v, _SCALARS):
        return v
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path as FPath

    if isinstance(v, (Node, Edge)):
        return dict(v.properties)
    if isinstance(v, FPath):
        return {"nodes": [dict(n.properties) for n in v.nodes()], "edges": [dict(e.properties) for e in v.edges()]}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


class ParameterError(ValueError):
    """A parameter value that FalkorDB's `CYPHER k=v` header cannot carry verbatim (the message names it)."""


_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_KEYS: dict[str, str] = {}  # validated map key -> "`key`:"; loader rows repeat the same few keys


def _key(k: Any) -> str:
    r = _KEYS.get(k)
    if r is not None:
        return r
    if not isinstance(k, str):
        raise ParameterError(f"map key {k!r} is not a string")
    k = str.__str__(k)  # a str subclass cannot bring its own __str__ / __contains__
    if "`" in k:
        # checked against FalkorDB 4.16: inside backticks every character is literal and no escape for a
        # backtick exists (neither `` nor \`): such a key would end the name and the rest become Cypher
        raise ParameterError(f"map key {_show(k)} contains a backtick (`), which FalkorDB's parameter "
                             "syntax cannot carry; rename the key")
    r = "`" + k + "`:"
    if len(_KEYS) < 4096:
        _KEYS[k] = r
    return r


def _lit(v: Any) -> str:
    """A value as a Cypher literal for FalkorDB's `CYPHER k=v` parameter header.

    Strings double-quoted with backslash and quote escaped (checked against the engine: every other
    character, newlines and U+2028 included, is literal there), map keys in backticks (a backtick in a key
    is refused), type dispatch instead of isinstance chains: batch loads spend a large share of their time
    here. NUL and lone surrogates are looked for once on the whole header (params_header)."""
    t = type(v)
    if t is str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        if _INT64_MIN <= v <= _INT64_MAX:
            return int.__repr__(v)
        raise ParameterError(f"integer {v} does not fit in 64 bits (FalkorDB would silently change it)")
    if t is float:
        if v - v == 0.0:  # finite: inf - inf and nan - nan are nan
            return repr(v)
        raise ParameterError(f"{'NaN' if v != v else 'Infinity'} cannot be stored in the graph")
    if t is dict:
        try:  # keys seen before: a dict lookup instead of a call per key
            return "{" + ",".join([_KEYS[k] + _lit(x) for k, x in v.items()]) + "}"
        except KeyError:
            return "{" + ",".join([_key(k) + _lit(x) for k, x in v.items()]) + "}"
    if t is list or t is tuple:
        return "[" + ",".join(map(_lit, v)) + "]"
    return _lit(_coerce(v))


def _coerce(v: Any) -> Any:
    """Subclasses and number-likes (numpy, Decimal, enums) as plain values; anything else is refused rather
    than written with str(), which would put arbitrary text into the statement."""
    import numbers
    from collections.abc import Mapping

    if isinstance(v, str):
        return str.__str__(v)
    if type(v).__module__ == "numpy" and hasattr(v, "tolist"):  # numpy scalars and arrays (topics, embeddings)
        return v.tolist()
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real) or type(v).__name__ == "Decimal":
        return float(v)
    if isinstance(v, Mapping):
        return dict(v)
    if isinstance(v, (list, tuple)):
        return list(v)
    raise ParameterError(f"a {type(v).__name__} value cannot be sent as a parameter (use a string or a number)")


def _show(s: str, n: int = 40) -> str:
    return ascii(s if len(s) <= n else s[:n] + "...")


def _find_bad(v: Any, where: str = "") -> tuple[str, str] | None:
    """Where in a parameter value the header breaks, and why (the slow path, only after a failure)."""
    if isinstance(v, str):
        if "\x00" in v:
            return where, f"a NUL character (U+0000) at position {v.index(chr(0))}: the graph cannot store it"
        for i, ch in enumerate(v):
            if "\ud800" <= ch <= "\udfff":
                return where, f"a lone surrogate ({ascii(ch)}) at position {i}: not valid Unicode text"
        return None
    if isinstance(v, dict):
        for k, x in v.items():
            bad = _find_bad(k, where + f" key {_show(k)}") if isinstance(k, str) else None
            if bad is None:
                try:
                    _key(k)
                except ParameterError as e:
                    return where, str(e)
                bad = _find_bad(x, where + f"[{_show(k)}]")
            if bad:
                return bad
        return None
    if isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            bad = _find_bad(x, where + f"[{i}]")
            if bad:
                return bad
        return None
    try:
        _lit(v)
    except ParameterError as e:
        return where, str(e)
    return None


def _refuse(name: Any, value: Any, cause: BaseException | None = None) -> None:
    if isinstance(cause, RecursionError):
        raise ParameterError(f"parameter {_show(str(name))}: nested too deeply") from None
    try:
        bad = _find_bad(value)
    except RecursionError:
        raise ParameterError(f"parameter {_show(str(name))}: nested too deeply") from None
    where, why = bad if bad else ("", str(cause) if cause else "cannot be sent")
    raise ParameterError(f"parameter {_show(str(name))}{where}: {why}") from None


def params_header(params: dict[str, Any]) -> str:
    """`CYPHER `k`=v ... ` for FalkorDB; a ParameterError naming the parameter when a value cannot be
    carried verbatim (backtick in a name or key, NUL, lone surrogate, NaN/Infinity, > 64-bit integer)."""
    if not params:
        return ""
    parts = []
    for k, v in params.items():
        if not isinstance(k, str) or not k or "`" in k:
            raise ParameterError(f"parameter name {_show(str(k))} must be a non-empty string without a backtick")
        try:
            parts.append("`" + k + "`=" + _lit(v))
        except (ParameterError, RecursionError) as e:
            _refuse(k, v, e)
    h = "CYPHER " + " ".join(parts) + " "
    # NUL ends FalkorDB's C string; a lone surrogate cannot be encoded: one scan of the whole header each
    if "\x00" in h or not (h.isascii() or _utf8_ok(h)):
        for k, v in params.items():
            if "\x00" in k or not _utf8_ok(k):
                raise ParameterError(f"parameter name {_show(k)} holds a NUL or a lone surrogate")
            if _find_bad(v):
                _refuse(k, v)
    return h


def _utf8_ok(s: str) -> bool:
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# GRAPH.BULK, the binary format of falkordb-bulk-loader (FalkorDB src/bulk_insert/bulk_insert.c): a token is
# the label and the property names, then each node's values, each a one-byte tag and its payload
_ENDIAN = sys.byteorder  # the engine reads counts and integers in the machine's own byte order


def bulk_nodes(label: str, keys: tuple[str, ...], rows: list[dict[str, Any]],
               same: dict[str, Any] | None = None) -> bytes:
    """One node token of GRAPH.BULK: per row its values in `keys` order, then the values of `same` (one
    value for every node, e.g. a load id); null means no property.

    Strings, booleans, 64-bit integers and null only. The engine reads a string up to its NUL and checks
    nothing (one stray byte would shift every value after it into the wrong property), so a NUL, a lone
    surrogate or any other type raises ParameterError, as params_header does, before anything is sent.
    Values are joined as text and encoded once: every tag but an integer's 8 bytes is one ASCII character."""
    same = same or {}
    names = (*keys, *same)
    out = [(_bulk_name(label, "label") + "\x00").encode(), len(names).to_bytes(4, _ENDIAN),
           "".join(_bulk_name(k, "property name") + "\x00" for k in names).encode()]
    tail = "".join([_bulk_text(k, v) for k, v in same.items()])
    parts: list[str] = []
    add = parts.append
    for r in rows:
        for k in keys:
            v = r.get(k)
            t = type(v)
            if t is str and "\x00" not in v:
                add("\x03" + v + "\x00")
            elif v is None:
                add("\x00")
            elif t is int:
                if not _INT64_MIN <= v <= _INT64_MAX:
                    raise ParameterError(f"key {_show(k)}: integer {v} does not fit in 64 bits (FalkorDB would "
                                         "silently change it)")
                _bulk_flush(out, parts)
                out.append(b"\x04" + v.to_bytes(8, _ENDIAN, signed=True))
            else:
                add(_bulk_text(k, v))
        add(tail)
    _bulk_flush(out, parts)
    return b"".join(out)


def _bulk_name(name: Any, what: str) -> str:
    if type(name) is not str or not name or "\x00" in name or ":" in name or "`" in name or not _utf8_ok(name):
        raise ParameterError(f"{what} {_show(str(name))} cannot be written by GRAPH.BULK")
    return name


def _bulk_text(k: str, v: Any) -> str:
    t = type(v)
    if t is str:
        if "\x00" in v:
            raise ParameterError(f"key {_show(k)}: a NUL character (U+0000) at position {v.index(chr(0))}: the "
                                 "graph cannot store it")
        return "\x03" + v + "\x00"
    if v is None:
        return "\x00"
    if t is bool:
        return "\x01\x01" if v else "\x01\x00"
    raise ParameterError(f"key {_show(k)}: a {t.__name__} value cannot be written by GRAPH.BULK (strings, "
                         "booleans and integers only)")


def _bulk_flush(out: list[bytes], parts: list[str]) -> None:
    if parts:
        try:
            out.append("".join(parts).encode("utf-8"))
        except UnicodeEncodeError as e:
            raise ParameterError(f"a lone surrogate ({ascii(e.object[e.start])}) at position {e.start} of the "
                                 "batch: not valid Unicode text") from None
        parts.clear()


_WRITES = ("refused in read-only mode: the statement writes (CREATE, MERGE, SET, DELETE, REMOVE ...); pass --write "
           "to allow writes")


class FalkorStore:
    engine = "falkordb"

    def __init__(self, *, graph: str = "navab", data_dir: Path | None = None, url: str | None = None,
                 password: str | None = None, persistent: bool = False):
        self.graph_name = graph
        self.server: EmbeddedServer | None = None
        self.server_pid: int | None = None
        self.wire = None
        if url:
            import redis
            from falkordb import FalkorDB

            u = urlparse(url)
            self.location = f"{u.hostname}:{u.port or 6379}"
            try:
                self.db = FalkorDB(host=u.hostname or "127.0.0.1", port=u.port or 6379,
                                   password=password or u.password, ssl=u.scheme == "falkors")
            except redis.exceptions.ConnectionError as e:
                raise GraphUnavailable(f"FalkorDB at {self.location} does not answer: {e}") from e
            self.graph = self.db.select_graph(graph)
            return
        from .falkor_wire import ConnectionLost, GraphWire

        self.server = EmbeddedServer(data_dir or Path(".navab"))
        self.server.acquire()
        try:
            self.started = self.server.ensure(persistent=persistent)
            self.server_pid = self.server.pid()
            self.location = str(self.server.sock)
            try:
                # no retries: a lost connection means the engine is gone, and a retried write could reach an
                # engine restarted by another command
                self.wire = GraphWire(self.server.sock, self.server.password(), graph)
            except ConnectionLost as e:
                raise self._lost(e) from e
        except BaseException:
            self.server.release()
            raise
        self.db = self.wire  # `store.db.connection.execute_command(...)` / `.info(...)` as with redis-py

    def run(self, query: str, params: dict[str, Any] | None = None, *, write: bool = True) -> list[dict[str, Any]]:
        if not write:
            check_read_only(query, self.engine)
        text = params_header(params or {}) + query
        if self.wire is not None:
            from .falkor_wire import ConnectionLost, ResponseError

            try:
                cols, rows = self.wire.query(text, read_only=not write)
            except ConnectionLost as e:
                raise self._lost(e) from e
            except ResponseError as e:
                if self._nothing_to_read(e, query, write):
                    return []
                raise
            return [dict(zip(cols, row)) for row in rows]
        import redis

        try:
            res = (self.graph.query if write else self.graph.ro_query)(text)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as e:
            raise self._lost(e) from e
        except redis.exceptions.ResponseError as e:
            if self._nothing_to_read(e, query, write):
                return []
            raise
        if not res.header:
            return []
        cols = [h[1] for h in res.header]
        return [{c: _plain(v) for c, v in zip(cols, row)} for row in res.result_set]

    @staticmethod
    def _nothing_to_read(e: Exception, query: str, write: bool) -> bool:
        """True for a read of a graph that does not exist yet (FalkorDB says "empty key"): no rows. Raises
        ReadOnlyViolation for a read-only statement that writes."""
        if write:
            return False
        if "empty key" in str(e):
            if writes(query):
                raise ReadOnlyViolation(_WRITES) from e
            return True
        if "read-only queries" in str(e):
            raise ReadOnlyViolation(_WRITES) from e
        return False

    def _lost(self, e: Exception) -> GraphUnavailable:
        if self.server is None:
            return GraphUnavailable(f"lost the connection to FalkorDB at {self.location}: {e}")
        pid = self.server_pid
        # a killed process closes its sockets before the kernel marks it a zombie, so the client can see the
        # connection drop while /proc still says it runs: give it a moment before calling it alive
        if pid is None or _wait_dead(pid, 2.0):
            return EngineDown(pid, self.server.log)
        return GraphUnavailable(f"lost the connection to the embedded FalkorDB engine (pid {pid}, still running) "
                                f"at {self.location}: {e}; log: {self.server.log}")

    def _command(self, *args: Any) -> Any:
        if self.wire is None:
            return self.db.connection.execute_command(*args)
        from .falkor_wire import ConnectionLost

        try:
            return self.wire.command(*args)
        except ConnectionLost as e:
            raise self._lost(e) from e

    def _graphs(self) -> list[str]:
        return list(self._command("GRAPH.LIST"))

    def info(self) -> dict[str, Any]:
        mods = self._command("MODULE", "LIST")
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
        if self.graph_name not in self._graphs():
            return {"nodes": 0, "edges": 0}
        n = self.run("MATCH (n) RETURN count(n) AS c", write=False)[0]["c"]
        e = self.run("MATCH ()-[r]->() RETURN count(r) AS c", write=False)[0]["c"]
        return {"nodes": n, "edges": e}

    def drop(self) -> None:
        """Delete the whole graph (tests and `db reset`)."""
        if self.graph_name in self._graphs():
            if self.wire is not None:
                self.wire.delete()
            else:
                self.graph.delete()
                self.graph = self.db.select_graph(self.graph_name)

    def close(self) -> None:
        try:
            if self.wire is not None:
                self.wire.close()
            else:
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
