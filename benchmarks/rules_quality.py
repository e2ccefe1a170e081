"""Quality of the offline `rules` provider on real quotations nobody here wrote (docs/QUALITY.md).

Runs what the extract and construct stages ask of the provider (extract -> kind/speaker as stages/construct.py
decides it -> construct -> validate.triple_problem -> export.schema.set_of) on N real quotes per language and
counts them with the rubric below, for the git revision(s) named (default: HEAD, i.e. before, and the work tree,
i.e. after) in one run, so the two columns share the corpus, the sample and the rubric.

Corpora (fortune(6) files: quotes separated by "%", attribution lines like "-- J. F. Kennedy"):
  en  Debian package `fortunes`     /usr/share/games/fortunes/{politics,wisdom,people,law,education,literature}
  de  Debian package `fortunes-de`  /usr/share/games/fortunes/de/zitate
  zh  Debian package `fortunes-zh`  /usr/share/games/fortunes/chinese (Debian manual tips left out)
  fr  fortunes-fr 0.03 (Aurélien Jarno's collection, Debian's `fortunes-fr` until it left the archive; Debian 12
      has no French fortunes package): a folder holding its data/ tree, --fr-dir or $NAVAB_FORTUNES_FR,
      default /usr/share/games/fortunes/fr.
The corpora are not committed (quotations under "fair use"); a missing one stops the run with what to install.

Rubric, per language (automatic; the same code judges every revision):
  statements   statements extracted;  speakers: with a speaker;  quoted: in the quoted set (export set_of)
  attributed   statements from a quote that carries a person attribution line; spk_ok: of those, the speaker
               is the attributed person (name contained in the attribution line)
  valid        triples that pass validate.triple_problem (what `construct` stores)
  q_ok         valid question: Q1 one ?/？ at the end; Q2 no negation word (does not lean to S or RS) and no
               attribution residue (--, said, sagte, a déclaré, 表示...); Q3 length 6..2*len(S)+60; Q4 a template
               question names only content words (no pronoun/function word, no sentence-initial capital that
               is not a name); Q5 an inverted question uses only the statement's words plus the auxiliary
  rs_ok        valid reverse: R1 negate(RS) == S (round trip); R2 at most two edited regions (one cue rewritten);
               R3 none of the known broken forms (en "not not"/"do not needs"; de "nicht" before a pronoun or
               several words before the infinitive of a modal; fr "ne" before a vowel, "ne" without "pas";
               zh "不不"/"不没")
  usable       valid and q_ok and rs_ok;  inverted / fallback: questions by inversion, reverses by prefix
Run: python benchmarks/rules_quality.py [--n 300] [--seed 0] [--revs HEAD,worktree] [--sample 20] [--json]
"""
from __future__ import annotations

import argparse
import difflib
import glob
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ATTR = re.compile(r"^\s*(?:--|-\+-|—|―)\s*(?P<a>.+?)\s*(?:-\+-)?\s*$")


@dataclass
class Corpus:
    lang: str
    package: str
    root: str
    files: list[str]
    install: str
    skip_attr: str | None = None


def corpora(fr_dir: str | None) -> dict[str, Corpus]:
    fr_root = fr_dir or os.environ.get("NAVAB_FORTUNES_FR") or "/usr/share/games/fortunes/fr"
    return {
        "en": Corpus("en", "fortunes", "/usr/share/games/fortunes",
                     ["politics", "wisdom", "people", "law", "education", "literature"], "apt-get install fortunes"),
        "de": Corpus("de", "fortunes-de", "/usr/share/games/fortunes/de", ["zitate"], "apt-get install fortunes-de"),
        "zh": Corpus("zh", "fortunes-zh", "/usr/share/games/fortunes", ["chinese"], "apt-get install fortunes-zh",
                     skip_attr="Debian"),
        "fr": Corpus("fr", "fortunes-fr", fr_root,
                     [f"data/{d}/*" for d in ("politique", "philosophie", "litterature_francaise", "personnalites",
                                              "religion", "droit", "proverbes", "sciences")],
                     "Debian 12 has no French fortunes package: put the fortunes-fr 0.03 collection (its data/ "
                     "folder; public git mirror timruff/fortunes-fr) in a folder and pass --fr-dir DIR or set "
                     "NAVAB_FORTUNES_FR"),
    }


def package_version(c: Corpus) -> str:
    if c.lang == "fr":
        changes = Path(c.root, "CHANGES")
        m = re.search(r"fortunes-fr (\S+)", changes.read_text(encoding="utf-8")) if changes.exists() else None
        return f"fortunes-fr {m.group(1) if m else '?'} ({c.root})"
    try:
        v = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", c.package], capture_output=True, text=True,
                           check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        v = "?"
    return f"{c.package} {v}"


