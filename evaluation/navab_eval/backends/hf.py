"""transformers backend: CPU or GPU, batched, sorted by length, results in input order."""
from __future__ import annotations

from typing import Any, Sequence

from .base import Backend, LogLik, encode_pair, resolve_add_bos


class HFBackend(Backend):
    """Scores and generates with a transformers causal LM.

    model: a loaded model (then pass tokenizer) or a name/path for :func:`navab_eval.models.load_model`.
    bos: BOS policy, auto | always | never (see :func:`resolve_add_bos`; auto = the tokenizer's own behaviour,
        lm-evaluation-harness's default). add_bos: the older bool form; when given it wins over bos.
    max_length: the model's context (default: config.max_position_embeddings); longer inputs are cut from the left
        (scoring: flagged in LogLik.truncated; generation: the prompt keeps max_length - max_new_tokens tokens,
        see :meth:`truncated`).
    shared_prefix: score MC pairs packed, sharing prefixes (False = two full sequences each, lm-eval's way).
    """

    name = "hf"

    def __init__(self, model: Any, tokenizer: Any = None, batch_size: int = 8, device: str | None = None,
                 dtype: str = "auto", gguf_file: str | None = None, max_length: int | None = None,
                 add_bos: bool | None = None, shared_prefix: bool = True, bos: str | None = None, **_: Any):
        from ..models import load_model, model_id

        if isinstance(model, str):
            self.model_name = model_id(model, gguf_file)
            model, tokenizer = load_model(model, gguf_file=gguf_file, device=device, dtype=dtype)
        else:
            if tokenizer is None:
                raise ValueError("pass the tokenizer together with a loaded model")
            self.model_name = getattr(model, "name_or_path", None) or type(model).__name__
            if device is not None:
                model.to(device)
        self.model, self.tokenizer = model, tokenizer
        self.batch_size = max(1, int(batch_size))
        if add_bos is not None:
            self.bos = "always" if add_bos else "never"
            self.add_bos = bool(add_bos)
        else:
            self.bos = (bos or "auto").lower()
            self.add_bos = resolve_add_bos(self.bos, tokenizer)
        self.max_length = max_length or getattr(model.config, "max_position_embeddings", None) or 2048
        self.shared_prefix = shared_prefix
        self.last_stats: dict = {}  # token counts of the last score_pairs call (benchmarks print them)
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        if self.pad_id is None:
            self.pad_id = 0  # padded positions are masked; any valid id will do

    def encode(self, context: str, continuation: str) -> tuple[list[int], list[int]]:
        return encode_pair(self.tokenizer, context, continuation, self.add_bos)

    def encode_triple(self, context: str, cont_a: str, cont_b: str) -> tuple[list[int], list[int], list[int]]:
        ctx_ids, a_ids = self.encode(context, cont_a)
        ctx_ids_b, b_ids = self.encode(context, cont_b)
        assert ctx_ids == ctx_ids_b  # the context is encoded alone, so both share it exactly
        return ctx_ids, a_ids, b_ids

    def loglikelihood(self, requests: Sequence[tuple[str, str]]) -> list[LogLik]:
        from .scoring import naive_loglikelihood

        pairs = [self.encode(c, x) for c, x in requests]
        return naive_loglikelihood(self.model, pairs, self.batch_size, self.max_length, self.pad_id)

    def score_pairs(self, requests: Sequence[tuple[str, str, str]]) -> list[tuple[LogLik, LogLik]]:
        if not self.shared_prefix:
            return super().score_pairs(requests)
        from .scoring import shared_prefix_pairs

        items = [self.encode_triple(*r) for r in requests]
        self.last_stats = {}
        return shared_prefix_pairs(self.model, items, self.batch_size, self.max_length, self.pad_id,
                                   stats=self.last_stats)

    def _prompt_ids(self, prompt: str) -> list[int]:
        tok = self.tokenizer
        ids = tok(prompt, add_special_tokens=False)["input_ids"]
        if self.add_bos and (not ids or ids[0] != tok.bos_token_id):
            ids = [tok.bos_token_id] + ids
        return ids

    def _prompt_room(self, max_new_tokens: int) -> int:
        """Prompt tokens that fit the context beside the answer."""
        if max_new_tokens >= self.max_length:
            raise ValueError(f"max_new_tokens={max_new_tokens} leaves no room for the prompt in the model's "
                             f"context of {self.max_length} tokens; lower --max-new-tokens")
        return self.max_length - max_new_tokens

    def truncated(self, prompts: Sequence[str], max_new_tokens: int = 128) -> list[bool]:
        room = self._prompt_room(max_new_tokens)
        return [len(self._prompt_ids(p)) > room for p in prompts]

    def generate(self, prompts: Sequence[str], max_new_tokens: int = 128, temperature: float = 0.0,
                 seed: int = 0) -> list[str]:
        import torch

        tok = self.tokenizer
        room = self._prompt_room(max_new_tokens)
        device = next(self.model.parameters()).device
        order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
        out: list[str] = [""] * len(prompts)
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            enc = [self._prompt_ids(prompts[i])[-room:] for i in idx]  # cut from the left, as in scoring
            width = max(len(e) for e in enc)
            ids = torch.full((len(idx), width), self.pad_id, dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for r, e in enumerate(enc):  # left padding: generation continues from the right edge
                ids[r, width - len(e):] = torch.tensor(e)
                mask[r, width - len(e):] = 1
            kwargs: dict[str, Any] = {"do_sample": temperature > 0}
            if temperature > 0:
                torch.manual_seed(seed)
                kwargs["temperature"] = temperature
            else:
                kwargs.update(temperature=None, top_p=None, top_k=None)
            with torch.inference_mode():
                gen = self.model.generate(input_ids=ids.to(device), attention_mask=mask.to(device),
                                          max_new_tokens=max_new_tokens, pad_token_id=self.pad_id, **kwargs)
            for r, i in enumerate(idx):
                out[i] = tok.decode(gen[r, width:], skip_special_tokens=True).strip()
        return out
