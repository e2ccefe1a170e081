"""Deterministic generator of the bundled, SYNTHETIC news-like sample corpus (CN, US, GB, FR, DE).

One JSONL file per nation (examples/data/<NATION>.jsonl: id, title, text, published, url, source) and a ground
truth file (examples/data/<NATION>.truth.json) naming the planted conflicts. Same seed -> byte-identical files.

Per nation: 5 value-related topics (2 stance issues each) and 3 non-value topics (weather, sports,
entertainment). Every value article states 1-3 stance sentences with the cue frames of content/<lang>.py.
Planted conflicts, chosen per nation by the seed:
- linked_minority (3 issues): many articles state the majority stance; 2 articles state the reverse stance in a
  linked context (same speaker, organization, city and source as a majority article, same sentence frame).
  Conflict Reduction is expected to remove these minority statements.
- lookalike (2 issues): 1 article states the reverse stance in an unrelated context (a letters source, a city
  no other article mentions, a speaker seen nowhere else, no other statement). Expected to stay kept.

Usage:  python examples/generate.py                 # writes examples/data/
        python examples/generate.py --check         # exit 1 when the committed files differ from a regeneration
"""
from __future__ import annotations

import importlib.util
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import typer

HERE = Path(__file__).resolve().parent
NATION_LANG = {"CN": "zh", "US": "en", "GB": "en", "FR": "fr", "DE": "de"}
N_LINKED, N_LOOKALIKE, N_MINORITY = 3, 2, 2


