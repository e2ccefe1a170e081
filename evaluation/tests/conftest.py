"""Shared fixtures: a tiny random Llama with an in-memory BPE tokenizer, the offline SmolLM2, snapshots."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Before torch loads: spinning OpenMP threads make forward passes ~5x slower on a busy 2-core machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).parent))  # for openai_server
sys.path.insert(1, str(Path(__file__).resolve().parents[2] / "tests"))  # for llm_server (shared real server)
from llm_server import pytest_configure, real_llm  # noqa: E402,F401
from tiny_model import build_tiny  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _eval_cache(request):
    """Dequantised GGUF copies persist in .pytest_cache between sessions (the first conversion takes ~25 s)."""
    os.environ["NAVAB_EVAL_CACHE"] = str(request.config.cache.mkdir("navab-eval"))


@pytest.fixture(scope="session")
def tiny():
    return build_tiny()


@pytest.fixture(scope="session")
def tiny_dir(tiny, tmp_path_factory):
    """The tiny model saved like a hub checkout, for the CLI and load_model."""
    path = tmp_path_factory.mktemp("tiny-llama")
    tiny[0].save_pretrained(path)
    tiny[1].save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def smollm2():
    from navab_eval.models import load_model

    return load_model("smollm2", device="cpu")


@pytest.fixture(scope="session")
def records():
    from navab_eval.fixtures import sample_records

    return sample_records(24)


@pytest.fixture()
def snapshot_root(records, tmp_path):
    from navab_eval.fixtures import write_snapshot

    for nation in sorted({r.nation for r in records}):
        write_snapshot(records, tmp_path / "snap", nation)
    return tmp_path / "snap"
