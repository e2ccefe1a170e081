"""vLLM backend (GPU): scoring through ``prompt_logprobs``, generation through ``LLM.generate``.

``import vllm`` happens only here. vLLM's automatic prefix caching is switched on, so the question prefix an
MC item shares between S and RS is computed once by the engine itself (the default ``score_pairs`` sends
both sequences; vLLM reuses the cached prefix blocks).
"""
from __future__ import annotations

import importlib.util
from typing import Any, Sequence

from .base import Backend, LogLik, encode_pair, resolve_add_bos

INSTALL_HINT = "pip install navab-eval[vllm]"


class VLLMBackend(Backend):
    name = "vllm"

    def __init__(self, model: str, tokenizer: Any = None, batch_size: int = 8, dtype: str = "auto",
                 gguf_file: str | None = None, max_length: int | None = None, add_bos: bool | None = None,
                 bos: str | None = None, gpu_memory_utilization: float = 0.9, tensor_parallel_size: int = 1, **_: Any):
        if importlib.util.find_spec("vllm") is None:
            raise ImportError(f"the vllm backend needs vLLM (GPU only), which is not installed: {INSTALL_HINT}")
        if not isinstance(model, str):
            raise ValueError("the vllm backend takes a model name or path, not a loaded model")
        from vllm import LLM

        from ..models import model_id, resolve

        directory, gguf = resolve(model, gguf_file)
        self.model_name = model_id(model, gguf_file)
        path = f"{directory}/{gguf}" if gguf else directory
        self.llm = LLM(model=path, dtype=dtype, enable_prefix_caching=True, max_model_len=max_length,
                       gpu_memory_utilization=gpu_memory_utilization, tensor_parallel_size=tensor_parallel_size,
                       **({"tokenizer": directory} if gguf and tokenizer is None else {}))
        self.tokenizer = self.llm.get_tokenizer()
        # the same BOS policy as the hf backend (auto = the tokenizer's own behaviour); the older bool wins
        self.bos = ("always" if add_bos else "never") if add_bos is not None else (bos or "auto").lower()
        self.add_bos = resolve_add_bos(add_bos if add_bos is not None else self.bos, self.tokenizer)
        self.max_length = self.llm.llm_engine.model_config.max_model_len

    def loglikelihood(self, requests: Sequence[tuple[str, str]]) -> list[LogLik]:
        from vllm import SamplingParams, TokensPrompt

        pairs = [encode_pair(self.tokenizer, c, x, self.add_bos) for c, x in requests]
        prompts, cuts = [], []
        for ctx, cont in pairs:
            full = ctx + cont
            room = self.max_length - 1  # the engine must also fit the one token it generates
            cuts.append(len(full) > room)
            prompts.append(TokensPrompt(prompt_token_ids=full[-room:]))
        params = SamplingParams(max_tokens=1, temperature=0.0, prompt_logprobs=1)
        outs = self.llm.generate(prompts, params, use_tqdm=False)
        results = []
        for (ctx, cont), out, cut in zip(pairs, outs, cuts):
            ids = out.prompt_token_ids
            plps = out.prompt_logprobs  # one dict per prompt position (None for the first)
            total, greedy = 0.0, True
            # a continuation longer than the window: its last tokens that have a prediction (position 0 has none)
            k = min(len(cont), len(ids) - 1)
            for pos in range(len(ids) - k, len(ids)):
                entry = plps[pos]
                lp = entry[ids[pos]]
                total += lp.logprob
                greedy &= lp.rank == 1
            results.append(LogLik(total, k, greedy, cut))
        return results

    def generate(self, prompts: Sequence[str], max_new_tokens: int = 128, temperature: float = 0.0,
                 seed: int = 0) -> list[str]:
        from vllm import SamplingParams

        params = SamplingParams(max_tokens=max_new_tokens, temperature=temperature, seed=seed)
        outs = self.llm.generate(list(prompts), params, use_tqdm=False)
        return [o.outputs[0].text.strip() for o in outs]
