"""One evaluation run: load data, evaluate (reusing cached items), write items.jsonl + summary.json."""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .backends.base import Backend
from .cache import ItemCache, JudgeCache, record_key
from .models import cache_dir, model_id
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
    base_url: str | None = None  # OpenAI-compatible endpoint of the evaluated model (backend openai)
    chat_template: bool = False  # wrap the question in the model's chat template
    split: str = "all"  # train | test | all
    sets: list[str] = field(default_factory=list)  # quoted / official; empty = both
    nations: list[str] = field(default_factory=list)  # empty = all
    limit: int | None = None  # at most this many items per nation x set (the first by id): quick runs, demos
    batch_size: int = 8
    device: str | None = None
    dtype: str = "auto"
    max_length: int | None = None  # override the model's context length
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

    def cache_key(self) -> dict[str, Any]:
        """What an item result depends on (besides the item's own content)."""
        keys = ["method", "backend", "gguf_file", "chat_template", "dtype", "max_length"]
        if self.method == "aj":
            keys += ["judge", "temperature", "seed", "max_new_tokens", "base_url"]
        model_path = Path(self.model)
        stamp = model_path.stat().st_mtime_ns if model_path.exists() else None
        return {"v": 1, "model": self.model, "model_mtime": stamp, **{k: getattr(self, k) for k in keys}}


def run(cfg: RunConfig) -> dict[str, Any]:
    """Evaluate and write ``items.jsonl`` and ``summary.json`` under cfg.out; returns the summary."""
    from .aj import evaluate_aj
    from .mc import evaluate_mc

    start = time.perf_counter()
    snap = load_snapshot(cfg.data, split=cfg.split, sets=cfg.sets or None, nations=cfg.nations or None,
                         verify=cfg.verify)
    if cfg.limit is not None:
        if cfg.limit < 1:
            raise ValueError(f"--limit must be >= 1, got {cfg.limit}")
        kept: dict[tuple[str, str], int] = {}
        records = []
        for r in sorted(snap.records, key=lambda r: r.id):
            k = (r.nation, r.set)
            if kept.get(k, 0) < cfg.limit:
                kept[k] = kept.get(k, 0) + 1
                records.append(r)
        snap.records = records
    root = Path(cfg.cache_dir) if cfg.cache_dir else cache_dir()
    item_cache = ItemCache(cfg.cache_key(), root) if cfg.cache else None
    common = dict(backend=cfg.backend, batch_size=cfg.batch_size, chat_template=cfg.chat_template,
                  cache=item_cache, quiet=cfg.quiet, device=cfg.device, dtype=cfg.dtype, gguf_file=cfg.gguf_file,
                  max_length=cfg.max_length, base_url=cfg.base_url)
    model: Any = cfg.model
    cached = sum(item_cache.get(record_key(r)) is not None for r in snap.records) if item_cache else 0
    if cached == len(snap.records):
        model = CachedOnly(cfg.backend, model_id(cfg.model, cfg.gguf_file))  # nothing to compute: skip loading
    if cfg.method == "mc":
        items = evaluate_mc(snap.records, model, **common)
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
                   data=str(cfg.data), data_sha256=snap.data_sha256, split=cfg.split, seconds=round(seconds, 3),
                   items_per_s=round(len(items) / seconds, 3) if seconds > 0 else None,
                   cached_items=cached, skipped_records=len(snap.skipped), config=asdict(cfg))
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "items.jsonl", "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return summary


class CachedOnly(Backend):
    """Stands in for the model when every item result is cached: nothing is scored or generated."""

    def __init__(self, name: str, model_name: str):
        self.name, self.model_name = name, model_name

    def loglikelihood(self, requests):
        raise RuntimeError("internal error: a fully cached run tried to score")

    def generate(self, prompts, max_new_tokens=128, temperature=0.0, seed=0):
        raise RuntimeError("internal error: a fully cached run tried to generate")
