"""What made a stage's output: provider kind, model and prompt version (recorded on StageRun nodes, shown by
`status`, written to the manifest; a `rules` result is demo quality, not an LLM's)."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from . import prompts

# The LLM steps each pipeline stage calls (navab_graph.llm.base.STEPS).
STAGE_STEPS = {"topics": ("label_topic", "tag_documents"), "screen": ("screen_topic",), "extract": ("extract",),
               "construct": ("judge_source", "construct"), "link": ("construct", "verify_conflict")}


def prompt_version(steps: tuple[str, ...]) -> str:
    """12 hex digits over the prompt files of the steps (every language) and their worked examples."""
    h = hashlib.sha256()
    for step in sorted(steps):
        for path in sorted(prompts.PROMPT_DIR.glob(f"{step}.*.txt")):
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        example = getattr(prompts, "EXAMPLES", {}).get(step)
        if example is not None:
            h.update(json.dumps(example, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()[:12]


def provenance(provider: Any, stage: str) -> dict[str, Any]:
    """{provider: 'rules' | 'openai', model, prompt_version, demo_quality} of a stage run with this provider
    (None = no LLM configured: the offline rules)."""
    offline = provider is None or bool(getattr(provider, "offline", True))
    if offline:
        return {"provider": "rules", "model": None, "prompt_version": None, "demo_quality": True}
    kind = str(getattr(provider, "name", "openai") or "openai").split(":", 1)[0]
    return {"provider": kind, "model": getattr(provider, "model", None),
            "prompt_version": prompt_version(STAGE_STEPS.get(stage, ())), "demo_quality": False}
