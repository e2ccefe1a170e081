"""One writer per data dir, graph and nation.

Writing commands hold an exclusive flock on `<data_dir>/locks/writer.<graph>.<NATION>.lock` (and a shared one
on `writer.<graph>.ALL.lock`); a writer of every nation (`load` without --nation, `import-results`) holds
`ALL` exclusively. flock is released by the kernel when its holder dies, so a kill -9'd writer never blocks
anyone; the JSON inside a lock file (command, pid, since) is only there for the `busy:` message.
Within one process the locks nest (a command that runs several stages takes them once).
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ALL = "ALL"
_held: dict[str, list] = {}  # path -> [fd, mode, depth] for the locks this process holds
_guard = threading.Lock()


class Busy(RuntimeError):
    """Another writer holds the lock; the message says who (`busy: <command> (pid N) since <time>`)."""


def _safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", s)[:64] or "_"


def lock_dir(data_dir: Path | str) -> Path:
    Path(data_dir).mkdir(mode=0o700, parents=True, exist_ok=True)  # (mode applies to the last part only)
    d = Path(data_dir) / "locks"
    d.mkdir(mode=0o700, exist_ok=True)
    return d


def _path(data_dir, graph: str, nation: str) -> Path:
    return lock_dir(data_dir) / f"writer.{_safe(graph)}.{_safe(nation)}.lock"


def _holder(path: Path) -> dict[str, Any] | None:
    try:
        d = json.loads(path.read_text() or "null")
    except (OSError, ValueError):
        return None
    return d if isinstance(d, dict) else None


def _describe(h: dict[str, Any] | None) -> str:
    if not h:
        return "busy: another navab-graph writer"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(h.get("since", 0)))
    return f"busy: {h.get('command', '?')} (pid {h.get('pid', '?')}) since {since}"


def _blocker(paths: list[Path], data_dir) -> str:
    """Who holds one of these locks (the nation writers behind a shared ALL lock included)."""
    me = os.getpid()
    for p in paths:
        h = _holder(p)
        if h and h.get("pid") != me and str(p) not in _held and _is_held(p):
            return _describe(h)
    for w in active_writers(data_dir):
        if w.get("pid") != me:
            return _describe(w)
    return _describe(None)


def _is_held(path: Path) -> bool:
    """True when some other open file description holds an exclusive lock on path (probe with a shared one)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def active_writers(data_dir: Path | str) -> list[dict[str, Any]]:
    """Writers holding a lock in this data dir right now (any graph), from their lock files."""
    d = Path(data_dir) / "locks"
    out = []
    if d.is_dir():
        for p in sorted(d.glob("writer.*.lock")):
            h = _holder(p)
            if h and _is_held(p):
                out.append(h)
    return out


def _acquire(path: Path, mode: int, info: dict, wait: bool, on_wait, paths_for_msg, data_dir) -> None:
    with _guard:
        mine = _held.get(str(path))
        if mine is not None:
            if mine[1] == fcntl.LOCK_SH and mode == fcntl.LOCK_EX:
                raise RuntimeError(f"writer_lock: this process holds {path.name} for some nations; it cannot "
                                   "widen it to every nation while nested")
            mine[2] += 1
            return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # a probe of `db stop` holds a shared lock for microseconds: retry a moment before calling it busy
        deadline = time.monotonic() + 0.3
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                msg = _blocker(paths_for_msg, data_dir)
                if not wait:
                    raise Busy(f"{msg}; pass --wait to wait for it") from None
                if on_wait:
                    on_wait(msg)
                fcntl.flock(fd, mode)  # --wait: as long as the holder runs (it releases even when killed)
                break
        if mode == fcntl.LOCK_EX:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    with _guard:
        _held[str(path)] = [fd, mode, 1]


def _release(path: Path) -> None:
    with _guard:
        mine = _held.get(str(path))
        if mine is None:
            return
        mine[2] -= 1
        if mine[2] > 0:
            return
        del _held[str(path)]
    fd, mode = mine[0], mine[1]
    try:
        if mode == fcntl.LOCK_EX:
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def writer_lock(data_dir: Path | str | Any, nation: str | Iterable[str] | None = None, command: str = "writer", *,
                graph: str | None = None, wait: bool = False, on_wait: Callable[[str], None] | None = None):
    """Hold the writer lock of `nation` (a code, several codes, or None = every nation) while the block runs.
    `data_dir` may also be a Settings object (its data_dir and graph_name).

    Raises Busy when another process holds it, unless `wait` (then `on_wait(message)` is called once)."""
    if hasattr(data_dir, "data_dir"):
        graph = graph or data_dir.graph_name
        data_dir = data_dir.data_dir
    graph = graph or "navab"
    if nation is None:
        nations = None
    elif isinstance(nation, str):
        nations = [nation.upper()]
    else:
        nations = sorted({n.upper() for n in nation}) or None
    info = {"command": command, "pid": os.getpid(), "since": time.time(), "graph": graph,
            "nations": nations or ALL, "data_dir": str(Path(data_dir).resolve())}
    # fixed order (ALL first, then nations sorted) so that two writers never wait for each other in a cycle
    plan = [(_path(data_dir, graph, ALL), fcntl.LOCK_EX if nations is None else fcntl.LOCK_SH)]
    plan += [(_path(data_dir, graph, n), fcntl.LOCK_EX) for n in nations or []]
    taken: list[Path] = []
    try:
        for p, mode in plan:
            _acquire(p, mode, info, wait, on_wait, [q for q, _ in plan], data_dir)
            taken.append(p)
        yield info
    finally:
        for p in reversed(taken):
            _release(p)


ARTICLES = "ARTICLES"  # not a nation code (those are 2-3 letters): the lock of article creation in a graph


@contextmanager
def articles_lock(data_dir: Path | str, graph: str, command: str = "load",
                  on_wait: Callable[[str], None] | None = None):
    """Held by a load while it writes articles, whatever its nation: article ids are one namespace per graph
    (`source:record id`), and a load decides between create and update from a lookup. Two loads of different
    nations at once (each holding only its own nation's lock) would otherwise both find an id missing and both
    create it: 6,673 duplicated ids in a test with 2 x 200,000 colliding rows. The second load waits (it would
    only share the one engine); taken after the nation locks, never before them, so no cycle."""
    info = {"command": command, "pid": os.getpid(), "since": time.time(), "graph": graph, "nations": ARTICLES,
            "data_dir": str(Path(data_dir).resolve())}
    path = _path(data_dir, graph, ARTICLES)
    _acquire(path, fcntl.LOCK_EX, info, True, on_wait, [path], data_dir)
    try:
        yield info
    finally:
        _release(path)
