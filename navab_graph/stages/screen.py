"""Value-related topic screening (paper section 3.3): each topic's label, keywords and sample documents go to
`provider.screen_topic` (an LLM, or the offline `rules` provider's value lexicon); a human override file is
applied last, as the paper's manual double-check.

screening.yaml:
    force_in:  ["CN:3", "Human rights"]      # topic ids or labels (case-insensitive)
    force_out: ["CN:7"]
    reasons:   {"CN:7": "sports results"}    # optional reason per topic
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..lineage import recorded
from ..progress import bar
from ..store import GraphStore, run_batches, run_named


class ScreeningError(ValueError):
    pass


@dataclass
class Overrides:
    force_in: list[str] = field(default_factory=list)
    force_out: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class ScreenReport:
    nation: str
    topics: int = 0
    value_related: int = 0
    by: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    unmatched_overrides: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_overrides(path: Path) -> Overrides:
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ScreeningError(f"{path}: override file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ScreeningError(f"{path}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise ScreeningError(f"{path}: expected a mapping with force_in / force_out / reasons")
    unknown = set(data) - {"force_in", "force_out", "reasons"}
    if unknown:
        raise ScreeningError(f"{path}: unknown keys {sorted(unknown)} (expected force_in, force_out, reasons)")
    out = Overrides()
    for key in ("force_in", "force_out"):
        val = data.get(key) or []
        if not isinstance(val, list) or not all(isinstance(v, (str, int)) for v in val):
            raise ScreeningError(f"{path}: {key} must be a list of topic ids or labels")
        setattr(out, key, [str(v) for v in val])
    reasons = data.get("reasons") or {}
    if not isinstance(reasons, dict):
        raise ScreeningError(f"{path}: reasons must map topic id or label -> text")
    out.reasons = {str(k): str(v) for k, v in reasons.items()}
    both = {v.lower() for v in out.force_in} & {v.lower() for v in out.force_out}
    if both:
        raise ScreeningError(f"{path}: {sorted(both)} both forced in and out")
    return out


def _match(topic: dict[str, Any], keys: list[str]) -> str | None:
    for k in keys:
        if k == topic["id"] or k.lower() == (topic.get("label") or "").lower():
            return k
    return None


def run_settings(overrides: Overrides | None) -> dict[str, Any]:
    """What a screening run depends on besides the topics (its StageRun's settings)."""
    return {"overrides": asdict(overrides) if overrides is not None else None}


def run_screen(store: GraphStore, settings: Settings, nation: str, *, provider, overrides: Overrides | None = None,
               quiet: bool = False) -> ScreenReport:
    """Screen a nation's topics, recorded as a StageRun (verdicts stamped Topic.screen_run)."""
    with recorded(store, nation, "screen", settings=run_settings(overrides), provider=provider) as run:
        rep = _screen(store, settings, nation, provider, overrides, quiet, run.id)
        run.summary = {k: v for k, v in rep.as_dict().items() if k != "rows"}
    return rep


def _screen(store, settings, nation, provider, overrides, quiet, run_id) -> ScreenReport:
    topics = [t for t in run_named(store, "topics/list", {"nation": nation}, write=False) if t["id"] != f"{nation}:-1"]
    if not topics:
        raise ScreeningError(f"nation {nation}: no topics in the graph; run `navab-graph topics --nation {nation}` "
                             "first")
    rep = ScreenReport(nation=nation, topics=len(topics))
    sample_ids = sorted({i for t in topics for i in (t.get("sample_ids") or [])})
    texts = {r["id"]: ((r.get("title") or "") + "\n" + (r.get("text") or "")).strip()[:1500]
             for r in run_named(store, "screen/samples", {"ids": sample_ids}, write=False)}
    items = [{"label": t.get("label") or "", "keywords": list(t.get("keywords") or []),
              "docs": [texts[i] for i in (t.get("sample_ids") or []) if i in texts],
              "lang": t.get("lang") or settings.language_of(nation)} for t in topics]
    by = "rules" if getattr(provider, "offline", True) else "llm"
    with bar(len(items), f"screen {nation}", "topic", quiet) as pb:
        outs = provider.screen_topic_many(items, progress=pb.update)
    rows = []
    for t, o in zip(topics, outs):
        if o.ok:
            rows.append({"id": t["id"], "value_related": bool(o.value.value_related), "reason": o.value.reason,
                         "by": by})
        else:
            # a failed call leaves the topic unscreened (null), so it is neither kept nor silently dropped
            rep.failed += 1
            rows.append({"id": t["id"], "value_related": None, "reason": f"screening failed: {o.error}", "by": by})
    if overrides is not None:
        used: set[str] = set()
        for t, r in zip(topics, rows):
            for flag, keys in ((True, overrides.force_in), (False, overrides.force_out)):
                k = _match(t, keys)
                if k is not None:
                    used.add(k)
                    why = overrides.reasons.get(t["id"]) or overrides.reasons.get(k) or "human override"
                    r.update(value_related=flag, reason=why, by="human")
        rep.unmatched_overrides = sorted(set(overrides.force_in + overrides.force_out) - used)
    run_batches(store, "screen/write", rows, batch_size=settings.batch_size, params={"run": run_id})
    rep.value_related = sum(1 for r in rows if r["value_related"])
    for r in rows:
        rep.by[r["by"]] = rep.by.get(r["by"], 0) + 1
    labels = {t["id"]: t.get("label") for t in topics}
    rep.rows = [{"id": r["id"], "label": labels[r["id"]], "value_related": r["value_related"], "by": r["by"],
                 "reason": r["reason"]} for r in rows]
    return rep