def load(c: Corpus, n: int, seed: int) -> list[dict]:
    """n quotes (deterministic sample) as {id, text, attribution}; exits with what to install when missing."""
    paths = sorted(p for f in c.files for p in glob.glob(os.path.join(c.root, f))
                   if os.path.isfile(p) and not p.endswith((".dat", ".u8", ".am", ".in")))
    if not paths:
        sys.exit(f"rules_quality: no {c.lang} corpus under {c.root} ({', '.join(c.files)}). Install it: {c.install}")
    entries = []
    for p in paths:
        raw = _ANSI.sub("", Path(p).read_text(encoding="utf-8", errors="replace"))
        for i, e in enumerate(re.split(r"\n%\n", raw)):
            lines = [ln for ln in e.strip("\n").split("\n")]
            attr, body = "", lines
            for j, ln in enumerate(lines):
                if _ATTR.match(ln) and j > 0:
                    attr = " ".join(x.strip() for x in lines[j:])
                    body = lines[:j]
                    break
            text = "\n".join(body).strip()
            if not (20 <= len(text) <= 400) or (c.skip_attr and c.skip_attr in attr):
                continue
            entries.append({"id": f"{Path(p).name}:{i}", "text": text + ("\n" + attr if attr else ""),
                            "attribution": attr})
    rng = random.Random(seed)
    return rng.sample(entries, min(n, len(entries)))


def person_of(attr: str) -> str | None:
    """The attributed person of a fortune's attribution line, None for a work or proverb only ("--《论语》")."""
    m = _ATTR.match(attr or "")
    if not m:
        return None
    a = re.split(r"[,(\"“《「]|\s-\+-", m.group("a"))[0].strip(" .")
    return a or None


# --- the rubric ---------------------------------------------------------------------------------------------
_NEG = {"en": r"\b(?:not(?! only)|never|no)\b|n't", "de": r"\b(?:nicht(?! nur)|kein\w*|nie)\b",
        "fr": r"\b(?:pas|jamais)\b", "zh": r"不(?!仅)|没|非|勿|别"}
_RESIDUE = {"en": r"--|\bsaid\b|\bsays\b", "de": r"--|\bsagte\b", "fr": r"--|-\+-|a déclaré|a dit\b",
            "zh": r"--|表示|指出|强调|称："}
_FUNCTION = {
    "en": set("i me my mine you your yours he him his she her hers it its we us our ours they them their theirs one "
              "who whom whose which what that this these those there here not no yes all any each every some none "
              "only just also very too so such than then when where why how if because though although while "
              "be is are was were been being do does did done have has had having can could may might shall "
              "should will would must get got let make made".split()),
    "de": set("ich mich mir du dich dir er ihn ihm sie ihr es wir uns euch ihnen man sich mein dein sein unser "
              "euer wer was welche welcher dies diese dieser jenes nicht kein keine nur auch sehr so dann wenn weil "
              "ob ist sind war waren hat haben wird werden kann können muss müssen soll sollen darf dürfen".split()),
    "fr": set("je me moi tu te toi il elle on nous vous ils elles se lui leur eux mon ton son ma ta sa mes tes ses "
              "qui que quoi dont où ce cet cette ces ça cela ceci rien tout tous toute toutes ne pas plus jamais "
              "est sont était être avoir ai as a avons avez ont fait faire peut doit faut".split()),
    "zh": set("我 你 他 她 它 我们 你们 他们 她们 自己 这 那 这个 那个 什么 怎么 为什么 不 没有 就是 因为 所以 如果 "
              "但是 而且 一个 没 有 是 会 能 要 可以".split()),
}
_QWORDS = {"en": {"do", "does", "did", "to"}, "de": set(), "fr": {"il", "elle", "on", "est", "ce", "que", "qu", "t"},
           "zh": {"吗", "是否"}}


def _words(s: str, lang: str) -> list[str]:
    if lang == "zh":
        return [ch for ch in s if "\u4e00" <= ch <= "\u9fff"]
    return [w.lower() for w in re.findall(r"[^\W\d_]+", s)]


