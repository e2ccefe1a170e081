"""Planted-conflict fixtures for the link and reduce tests.

- `write_planted_graph(store, ...)`: the direct graph writer (navab_graph.reduce.synthetic) for reduce tests;
- `planted_corpus(path, nation)`: a multilingual JSONL news corpus for `navab-graph load` + `link` + `reduce`.
  Per nation (zh / en / fr / de): three issues with a majority stance stated by six speakers, and one minority
  statement that asserts the reverse, placed in a linked context (the same speaker as a majority statement, so
  a social LINKED edge closes the cycle); plus one look-alike issue whose two opposite statements sit inside
  long articles about unrelated things (cooking, astronomy) by unrelated speakers, which must be kept.
Returns the planted truth: statement ids of minority / majority / look-alike statements.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from navab_graph.reduce.synthetic import Planted, generate
from navab_graph.reduce.write import write_signed_graph

LANG = {"US": "en", "FR": "fr", "DE": "de", "CN": "zh"}

# issue -> (positive core, reverse core) per language
ISSUES = {
    "en": [("the government must expand subsidies for renewable energy",
            "the government must not expand subsidies for renewable energy"),
           ("the state should protect the independence of public broadcasting",
            "the state should not protect the independence of public broadcasting"),
           ("the country must invest more in the national rail network",
            "the country must not invest more in the national rail network"),
           ("parliament should raise the minimum wage", "parliament should not raise the minimum wage")],
    "fr": [("le gouvernement doit augmenter les subventions aux énergies renouvelables",
            "le gouvernement ne doit pas augmenter les subventions aux énergies renouvelables"),
           ("l'État doit protéger l'indépendance de l'audiovisuel public",
            "l'État ne doit pas protéger l'indépendance de l'audiovisuel public"),
           ("le pays doit investir davantage dans le réseau ferroviaire national",
            "le pays ne doit pas investir davantage dans le réseau ferroviaire national"),
           ("le parlement doit augmenter le salaire minimum", "le parlement ne doit pas augmenter le salaire minimum")],
    "de": [("die Regierung muss die Förderung erneuerbarer Energien ausbauen",
            "die Regierung darf die Förderung erneuerbarer Energien nicht ausbauen"),
           ("der Staat muss die Unabhängigkeit des öffentlichen Rundfunks schützen",
            "der Staat darf die Unabhängigkeit des öffentlichen Rundfunks nicht schützen"),
           ("das Land muss mehr in das nationale Schienennetz investieren",
            "das Land darf nicht mehr in das nationale Schienennetz investieren"),
           ("das Parlament muss den Mindestlohn erhöhen", "das Parlament darf den Mindestlohn nicht erhöhen")],
    "zh": [("政府应该扩大对可再生能源的补贴", "政府不应该扩大对可再生能源的补贴"),
           ("国家应该保护公共广播的独立性", "国家不应该保护公共广播的独立性"),
           ("国家应该加大对全国铁路网络的投资", "国家不应该加大对全国铁路网络的投资"),
           ("议会应该提高最低工资", "议会不应该提高最低工资")],
}
FRAMES = {
    "en": ["{sp} said that {core}.", "According to {sp}, {core}.", "{sp} stressed on Tuesday that {core}.",
           "In a speech, {sp} argued that {core}.", "{sp} told reporters that {core}.", "{sp} wrote that {core}."],
    "fr": ["{sp} a déclaré que {core}.", "Selon {sp}, {core}.", "{sp} a souligné mardi que {core}.",
           "Dans un discours, {sp} a affirmé que {core}.", "{sp} a dit aux journalistes que {core}.",
           "{sp} a écrit que {core}."],
    "de": ["{sp} sagte, {core}.", "{sp} betonte am Dienstag, {core}.", "{sp} erklärte, {core}.",
           "In einer Rede sagte {sp}, {core}.", "{sp} sagte Journalisten, {core}.", "{sp} schrieb, {core}."],
    "zh": ["{sp}表示，{core}。", "据{sp}说，{core}。", "{sp}周二强调，{core}。", "{sp}在讲话中指出，{core}。",
           "{sp}对记者说，{core}。", "{sp}撰文称，{core}。"],
}
FILLER = {
    "en": ["Slow-cooked stews need patience: brown the onions, add the root vegetables and let the pot simmer "
           "for three hours. A spoonful of mustard brightens the sauce. Serve with fresh bread.",
           "Astronomers observed a faint comet near Jupiter last night. Its tail stretched across two degrees of "
           "sky. Amateur telescopes could see it before dawn."],
    "fr": ["Les ragoûts mijotés demandent de la patience : faites revenir les oignons, ajoutez les légumes et "
           "laissez cuire trois heures. Une cuillère de moutarde relève la sauce. Servez avec du pain frais.",
           "Des astronomes ont observé une comète pâle près de Jupiter la nuit dernière. Sa queue s'étendait sur "
           "deux degrés du ciel. Les télescopes amateurs pouvaient la voir avant l'aube."],
    "de": ["Schmorgerichte brauchen Geduld: Zwiebeln anbraten, Wurzelgemüse dazugeben und drei Stunden köcheln "
           "lassen. Ein Löffel Senf macht die Soße frischer. Dazu frisches Brot servieren.",
           "Astronomen beobachteten letzte Nacht einen schwachen Kometen nahe Jupiter. Sein Schweif erstreckte "
           "sich über zwei Grad des Himmels. Mit Amateurteleskopen war er vor der Dämmerung sichtbar."],
    "zh": ["慢炖菜需要耐心：先把洋葱炒香，加入根茎蔬菜，然后小火炖三个小时。一勺芥末能让酱汁更鲜亮。配新鲜面包食用。",
           "天文学家昨晚在木星附近观测到一颗暗淡的彗星。它的彗尾横跨天空两度。业余望远镜在黎明前就能看到它。"],
}


@dataclass
class PlantedCorpus:
    minority: set[str] = field(default_factory=set)
    majority: set[str] = field(default_factory=set)
    lookalike: set[str] = field(default_factory=set)


def planted_corpus(path: Path, nation: str, truth: PlantedCorpus | None = None) -> PlantedCorpus:
    """Append a nation's planted articles to a JSONL file; the truth sets hold statement *texts* (the loader
    derives statement ids)."""
    lang = LANG[nation]
    truth = truth or PlantedCorpus()
    frames = FRAMES[lang]
    rows = []
    for k, (pos, neg) in enumerate(ISSUES[lang][:3]):
        speakers = [f"{nation} Speaker {k}{m}" for m in range(6)]
        for m, sp in enumerate(speakers):
            s, rs = frames[m].format(sp=sp, core=pos), frames[m].format(sp=sp, core=neg)
            rows.append(_article(f"{nation}-a{k}-{m}", s, s, rs, sp))
            truth.majority.add(s)
        # the minority: a speaker of the majority turns around in another article (a linked context)
        sp = speakers[0]
        s, rs = frames[1].format(sp=sp, core=neg), frames[1].format(sp=sp, core=pos)
        rows.append(_article(f"{nation}-a{k}-x", s, s, rs, sp))
        truth.minority.add(s)
    pos, neg = ISSUES[lang][3]
    for m, (core, rev) in enumerate([(pos, neg), (neg, pos)]):
        sp = f"{nation} Outsider {m}"
        s, rs = frames[2 * m].format(sp=sp, core=core), frames[2 * m].format(sp=sp, core=rev)
        body = FILLER[lang][m] + " " + s + " " + FILLER[lang][m]
        rows.append(_article(f"{nation}-look-a{m}", body, s, rs, sp, title=FILLER[lang][m][:40]))
        truth.lookalike.add(s)
    with open(path, "a", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return truth


def _article(aid, body, statement, reverse, speaker, title=None):
    return {"id": aid, "title": title or "", "text": body,
            "statements": [{"text": statement, "reverse": reverse, "speaker": speaker, "kind": "quoted"}]}


def write_planted_graph(store, nations=("US", "FR"), n_articles: int = 800, seed: int = 0) -> dict[str, Planted]:
    """Several nations written directly; no shortcuts between contexts, so look-alikes stay acyclic."""
    out = {}
    for k, nation in enumerate(nations):
        p = generate(n_articles, nation=nation, seed=seed + k, long_range=0.0, contested=0.4, lookalike=0.3,
                     context_size=25)
        write_signed_graph(store, p.graph, nation)
        out[nation] = p
    return out
