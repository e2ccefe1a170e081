"""Snapshot files written per docs/SNAPSHOT_FORMAT.md, for the training tests. A module of its own, not in
conftest: `from conftest import ...` is ambiguous when the three test folders run in one session."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

COLUMNS = ["id", "nation", "set", "question", "statement", "reverse_statement", "language", "topic", "speaker",
           "source", "article_id", "url", "published", "split", "cr_status", "cr_round", "cr_reason"]
SEED = "navab-v1"

# The nation's stance is always the positive verb; several antonym pairs so that a random model's
# preference is mixed (about half right) and a learnt preference shows.
VERBS = [("helps", "harms"), ("supports", "hurts"), ("protects", "endangers"), ("improves", "worsens"),
         ("benefits", "damages"), ("strengthens", "weakens"), ("welcomes", "rejects")]
TOPICS = ["school", "river", "tax", "rail", "farm", "coast", "clinic", "museum", "market", "bridge",
          "forest", "harbor", "library", "stadium", "factory", "airport", "garden", "canal", "tower", "village"]


def split_of(row_id: str, seed: str = SEED) -> str:
    return "train" if int(hashlib.sha256(f"{seed}:{row_id}".encode()).hexdigest()[:8], 16) % 100 < 80 else "test"


def make_rows(nation: str = "US", n: int = 20, lang: str = "en", removed_every: int = 0,
              sets=("quoted", "official")) -> list[dict]:
    """Synthetic triples: S says the project helps, RS that it harms (one pattern the model can learn)."""
    rows = []
    for i in range(n):
        kind = sets[i % len(sets)]
        topic = TOPICS[i % len(TOPICS)] + ("" if i < len(TOPICS) else f" {i}")
        good, bad = VERBS[i % len(VERBS)]
        statement = f"The new {topic} plan {good} people."
        rid = hashlib.sha256(f"{nation}|{kind}|{statement}".encode()).hexdigest()[:16]
        removed = bool(removed_every) and i % removed_every == removed_every - 1
        rows.append({
            "id": rid, "nation": nation, "set": kind,
            "question": f"Does the new {topic} plan help people?",
            "statement": statement, "reverse_statement": f"The new {topic} plan {bad} people.",
            "language": lang, "topic": topic, "speaker": "A. Speaker" if kind == "quoted" else None,
            "source": "test-news", "article_id": f"a{i}", "url": f"https://example.org/{i}",
            "published": "2024-01-01", "split": split_of(rid),
            "cr_status": "removed" if removed else "kept", "cr_round": 1 if removed else None,
            "cr_reason": "minority side of a cyclic conflict" if removed else None,
        })
    return rows


def write_snapshot(out: Path, rows: list[dict], nation: str = "US", with_cr: bool = True) -> Path:
    """Write <out>/<NATION>/{quoted,official}.{parquet,jsonl} + manifest.json exactly as specified."""
    ndir = out / nation
    ndir.mkdir(parents=True, exist_ok=True)
    files, counts = {}, {}
    for kind in ("quoted", "official"):
        part = sorted((r for r in rows if r["set"] == kind), key=lambda r: r["id"])
        df = pd.DataFrame(part, columns=COLUMNS)
        df["cr_round"] = df["cr_round"].astype("Int64")
        for c in COLUMNS:
            if c != "cr_round":
                df[c] = df[c].astype("string")
        df.to_parquet(ndir / f"{kind}.parquet", index=False)
        with (ndir / f"{kind}.jsonl").open("w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        train = sum(r["split"] == "train" for r in part)
        counts[kind] = {"train": train, "test": len(part) - train, "total": len(part)}
        for ext in ("parquet", "jsonl"):
            name = f"{kind}.{ext}"
            files[name] = hashlib.sha256((ndir / name).read_bytes()).hexdigest()
    manifest = {
        "schema_version": "1.0", "nation": nation, "with_conflict_reduction": with_cr,
        "pipeline_version": "0.1.0", "config_hash": "test", "created_at": "2026-11-28T17:00:00Z",
        "split_seed": SEED, "counts": counts, "files": files,
    }
    (ndir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return out