def question_problem(q: str, s: str, lang: str, templates: dict[str, str], auxiliaries: set[str],
                     rs: str = "", agrees: dict[str, str] | None = None) -> str | None:
    agrees = agrees or {}
    q = q.strip()
    if q.count("?") + q.count("？") != 1 or not q.endswith(("?", "？")):
        return "Q1 not one question mark at the end"
    if re.search(_NEG[lang], q, re.I):
        return "Q2 negation in question"
    if re.search(_RESIDUE[lang], q):
        return "Q2 attribution residue"
    if not 6 <= len(q) <= 2 * len(s) + 60:
        return "Q3 length"
    agree = agrees.get(lang, "")
    if agree and q.startswith(agree.partition("{s}")[0][:8]):
        return None  # "Do you agree that S?": the statement itself, checked by Q1-Q3
    tpl = templates.get(lang, "")
    pre, _, post = tpl.partition("{kw}")
    if pre and q.startswith(pre.strip()[:12]):
        kws = q[len(pre):len(q) - len(post)] if q.endswith(post) else q[len(pre):]
        parts = re.split(r",\s*|\s+and\s+|\s+und\s+|\s+et\s+|、|和", kws) if lang != "zh" else re.split(r"、|和", kws)
        first = (re.findall(r"[^\W\d_]+", s) or [""])[0]
        for k in parts:
            k = k.strip()
            if not k or k.lower() in _FUNCTION[lang]:
                return f"Q4 function word {k!r} as issue"
            if lang in {"en", "fr"} and k == first and k[:1].isupper() and s.count(k) == 1:
                return f"Q4 sentence-initial word {k!r} as issue"
        return None
    first_word = re.split(r"[\s-]", q, 1)[0]
    extra = _QWORDS[lang] | {a.lower() for a in auxiliaries}
    if lang == "zh":
        qw, sw = _words(q.replace("是否", "").replace("吗", ""), lang), set(_words(s + rs, lang))
        if not set(qw) <= sw:
            return "Q5 words not in the statement"
        return None
    if first_word.lower() not in {a.lower() for a in auxiliaries} and not q.startswith(("Est-ce", "Faut-il")):
        return f"Q5 neither template nor auxiliary first ({first_word!r})"
    sw = set(_words(s + " " + rs, lang))
    bad = [w for w in _words(q, lang) if w not in sw and w not in extra]
    return f"Q5 words not in the statement {bad[:3]}" if bad else None


_BROKEN = {
    "en": [r"\bnot not\b", r"\bdo not needs\b", r"\bnot\s+\w+n't\b", r"\bcannot not\b", r"\bwill not not\b"],
    "de": [r"\bnicht\s+(?:uns|sich|mich|dich|euch|ihn|ihm|mir|dir)\b", r"\bnicht nicht\b", r"\bkein\w* nicht\b"],
    "fr": [r"\bne\s+[aeiouéèêàâîôûh]", r"\bne ne\b", r"\bpas pas\b", r"\bn'(?!\w)"],
    "zh": [r"不不", r"不没", r"没不", r"不是不是"],
}
_DE_MODAL_NICHT = re.compile(r"\b(?:darf|dürfen|muss|müssen|soll|sollte|sollten|kann|können|will|wollen)\s+nicht"
                             r"((?:\s+[\wäöüß]+){3,}?)\s+[\wäöüß]+en\b[^,;:]*[.!?]?$")


_CONTRACT = [(r"\bcan['’]t\b", "cannot"), (r"\bwon['’]t\b", "will not"), (r"n['’]t\b", " not"),
             (r"\b(it|that|there)['’]s\b", r"\1 is")]


def _same_words(a: str, b: str, lang: str) -> bool:
    """Equal as bags of words, contractions expanded (R1 accepts "can't" = "cannot", moved "nicht")."""
    def bag(x: str) -> list[str]:
        for pat, rep in _CONTRACT:
            x = re.sub(pat, rep, x, flags=re.I)
        return sorted(_words(x, lang))
    return bag(a) == bag(b)


def reverse_problem(rs: str, s: str, lang: str, negate) -> str | None:
    if rs.strip() == s.strip():
        return "R1 equal"
    try:
        if not _same_words(negate(rs, lang), s, lang):
            return "R1 no round trip"
    except Exception as e:  # noqa: BLE001 - the rubric reports, never crashes
        return f"R1 {type(e).__name__}"
    a, b = _words(s, lang), _words(rs, lang)
    regions = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(regions) > 2:
        return f"R2 {len(regions)} edited regions"
    for pat in _BROKEN[lang]:
        if re.search(pat, rs, re.I):
            return f"R3 broken form /{pat}/"
    if lang == "de":
        for clause in re.split(r"[,;:]", rs):
            if _DE_MODAL_NICHT.search(clause.strip()):
                return "R3 de nicht before the middle field"
    if lang == "fr" and re.search(r"\b(?:ne|n')\s*\w+", rs) and not re.search(
            r"\b(?:pas|jamais|plus|rien|point|guère|personne|aucun\w*)\b", rs):
        return "R3 fr ne without pas"
    return None


