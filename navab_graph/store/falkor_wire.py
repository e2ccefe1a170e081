"""FalkorDB over the embedded engine's unix socket, without redis-py: hiredis parses the replies, this module
sends the commands and turns FalkorDB's compact result format into plain Python values.

Why: importing redis-py 8 (which the `falkordb` client needs) costs about 0.12 s of CPU, because it imports
its asyncio client and OpenTelemetry metrics: a quarter of an interactive `navab-graph cypher` on a running
engine (benchmarks/query_latency.py). Servers at falkor:// URLs (TLS, sentinel, cluster) keep the `falkordb`
client. Values come back as FalkorStore returns them: nodes and edges as property dicts, paths as
{"nodes": [...], "edges": [...]}, maps as dicts, points as {"latitude", "longitude"}, temporal values as in
the falkordb client (datetime, date, time, relativedelta).
"""
from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import hiredis


class ResponseError(Exception):
    """An error reply of the engine (a bad query, a missing graph, ...): the message is the engine's."""


class BusyLoadingError(ResponseError):
    """The engine is still loading its data (AOF replay after a restart)."""


class ConnectionLost(ConnectionError):
    """The socket closed or did not answer: the engine is gone, or busy beyond the stated timeout."""


def _encode(args: tuple) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode("utf-8")
        out += (b"$%d\r\n" % len(b), b, b"\r\n")
    return b"".join(out)


def _raise(err: ResponseError):
    msg = str(err)
    raise (BusyLoadingError(msg) if msg.startswith("LOADING") else err)


class Connection:
    """One RESP connection; `timeout` (seconds, None = none) applies to connecting and to each reply."""

    def __init__(self, path: Path | str, password: str | None = None, timeout: float | None = None):
        self.path, self.timeout = str(path), timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(self.path)
        except OSError as e:
            self.sock.close()
            raise ConnectionLost(f"cannot connect to {self.path}: {e.strerror or e}") from e
        self.reader = hiredis.Reader(encoding="utf-8", replyError=ResponseError)
        if password is not None:
            self.command("AUTH", password)

    def reply(self, *args: Any) -> Any:
        """Send one command; its reply (error replies returned as ResponseError, not raised)."""
        try:
            self.sock.sendall(_encode(args))
            while True:
                r = self.reader.gets()
                if r is not False:
                    return r
                data = self.sock.recv(1 << 17)
                if not data:
                    raise ConnectionLost("Connection closed by server.")
                self.reader.feed(data)
        except TimeoutError as e:
            self.close()
            raise ConnectionLost(f"no reply from {self.path} within {self.timeout}s") from e
        except ConnectionLost:
            self.close()
            raise
        except OSError as e:
            self.close()
            raise ConnectionLost(f"{e.strerror or e} ({self.path})") from e

    def command(self, *args: Any) -> Any:
        r = self.reply(*args)
        if isinstance(r, ResponseError):
            _raise(r)
        return r

    # the two redis-py methods our tests and tools reach for (store.db.connection.*)
    def execute_command(self, *args: Any) -> Any:
        return self.command(*args)

    def info(self, section: str = "default") -> dict[str, Any]:
        return parse_info(self.command("INFO", section))

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def parse_info(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or ":" not in line:
            continue
        k, v = line.split(":", 1)
        for conv in (int, float):
            try:
                out[k] = conv(v)
                break
            except ValueError:
                continue
        else:
            out[k] = v
    return out


class GraphWire:
    """GRAPH.QUERY / GRAPH.RO_QUERY on one graph with the compact reply format; one connection per thread (the
    loader's writer thread queries while the main thread parses)."""

    def __init__(self, path: Path | str, password: str | None, graph: str):
        self.path, self.password, self.graph = str(path), password, graph
        self._local = threading.local()
        self._all: list[Connection] = []
        self._lock = threading.Lock()
        self._names: dict[str, list[str]] = {"labels": [], "relationshipTypes": [], "propertyKeys": []}
        self._pid = os.getpid()
        self.connection = self._conn()  # connect now: a dead engine is noticed at open, not at the first query

    def _conn(self) -> Connection:
        if self._pid != os.getpid():  # a forked child never shares its parent's sockets
            self._pid, self._local, self._all = os.getpid(), threading.local(), []
        c = getattr(self._local, "conn", None)
        if c is None or c.sock.fileno() < 0:
            c = Connection(self.path, self.password)
            self._local.conn = c
            with self._lock:
                self._all.append(c)
        return c

    def command(self, *args: Any) -> Any:
        return self._conn().command(*args)

    def query(self, text: str, *, read_only: bool = False) -> tuple[list[str], list[list[Any]]]:
        """(column names, rows of plain values)."""
        r = self._conn().reply("GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY", self.graph, text, "--compact")
        if isinstance(r, ResponseError):
            _raise(r)
        if isinstance(r[0], ResponseError):
            _raise(r[0])
        if isinstance(r[-1], ResponseError):
            _raise(r[-1])
        if len(r) == 1:
            return [], []
        cols = [h[1] for h in r[0]]
        return cols, [[self._value(c) for c in row] for row in r[1]]

    def list_graphs(self) -> list[str]:
        return list(self.command("GRAPH.LIST"))

    def delete(self) -> None:
        self.command("GRAPH.DELETE", self.graph)
        with self._lock:
            for v in self._names.values():
                v.clear()

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for c in conns:
            c.close()

    # --- compact values (falkordb.query_result's types) --------------------------------------------------------
    def _name(self, kind: str, idx: int) -> str:
        names = self._names[kind]
        if idx >= len(names):  # a label / type / key created since: ask the engine once
            _, rows = self.query(f"CALL db.{kind}()", read_only=True)
            with self._lock:
                self._names[kind] = names = [r[0] for r in rows]
        return names[idx]

    def _props(self, props: list) -> dict[str, Any]:
        return {self._name("propertyKeys", p[0]): self._value(p[1:]) for p in props}

    def _value(self, cell: list) -> Any:
        t, v = cell[0], cell[1]
        if t == 2:  # string
            return v
        if t == 3:  # integer
            return int(v)
        if t == 1:  # null
            return None
        if t == 5:  # double
            return float(v)
        if t == 4:  # boolean
            return v == "true"
        if t == 6:  # array
            return [self._value(x) for x in v]
        if t == 8:  # node: [id, [label ids], [[key id, type, value], ...]]
            return self._props(v[2])
        if t == 7:  # edge: [id, type id, src, dst, props]
            return self._props(v[4])
        if t == 10:  # map: [key, [type, value], key, ...]
            return {v[i]: self._value(v[i + 1]) for i in range(0, len(v), 2)}
        if t == 9:  # path: [[array of nodes], [array of edges]]
            return {"nodes": self._value(v[0]), "edges": self._value(v[1])}
        if t == 11:  # point
            return {"latitude": float(v[0]), "longitude": float(v[1])}
        if t == 12:  # vectorf32
            return [float(x) for x in v]
        if t in (13, 14, 15, 16):
            from datetime import datetime, timezone

            d = datetime.fromtimestamp(v, tz=timezone.utc)
            if t == 13:
                return d
            if t == 14:
                return d.date()
            if t == 15:
                return d.time()
            from dateutil.relativedelta import relativedelta

            return relativedelta(d, datetime(1970, 1, 1, tzinfo=timezone.utc))
        sys.stderr.write(f"unknown FalkorDB value type {t}\n")  # as the falkordb client does
        return None