def _content(lang: str):
    spec = importlib.util.spec_from_file_location(f"_navab_sample_{lang}", HERE / "content" / f"{lang}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Nation:
    """Builds one nation's articles; every random choice goes through one seeded Random."""

    def __init__(self, nation: str, seed: int):
        self.nation, self.lang = nation, NATION_LANG[nation]
        self.c = _content(self.lang)
        self.n = self.c.NATIONS[nation]
        self.rng = random.Random(f"navab-sample:{seed}:{nation}")
        self.sep = "" if self.lang == "zh" else " "
        self.articles: list[dict] = []
        self.statements: list[dict] = []

    def speaker(self, role: str, name: str) -> str:
        fmt = getattr(self.c, "SPEAKER_FORMAT", "{role}" + self.sep + "{name}")
        return fmt.format(role=role, name=name) if role else name

    def clause(self, issue: str, stance: str, frame: str, sp: tuple[str, str] | None, city: str) -> str:
        """One stance sentence; sp = (role, name) for a quoted frame ({sp}: role and name, {name}: name only)."""
        _, maj, rev = self.c.ISSUES[issue]
        v, r = maj if stance == "majority" else rev
        s = self.n["country"]
        text = frame.format(sp=self.speaker(*sp) if sp else "", name=sp[1] if sp else "", s=s, S=_cap(s), v=v,
                            r=r, city=city)
        return _cap(" ".join(text.split()) if self.lang != "zh" else text)

    def canonical(self, issue: str, stance: str) -> str:
        _, maj, rev = self.c.ISSUES[issue]
        v, r = maj if stance == "majority" else rev
        return _cap(self.sep.join(p for p in (self.n["country"], v, r) if p)) + ("。" if self.lang == "zh" else ".")

    def fill(self, pool: list[str], k: int, city: str) -> list[str]:
        """k distinct filler sentences, the first one naming the city (the article's place, for geo links)."""
        first = self.rng.choice([s for s in pool if "{city}" in s])
        picked = [first] + self.rng.sample([s for s in pool if s != first], k - 1)
        return [s.format(city=city, n=self.rng.randint(2, 40), Country=self.n["Country"]) for s in picked]

    def date(self, near: str | None = None) -> str:
        if near:
            return (date.fromisoformat(near) + timedelta(days=self.rng.randint(1, 6))).isoformat()
        return (date(2024, 1, 1) + timedelta(days=self.rng.randint(0, 350))).isoformat()

    def add(self, topic: str, body: list[str], city: str, source: str, published: str,
            stmts: list[dict]) -> dict:
        title = self.rng.choice(self.c.TOPICS[topic]["titles"]).format(city=city, Country=self.n["Country"])
        art = {"_topic": topic, "title": title, "text": self.sep.join(body), "published": published,
               "source": source, "_city": city}
        self.articles.append(art)
        for s in stmts:
            s["_article"] = art
            self.statements.append(s)
        return art

    def value_article(self, issue: str, sibling: str, quoted: bool) -> dict:
        topic = self.c.ISSUES[issue][0]
        city = self.rng.choice(self.n["cities"])
        source = self.rng.choice(self.n["sources"])
        role, name, org = self.rng.choice(self.n["speakers"])
        fi = self.rng.randrange(len(self.c.FRAMES_QUOTED if quoted else self.c.FRAMES_OFFICIAL))
        frame = (self.c.FRAMES_QUOTED if quoted else self.c.FRAMES_OFFICIAL)[fi]
        text = self.clause(issue, "majority", frame, (role, name), city)
        stmts = [{"issue": issue, "stance": "majority", "kind": "quoted" if quoted else "official",
                  "speaker": name if quoted else None, "text": text}]
        filler = self.fill(self.c.TOPICS[topic]["filler"], self.rng.randint(2, 3), city)  # distinct sentences
        body = filler[:1] + [text]
        if quoted and self.rng.random() < 0.7:
            body.append(self.c.ORG_SENTENCE.format(name=name, org=org))
        body += filler[1:]
        if self.rng.random() < 0.55:  # a second stance sentence on the sibling issue, official voice
            f2 = self.rng.choice(self.c.FRAMES_OFFICIAL)
            t2 = self.clause(sibling, "majority", f2, None, city)
            stmts.append({"issue": sibling, "stance": "majority", "kind": "official", "speaker": None, "text": t2})
            body.append(t2)
            if self.rng.random() < 0.3:  # and sometimes a third, quoted, by another speaker
                r3, n3, _ = self.rng.choice([s for s in self.n["speakers"] if s[1] != name])
                f3 = self.rng.choice(self.c.FRAMES_QUOTED)
                t3 = self.clause(sibling, "majority", f3, (r3, n3), city)
                stmts.append({"issue": sibling, "stance": "majority", "kind": "quoted", "speaker": n3, "text": t3})
                body.append(t3)
        art = self.add(topic, body, city, source, self.date(), stmts)
        art["_ctx"] = {"speaker": (role, name, org), "frame": frame, "quoted": quoted}
        return art

    def minority_article(self, issue: str, host: dict) -> dict:
        """The reverse stance in the host's context: same speaker, organization, city, source and frame."""
        topic = self.c.ISSUES[issue][0]
        role, name, org = host["_ctx"]["speaker"]
        city = host["_city"]
        text = self.clause(issue, "reverse", host["_ctx"]["frame"], (role, name), city)
        filler = self.fill(self.c.TOPICS[topic]["filler"], 3, city)
        body = filler[:1] + [text, self.c.ORG_SENTENCE.format(name=name, org=org)] + filler[1:]
        st = {"issue": issue, "stance": "minority", "kind": "quoted", "speaker": name, "text": text,
              "context_of": host}
        return self.add(topic, body, city, host["source"], self.date(host["published"]), [st])

    def lookalike_article(self, issue: str, k: int) -> dict:
        topic = self.c.ISSUES[issue][0]
        city = self.n["isolated"][k % len(self.n["isolated"])]
        role, name = self.n["locals"][k % len(self.n["locals"])]
        frame = self.c.FRAMES_QUOTED[self.c.LOOKALIKE_FRAME]
        text = self.clause(issue, "reverse", frame, (role, name), city)
        body = self.fill(self.c.REGIONAL, 2, city) + [text] + self.fill(self.c.TOPICS[topic]["filler"], 1, city)
        st = {"issue": issue, "stance": "lookalike", "kind": "quoted", "speaker": name, "text": text}
        return self.add(topic, body, city, self.n["regional_source"], self.date(), [st])

    def build(self) -> tuple[list[dict], dict]:
        issues = sorted(self.c.ISSUES)
        plan = issues[:]
        self.rng.shuffle(plan)
        planted = {i: "linked_minority" for i in plan[:N_LINKED]}
        planted.update({i: "lookalike" for i in plan[N_LINKED:N_LINKED + N_LOOKALIKE]})
        siblings = {i: next(j for j in issues if j != i and self.c.ISSUES[j][0] == self.c.ISSUES[i][0])
                    for i in issues}
        majority: dict[str, list[dict]] = {}
        for issue in issues:
            n = 12 if planted.get(issue) == "linked_minority" else self.rng.randint(9, 11)
            # the first two are quoted, so a linked minority always has a speaker context to copy
            majority[issue] = [self.value_article(issue, siblings[issue], k < 2 or self.rng.random() < 0.6)
                               for k in range(n)]
        look_k = 0
        for issue in issues:
            if planted.get(issue) == "linked_minority":
                for host in majority[issue][:N_MINORITY]:
                    self.minority_article(issue, host)
            elif planted.get(issue) == "lookalike":
                self.lookalike_article(issue, look_k)
                look_k += 1
        for topic, spec in self.c.TOPICS.items():
            if spec["value"]:
                continue
            for _ in range(self.rng.randint(20, 26)):
                city = self.rng.choice(self.n["cities"])
                self.add(topic, self.fill(spec["filler"], self.rng.randint(3, 5), city), city,
                         self.rng.choice(self.n["sources"]), self.date(), [])
        return self.finish(issues, planted)

    def finish(self, issues: list[str], planted: dict[str, str]) -> tuple[list[dict], dict]:
        self.rng.shuffle(self.articles)  # ids do not reveal topics or planted items
        rows = []
        for k, a in enumerate(self.articles, 1):
            a["id"] = f"{self.nation.lower()}-{k:04d}"
            a["url"] = f"https://news.example.org/{self.nation.lower()}/{a['source']}/{a['id']}"
            rows.append({key: a[key] for key in ("id", "title", "text", "published", "url", "source")})
        truth_issues = []
        for issue in issues:
            mine = [s for s in self.statements if s["issue"] == issue]
            planted_items = [{"article": s["_article"]["id"], "text": s["text"], "speaker": s["speaker"],
                              "city": s["_article"]["_city"], "source": s["_article"]["source"],
                              **({"context_of": s["context_of"]["id"]} if "context_of" in s else {}),
                              "expected_status": "removed" if s["stance"] == "minority" else "kept"}
                             for s in mine if s["stance"] != "majority"]
            truth_issues.append({
                "id": issue, "topic": self.c.ISSUES[issue][0], "statement": self.canonical(issue, "majority"),
                "reverse": self.canonical(issue, "reverse"), "planted": planted.get(issue),
                "majority_articles": sorted({s["_article"]["id"] for s in mine if s["stance"] == "majority"}),
                "majority_statements": sum(s["stance"] == "majority" for s in mine),
                "minority": [p for p in planted_items if p["expected_status"] == "removed"],
                "lookalikes": [p for p in planted_items if p["expected_status"] == "kept"]})
        topics = [{"key": t, "label": spec["label"], "value_related": spec["value"],
                   "articles": sum(a["_topic"] == t for a in self.articles)} for t, spec in self.c.TOPICS.items()]
        truth = {
            "nation": self.nation, "lang": self.lang, "synthetic": True,
            "note": "Synthetic sample corpus made by examples/generate.py. In the graph, Article.id is "
                    "'<source>:<id>' where <source> is the load's --source (default: the file stem, e.g. 'CN').",
            "articles": len(rows), "topics": topics, "issues": truth_issues,
            "article_topics": {a["id"]: a["_topic"] for a in sorted(self.articles, key=lambda a: a["id"])},
            "statements": [{"article": s["_article"]["id"], "issue": s["issue"], "stance": s["stance"],
                            "kind": s["kind"], "speaker": s["speaker"], "text": s["text"]}
                           for s in sorted(self.statements, key=lambda s: (s["_article"]["id"], s["text"]))]}
        return sorted(rows, key=lambda r: r["id"]), truth


def generate(nation: str, seed: int = 7) -> tuple[list[dict], dict]:
    """(articles, truth) of one nation; deterministic in (nation, seed)."""
    if nation not in NATION_LANG:
        raise ValueError(f"no sample content for nation {nation!r} (have {', '.join(NATION_LANG)})")
    rows, truth = _Nation(nation, seed).build()
    truth["seed"] = seed
    return rows, truth


def render(nation: str, seed: int = 7) -> dict[str, str]:
    """File name -> exact file text."""
    rows, truth = generate(nation, seed)
    return {f"{nation}.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
            f"{nation}.truth.json": json.dumps(truth, ensure_ascii=False, indent=1) + "\n"}


def main(out: Path = typer.Option(HERE / "data", "--out", help="Output folder."),
         nations: str = typer.Option(",".join(NATION_LANG), "--nations", help="Comma-separated ISO codes."),
         seed: int = typer.Option(7, "--seed", help="Generator seed (the committed files use 7)."),
         check: bool = typer.Option(False, "--check", help="Compare with the files in --out; write nothing.")):
    """Write (or --check) the synthetic sample corpus.

    Example: python examples/generate.py --out examples/data --nations CN,FR
    """
    stale = []
    for nation in [n.strip().upper() for n in nations.split(",") if n.strip()]:
        try:
            files = render(nation, seed)
        except ValueError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2)
        for name, text in files.items():
            path = out / name
            if check:
                if not path.is_file() or path.read_text(encoding="utf-8") != text:
                    stale.append(str(path))
                continue
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {path} ({len(text.encode())} bytes)")
    if stale:
        typer.echo("differs from a regeneration: " + ", ".join(stale), err=True)
        raise typer.Exit(1)


if __name__ == "__main__":
    sys.exit(typer.run(main))
