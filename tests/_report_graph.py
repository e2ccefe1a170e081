"""Shared set-up of the report tests: a graph built from the bundled sample corpus through the CLI, and result
files written by the real producers (navab_eval.summary.summarize, navab_train.table.write_tables).

The stages that write topics, statements and reduction rounds are built by other issues; until `navab-graph run`
wires them, this writes their graph state the way they do (named fixture statements under cypher/report/), from
the corpus' ground truth: every article gets its true topic and map coordinates, every planted statement is
loaded as a ready-made statement, and the planted minority statements are marked removed by CR.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from navab_graph.report.sample_state import write_sample_state

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "data"


def truth(nation: str) -> dict:
    return json.loads((DATA / f"{nation}.truth.json").read_text(encoding="utf-8"))


def write_corpus_with_statements(nation: str, out: Path) -> Path:
    """The nation's sample articles, each carrying its planted statements (question and reverse included)."""
    t = truth(nation)
    issues = {i["id"]: i for i in t["issues"]}
    by_article: dict[str, list[dict]] = {}
    for s in t["statements"]:
        issue = issues[s["issue"]]
        # the reverse of a minority / lookalike statement is the majority stance, and vice versa
        reverse = issue["statement"] if s["stance"] != "majority" else issue["reverse"]
        by_article.setdefault(s["article"], []).append(
            {"text": s["text"], "question": issue["statement"].rstrip(".。") + "?", "reverse": reverse,
             "speaker": s["speaker"], "kind": s["kind"]})
    path = out / f"{nation}.jsonl"
    with path.open("w", encoding="utf-8") as f, (DATA / f"{nation}.jsonl").open(encoding="utf-8") as src:
        for line in src:
            rec = json.loads(line)
            if rec["id"] in by_article:
                rec["statements"] = by_article[rec["id"]]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def write_topics_and_reduction(store, nation: str) -> dict:
    """Topic nodes + Article.x/y + removed minority statements + ReductionRun rounds; returns what was written."""
    return write_sample_state(store, truth(nation))


def write_eval_results(out: Path, nations: list[str]) -> dict[tuple, float]:
    """summary.json files of two models, made by navab-eval's own summarizer from per-item results."""
    from navab_eval.summary import summarize

    expected = {}
    for m_i, model in enumerate(["smollm2-135m", "tiny-llama"]):
        rng = random.Random(model)
        items = []
        for nation in nations:
            for set_ in ("quoted", "official"):
                for method in ("mc", "aj"):
                    n = 40
                    correct = [rng.random() < (0.8 if method == "mc" else 0.45) - 0.1 * m_i for _ in range(n)]
                    expected[(model, nation, set_, method)] = sum(correct) / n
                    items += [{"id": f"{nation}-{set_}-{k}", "nation": nation, "set": set_, "split": "test",
                               "method": method, "model": model, "backend": "hf", "correct": c}
                              for k, c in enumerate(correct)]
        d = out / model
        d.mkdir(parents=True, exist_ok=True)
        (d / "items.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
        (d / "summary.json").write_text(json.dumps(summarize(items), indent=1), encoding="utf-8")
    return expected


def write_ablation(out: Path, nations: list[str], model: str = "smollm2-135m") -> dict[tuple, float]:
    """navab-train's ablation.csv / ablation.md, written by its own table writer."""
    import pandas as pd
    from navab_train.table import write_tables

    rows, expected = [], {}
    rng = random.Random("ablation")
    for variant, bump in (("NaVAB without CR", -0.03), ("NaVAB with CR", 0.0), ("NaVAB with CR + DPO", 0.05)):
        for nation in nations:
            for set_ in ("quoted", "official"):
                for method in ("MC", "AJ"):
                    rate = round(0.5 + bump + rng.uniform(-0.02, 0.02), 4)
                    expected[(variant, nation, set_, method)] = rate
                    rows.append({"variant": variant, "method": method, "set": set_, "nation": nation,
                                 "correct_rate": rate, "n": 20})
    write_tables(pd.DataFrame(rows), out, model)
    return expected


def build_everything(cli, store, tmp: Path, nations=("FR", "CN")) -> dict:
    """Load the sample corpus of `nations` through the CLI, write the later stages' state and result files."""
    facts = {"nations": list(nations), "graph": {}}
    for n in nations:
        cli("load", str(write_corpus_with_statements(n, tmp)), "--nation", n)
        facts["graph"][n] = write_topics_and_reduction(store, n)
        facts["graph"][n]["articles"] = truth(n)["articles"]
    facts["eval"] = write_eval_results(tmp / "results", list(nations))
    facts["ablation"] = write_ablation(tmp / "ablation", list(nations))
    return facts
