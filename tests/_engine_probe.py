"""A FalkorDB engine of its own for probing string functions that can crash or hang it (tests/test_engine_strings.py).

The bundled FalkorDB 4.16.3 aborts (Guru Meditation, an allocation of (size_t)-1) on `substring()` of some stored
multi-byte strings, and spins forever on `size(left(...))` of others; so the probe runs its own server in a
temporary folder (never the test session's), talks to it over a raw redis connection with a socket timeout, and
kills and restarts it when a statement crashes or hangs it. Replies are read in FalkorDB's compact form and
strings are kept as bytes, so invalid UTF-8 is seen as such rather than as a client error.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from navab_graph.store.embedded import EmbeddedServer
from navab_graph.store.falkor import params_header

# compact reply value types (FalkorDB's resultset format)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6


class InvalidUtf8(bytes):
    """A string the engine returned that is not valid UTF-8."""


@dataclass
class Outcome:
    kind: str  # ok | invalid_utf8 | crash | hang | error
    value: Any = None


def _value(cell):
    t, v = cell[0], cell[1]
    if t == _NULL:
        return None
    if t == _STRING:
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return InvalidUtf8(v)
    if t == _INTEGER:
        return int(v)
    if t == _BOOLEAN:
        return v in (b"true", "true", True)
    if t == _DOUBLE:
        return float(v)
    if t == _ARRAY:
        return [_value(x) for x in v]
    raise TypeError(f"unexpected reply type {t}")


def _has_invalid(v) -> bool:
    return isinstance(v, InvalidUtf8) or (isinstance(v, list) and any(_has_invalid(x) for x in v))


class Probe:
    def __init__(self, data_dir: Path, graph: str = "probe", timeout: float = 5.0):
        self.server = EmbeddedServer(Path(data_dir))
        self.graph, self.timeout = graph, timeout
        self.crashes: list[str] = []
        self._conn = None
        self._start()

    def _start(self) -> None:
        import redis

        self.server.ensure(persistent=True)
        self._conn = redis.Redis(unix_socket_path=str(self.server.sock), password=self.server.password(),
                                 socket_timeout=self.timeout)

    def _restart(self, why: str) -> None:
        pid = self.server.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            for _ in range(200):
                if self.server.pid() is None:
                    break
                time.sleep(0.02)
        self.crashes.append(why)
        self._start()

    def write(self, query: str, params: dict | None = None) -> None:
        self._conn.execute_command("GRAPH.QUERY", self.graph, params_header(params or {}) + query, "--compact")

    def read(self, query: str, params: dict | None = None) -> Outcome:
        """First column of the first row of a read-only statement."""
        import redis

        try:
            reply = self._conn.execute_command("GRAPH.RO_QUERY", self.graph, params_header(params or {}) + query,
                                               "--compact")
        except redis.exceptions.TimeoutError:
            self._restart(f"hang: {query} {params}")
            return Outcome("hang")
        except redis.exceptions.ConnectionError:
            self._restart(f"crash: {query} {params}: {self.last_log_line()}")
            return Outcome("crash", self.last_log_line())
        except redis.exceptions.ResponseError as e:
            return Outcome("error", str(e))
        rows = reply[1]
        v = _value(rows[0][0]) if rows else None
        return Outcome("invalid_utf8" if _has_invalid(v) else "ok", v)

    def last_log_line(self) -> str:
        log = self.server.data_dir / "falkordb.log"
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if "Guru Meditation" in ln] \
            if log.exists() else []
        return lines[-1] if lines else ""

    def close(self) -> None:
        pid = self.server.pid()
        if pid is not None:  # a probe server holds nothing worth keeping: no SHUTDOWN / AOF rewrite
            os.kill(pid, signal.SIGKILL)