# --- one revision ---------------------------------------------------------------------------------------------
def run_inner(args) -> dict:
    import navab_graph
    from navab_graph.llm.negate import negate, polarity
    from navab_graph.llm.rules import QUESTION, RulesProvider
    from navab_graph.llm.validate import triple_problem

    try:
        from navab_graph.export.schema import set_of
    except ImportError:  # an old tree without the export contract
        def set_of(kind, speaker):
            return kind if kind in ("quoted", "official") else ("quoted" if speaker else "official")
    try:
        from navab_graph.llm.rules import AGREE, AUXILIARIES
    except ImportError:  # HEAD before this work: template questions only
        AGREE, AUXILIARIES = {}, {}
    out = {"tree": str(Path(navab_graph.__file__).parent), "langs": {}}
    cs = corpora(args.fr_dir)
    for lang in args.langs:
        c = cs[lang]
        entries = load(c, args.n, args.seed)
        p = RulesProvider()
        aux = set(AUXILIARIES.get(lang, ())) if isinstance(AUXILIARIES, dict) else set()
        m = {k: 0 for k in ("quotes", "statements", "speakers", "quoted", "attributed", "spk_ok", "valid", "q_ok",
                            "rs_ok", "usable", "inverted", "fallback")}
        m["quotes"] = len(entries)
        problems: dict[str, int] = {}
        rows = []
        t0 = time.perf_counter()
        for e in entries:
            person = person_of(e["attribution"])
            ex = p.extract(e["text"], lang)
            for st in ex.statements:
                m["statements"] += 1
                speaker = (st.speaker or "").strip() or None
                if speaker:  # what stages/construct.py does: a speaker makes it quoted, else the provider judges
                    kind = "quoted"
                else:
                    j = p.judge_source(st.text, e["text"], lang)
                    kind, speaker = j.kind, (j.speaker if j.kind == "quoted" else None)
                m["speakers"] += bool(speaker)
                m["quoted"] += set_of(kind, speaker) == "quoted"
                if person:
                    m["attributed"] += 1
                    m["spk_ok"] += bool(speaker) and _norm(speaker) in _norm(e["attribution"])
                t = p.construct(st.text, lang)
                valid = triple_problem(t, st.text, lang) is None
                qp = question_problem(t.question, st.text, lang, QUESTION, aux, t.reverse, AGREE)
                rp = reverse_problem(t.reverse, st.text, lang, negate)
                m["valid"] += valid
                m["q_ok"] += valid and qp is None
                m["rs_ok"] += valid and rp is None
                m["usable"] += valid and qp is None and rp is None
                tpl = QUESTION.get(lang, "")
                m["inverted"] += not t.question.startswith(tpl.partition("{kw}")[0].strip()[:12]) and not (
                    AGREE and t.question.startswith(AGREE.get(lang, "").partition("{s}")[0][:8]))
                m["fallback"] += polarity(t.reverse, lang) == 0 or polarity(st.text, lang) == 0
                for prob in (qp, rp):
                    if prob:
                        problems[prob.split(" ")[0] + " " + prob.split(" ", 2)[1]] = problems.get(
                            prob.split(" ")[0] + " " + prob.split(" ", 2)[1], 0) + 1
                rows.append({"lang": lang, "id": e["id"], "attribution": e["attribution"], "speaker": speaker,
                             "set": set_of(kind, speaker), "statement": st.text, "question": t.question,
                             "reverse": t.reverse, "q_problem": qp, "rs_problem": rp, "valid": valid,
                             "key": hashlib.sha256(f"{st.text}|{t.question}|{t.reverse}".encode()).hexdigest()[:12]})
        m["seconds"] = round(time.perf_counter() - t0, 3)
        out["langs"][lang] = {"corpus": package_version(c), "metrics": m, "problems": problems, "rows": rows}
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def run_rev(rev: str, args) -> dict:
    """The inner run in a fresh interpreter whose navab_graph is `git archive REV` (or the work tree)."""
    cmd = [sys.executable, __file__, "--inner", "--n", str(args.n), "--seed", str(args.seed),
           "--langs", ",".join(args.langs)] + (["--fr-dir", args.fr_dir] if args.fr_dir else [])
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if rev != "worktree":
            arch = subprocess.run(["git", "-C", str(REPO), "archive", rev, "navab_graph"], capture_output=True,
                                  check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=arch, check=True)
            env["PYTHONPATH"] = tmp + os.pathsep + env.get("PYTHONPATH", "")
        else:
            env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode:
        sys.exit(res.stderr.strip() or f"inner run for {rev} failed")
    return json.loads(res.stdout)


