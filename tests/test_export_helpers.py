"""Fixture builders shared by tests/test_export_*.py and tests/test_results_*.py (no tests here).

Fixtures are built the way users build graphs: JSONL articles carrying ready-made statements, loaded with
`navab-graph load`; what later stages would write (topics, CR status) is set with `navab-graph cypher --write`.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

from navab_loaders.records import statement_id

TOPICS = ["外交 diplomacy", "经济 economy", "科技 technology"]
SPEAKERS = ["王毅", "Hua Chunying", None]


def cn_articles(n: int = 12) -> list[dict]:
    """n CN articles with two statements each: one quoted (speaker), one official; article 0 also has an
    incomplete statement (no reverse) and article 1 a statement without kind but with a speaker."""
    arts = []
    for i in range(n):
        sts = [
            {"text": f"中国坚持和平发展道路 {i}。", "question": f"中国对和平发展的立场是什么？{i}",
             "reverse": f"中国放弃和平发展道路 {i}。", "speaker": SPEAKERS[i % 2], "kind": "quoted"},
            {"text": f"The government supports open trade, item {i}.", "question": f"Does it support trade? {i}",
             "reverse": f"The government opposes open trade, item {i}.", "kind": "official"},
        ]
        if i == 0:
            sts.append({"text": "只有陈述没有问题。", "kind": "official"})
        if i == 1:
            sts.append({"text": "无类别但有发言人。", "question": "问题？", "reverse": "相反的陈述。",
                        "speaker": "发言人甲"})
        arts.append({"id": f"a{i:02d}", "title": f"标题 {i}", "text": f"正文 {i} " * 5,
                     "url": f"https://news.example.cn/{i}", "published": f"2024-03-{i + 1:02d}", "statements": sts})
    return arts


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def load_cn(cli, tmp_path: Path, n: int = 12, source: str = "xinhua") -> list[dict]:
    arts = cn_articles(n)
    cli("load", str(write_jsonl(tmp_path / f"{source}.jsonl", arts)), "--nation", "CN", "--source", source)
    return arts


def sid(article: dict, st: dict, source: str = "xinhua", nation: str = "CN") -> str:
    return statement_id(nation, st["text"].strip(), f"{source}:{article['id']}")


def text_split(nation: str, statement: str, seed: str = "navab-v1", train_percent: int = 80) -> str:
    """The split rule as docs/SNAPSHOT_FORMAT.md writes it (the oracle; not the exporter's code)."""
    normalized = " ".join(unicodedata.normalize("NFC", statement).split())
    bucket = int(hashlib.sha256((seed + ":" + nation + "|" + normalized).encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < train_percent else "test"


def set_topics(cli, source: str = "xinhua", n: int = 12) -> dict[str, str]:
    """Article i -> topic TOPICS[i % 3] via IN_TOPIC (as the topics stage writes it)."""
    out = {}
    for i in range(n):
        label = TOPICS[i % len(TOPICS)]
        cli("cypher", "MATCH (a:Article {id: $a}) MERGE (t:Topic {id: $t}) SET t.label = $l, t.nation = 'CN' "
            "MERGE (a)-[:IN_TOPIC]->(t)", "-p", f"a={source}:a{i:02d}", "-p", f"t=CN:{i % 3}", "-p",
            f"l={label}", "--write")
        out[f"{source}:a{i:02d}"] = label
    return out


def remove(cli, statement_id_: str, round_: int, reason: str) -> None:
    """Mark a statement removed as Conflict Reduction does (status, round, reason; nothing deleted)."""
    cli("cypher", "MATCH (s:Statement {id: $id}) SET s.status = 'removed', s.removed_round = $r, "
        "s.removed_reason = $why", "-p", f"id={statement_id_}", "-p", f"r={round_}", "-p", f"why={reason}",
        "--write")


def says(res, needle: str) -> bool:
    """Does the CLI output contain needle? Whitespace-blind: rich wraps (and folds long paths) at 80 columns."""
    return "".join(needle.split()) in "".join(res.output.split())
