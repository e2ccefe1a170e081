"""Named backends, imported lazily so that e.g. vllm is only imported when `--backend vllm` is asked for."""
from __future__ import annotations

import importlib
from typing import Any

from .base import Backend, LogLik, encode_pair

BACKENDS = {
    "hf": "navab_eval.backends.hf:HFBackend",
    "vllm": "navab_eval.backends.vllm_backend:VLLMBackend",
    "openai": "navab_eval.backends.openai_backend:OpenAIBackend",
}


def get_backend(name: str, model: Any, **kwargs: Any) -> Backend:
    """Instantiate backend `name` (hf | vllm | openai) for `model` (name/path, or a loaded model for hf).
    A Backend instance passed as `model` is returned as is."""
    if isinstance(model, Backend):
        return model
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; choose one of {sorted(BACKENDS)}")
    module, cls = BACKENDS[name].split(":")
    return getattr(importlib.import_module(module), cls)(model, **kwargs)


__all__ = ["BACKENDS", "Backend", "LogLik", "encode_pair", "get_backend"]