COLS = ["statements", "speakers", "quoted", "attributed", "spk_ok", "valid", "q_ok", "rs_ok", "usable", "inverted", "fallback"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300, help="quotes per language")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--langs", default="en,de,fr,zh")
    ap.add_argument("--revs", default="HEAD,worktree", help="git revisions to compare; 'worktree' = files as they are")
    ap.add_argument("--fr-dir", default=None)
    ap.add_argument("--sample", type=int, default=0, help="print K triples per language of the last revision")
    ap.add_argument("--labels", default=str(REPO / "benchmarks" / "rules_quality_labels.json"),
                    help="hand labels (key -> {q, rs}: ok|bad) compared with the automatic rubric")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.langs = [x for x in args.langs.split(",") if x]
    if args.inner:
        print(json.dumps(run_inner(args), ensure_ascii=False))
        return
    for lang in args.langs:  # fail early, with what to install, before any revision runs
        load(corpora(args.fr_dir)[lang], 1, args.seed)
    revs = [r for r in args.revs.split(",") if r]
    results = {r: run_rev(r, args) for r in revs}
    if args.json:
        print(json.dumps({r: {k: {kk: vv for kk, vv in v.items() if kk != "rows"} for k, v in res["langs"].items()}
                          for r, res in results.items()}, ensure_ascii=False, indent=1))
        return
    print(f"rules provider on real quotes: n={args.n} per language, seed={args.seed}")
    for lang in args.langs:
        print(f"  {lang}: {results[revs[-1]]['langs'][lang]['corpus']}")
    print(f"{'lang':4} {'rev':9} {'quotes':>6} " + " ".join(f"{c:>10}" for c in COLS))
    totals = {r: {c: 0 for c in ["quotes", *COLS]} for r in revs}
    for lang in args.langs:
        for r in revs:
            m = results[r]["langs"][lang]["metrics"]
            for c in totals[r]:
                totals[r][c] += m[c]
            print(f"{lang:4} {r[:9]:9} {m['quotes']:>6} " + " ".join(f"{m[c]:>10}" for c in COLS))
    for r in revs:
        t = totals[r]
        print(f"{'all':4} {r[:9]:9} {t['quotes']:>6} " + " ".join(f"{t[c]:>10}" for c in COLS))
    for r in revs:
        print(f"usable triples per 100 quotes, {r}: "
              + ", ".join(f"{lang} {100 * results[r]['langs'][lang]['metrics']['usable'] / max(1, results[r]['langs'][lang]['metrics']['quotes']):.1f}"
                          for lang in args.langs))
    last = results[revs[-1]]["langs"]
    print(f"automatic rubric failures ({revs[-1]}):")
    for lang in args.langs:
        probs = sorted(last[lang]["problems"].items(), key=lambda kv: -kv[1])
        print(f"  {lang}: " + ", ".join(f"{k} {v}" for k, v in probs[:8]))
    _compare_labels(last, args)
    if args.sample:
        for lang in args.langs:
            rows = [r for r in last[lang]["rows"] if r["valid"]]
            for row in random.Random(args.seed).sample(rows, min(args.sample, len(rows))):
                print(json.dumps({k: row[k] for k in ("lang", "key", "speaker", "set", "statement", "question",
                                                      "reverse", "q_problem", "rs_problem")}, ensure_ascii=False))


def _compare_labels(last: dict, args) -> None:
    path = Path(args.labels)
    if not path.exists():
        return
    labels = json.loads(path.read_text(encoding="utf-8"))["labels"]
    for lang in args.langs:
        rows = {r["key"]: r for r in last[lang]["rows"]}
        mine = {k: v for k, v in labels.items() if v.get("lang") == lang}
        seen = [(rows[k], v) for k, v in mine.items() if k in rows]
        if not mine:
            continue
        q_ok = sum(v["q"] == "ok" for _, v in seen)
        rs_ok = sum(v["rs"] == "ok" for _, v in seen)
        agree = sum((v["q"] == "ok") == (r["q_problem"] is None) and (v["rs"] == "ok") == (r["rs_problem"] is None)
                    for r, v in seen)
        print(f"hand-checked {lang}: {len(seen)}/{len(mine)} labelled triples still produced; question ok "
              f"{q_ok}/{len(seen)}, reverse ok {rs_ok}/{len(seen)}; automatic rubric agrees on {agree}/{len(seen)}")


if __name__ == "__main__":
    main()
