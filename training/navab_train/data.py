"""Snapshot records -> DPO preference pairs.

The prompt is built by navab_eval's MC prompt code (question + the per-language answer prefix, optionally in
the chat template), and the answers are joined to it exactly as the MC scorer joins them, so DPO trains on
the very continuations the benchmark scores: chosen = the nation's statement S, rejected = its reverse RS.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from .config import DPOSettings


class DataError(ValueError):
    """The snapshot cannot provide training pairs (message names the snapshot and the reason)."""


TRAIN_CONDITIONS = ("with_cr",)


def load_records(data: Path, say=print, conditions: Sequence[str] = TRAIN_CONDITIONS) -> list[Any]:
    """The records of one condition of a snapshot (root of nations, the root `navab-graph run` writes with
    with_cr/ and without_cr/ below it, one nation dir, or one file) via navab_eval's reader.

    conditions: the snapshots to read, by their manifest's with_conflict_reduction ("with_cr" by default: DPO
    trains on the benchmark after Conflict Reduction, never on statements it removed). Records read from the
    root are in both snapshots; reading both would train on each kept pair twice and on the removed ones.
    NaVAB release files carry no condition: they are read as they are, and said so. Bad rows are quarantined
    by the reader (not raised); their count and first reasons are reported.
    """
    from navab_eval import snapshot

    unknown = sorted(set(conditions) - set(snapshot.CONDITIONS))
    if unknown or not conditions:
        raise DataError(f"unknown condition(s) {unknown or list(conditions)}: use {' / '.join(snapshot.CONDITIONS)}")
    try:
        snap = snapshot.load_snapshot(data, strict=False)
    except snapshot.SnapshotError as e:
        raise DataError(f"cannot train on {data}: {e}") from e
    if snap.skipped:
        say(f"{data}: skipped {len(snap.skipped)} bad rows, e.g. {snap.skipped[0]}")
    records = list(snap.records)
    found = snap.conditions
    if not found:
        say(f"{data}: no with_cr / without_cr label (NaVAB release files): all {len(records)} records are used")
        return records
    chosen = [r for r in records if r.condition in conditions]
    if not chosen:
        raise DataError(f"{data}: no {' / '.join(conditions)} records: this snapshot holds only "
                        f"{' and '.join(found)} (its manifest's with_conflict_reduction); pass the snapshot "
                        f"exported {'with' if 'with_cr' in conditions else 'without'} Conflict Reduction")
    if len(chosen) < len(records):
        say(f"{data}: read the {' / '.join(conditions)} records ({len(chosen)} of {len(records)})")
    return chosen


def select(records: Iterable[Any], split: str, settings: DPOSettings, data: Path | str = "snapshot") -> list[Any]:
    """Rows of one split, restricted to the configured sets and nations; clear error when none are left."""
    records = list(records)
    if not records:
        raise DataError(f"{data}: the snapshot holds no rows, so its {split} split is empty")
    splits = Counter(r.split for r in records)
    if splits.get(split, 0) == 0:
        found = ", ".join(f"{k} ({v} rows)" for k, v in sorted(splits.items()))
        raise DataError(f"{data}: no {split} split in this snapshot (splits found: {found})")
    nations = set(settings.nations) if settings.nations else None
    chosen = [r for r in records if r.split == split and r.set in settings.sets
              and (nations is None or r.nation.upper() in nations)]
    if not chosen:
        raise DataError(f"{data}: the {split} split is empty after selecting sets={settings.sets} "
                        f"nations={settings.nations or 'all'} ({splits[split]} {split} rows before)")
    return chosen


def pair_texts(record: Any, tokenizer=None, chat_template: bool = False) -> dict[str, str]:
    """One preference pair in trl's explicit-prompt format, joined as navab_eval's MC scorer joins them."""
    from navab_eval import prompts

    context = prompts.mc_context(record.question, record.language, tokenizer=tokenizer, chat_template=chat_template)
    return {"prompt": context, "chosen": prompts.mc_continuation(record.statement, record.language),
            "rejected": prompts.mc_continuation(record.reverse_statement, record.language)}


def build_dataset(records: Sequence[Any], tokenizer=None, chat_template: bool = False):
    """A datasets.Dataset of {id, prompt, chosen, rejected}; drops rows whose S equals RS (no preference)."""
    from datasets import Dataset

    rows, skipped = [], []
    for r in records:
        if not (r.statement or "").strip() or not (r.reverse_statement or "").strip() \
                or r.statement.strip() == r.reverse_statement.strip():
            skipped.append(r.id)
            continue
        rows.append({"id": r.id, **pair_texts(r, tokenizer, chat_template)})
    if not rows:
        raise DataError(f"no usable preference pairs: all {len(records)} rows have an empty statement/reverse "
                        f"or identical statement and reverse (ids: {', '.join(skipped[:5])})")
    return Dataset.from_list(rows), skipped
