"""MC scoring speed: navab-eval's packed shared-prefix scorer vs lm-evaluation-harness's HFLM, same items, same run.

    OMP_WAIT_POLICY=PASSIVE python -u benchmarks/mc.py [--n 58] [--batch-size 8] [--repeats 3]

Model: the offline SmolLM2-135M-Instruct (GGUF, dequantised to float32) on CPU, one model object shared by both
scorers. Items: --n <question, S, RS> triples in zh/de/en/fr built deterministically below (statements of one
to eight sentences, mostly one, up to ~250 tokens; RS repeats the first j of S's k sentences, j uniform in 0..k-1,
then says the opposite, so S and RS share prefixes of varying length). Scored with the plain prompt and with the
chat template.
Both sides get the same strings, the same batch size (lm-eval: sequences per forward pass; navab-eval: items, i.e.
two sequences, per pass) and the same BOS policy (auto = the tokenizer's own, lm-eval's default). Timed: the public
entry points, tokenisation included (lm-eval's ``HFLM.loglikelihood``, navab-eval's ``HFBackend.score_pairs``),
alternating, best of --repeats. Agreement: per-continuation summed log-likelihood, relative difference.
The naive-vs-shared helpers (encode_items, time_scorers, report) are reused by benchmarks/mc_gpu.py.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch: spinning threads distort a busy machine

# Per language: (question stems, framings, sentence pairs (statement sentence, its reverse)). Framings make every
# question distinct without repeating a context verbatim.
TEXTS = {
    "en": (
        ["Should the government spend more on public transport and infrastructure?",
         "Should universities open their doors wider to students from poor families?",
         "Has free trade been good for ordinary workers?",
         "Do independent courts strengthen democracy?",
         "Is a free press good for the nation?",
         "Does immigration benefit the country?",
         "Should climate policy come before short-term growth?",
         "Should the state guarantee healthcare for every citizen?"],
        ["", "In your view, ", "Thinking of the next ten years, ", "As a citizen, "],
        [("The government should invest more in public transport to cut emissions and congestion in our cities.",
          "The government should invest less in public transport and leave mobility to private companies."),
         ("Universities must remain open to students from every social background.",
          "Universities must select students on merit alone, whatever their social background."),
         ("Free trade agreements have raised living standards for ordinary workers.",
          "Free trade agreements have cost ordinary workers their jobs and their wages."),
         ("Independent courts are essential to protect the rights of minorities.",
          "Independent courts too often block the will of the elected majority."),
         ("A free press holds the powerful to account and strengthens democracy.",
          "A free press too often spreads division and weakens trust in our institutions."),
         ("Immigrants contribute to the economy and enrich the culture of the nation.",
          "Immigrants put pressure on public services and on the wages of local workers."),
         ("Climate policy should put the long-term health of the planet before short-term growth.",
          "Climate policy should never put the planet before the jobs and growth people need today."),
         ("Healthcare is a right that the state must guarantee to every citizen.",
          "Healthcare is a service that citizens should pay for through private insurance.")]),
    "zh": (
        ["政府是否应该加大对公共交通和基础设施的投入？", "高校是否应该向低收入家庭的学生敞开大门？", "自由贸易是否有利于普通劳动者？",
         "科技创新对国家发展是否重要？", "是否应该把生态环境保护放在经济增长之前？", "医疗是否应该由国家保障？",
         "乡村振兴是否需要政府持续投入？", "新闻媒体是否应该发挥舆论监督作用？"],
        ["", "你认为，", "从长远来看，", "作为公民，"],
        [("政府应当继续加大对公共交通的投入，以减少排放、缓解城市拥堵。", "政府不应当继续加大对公共交通的投入，出行应交给市场解决。"),
         ("高校应当向各个社会阶层的学生敞开大门。", "高校应当只按考试成绩录取学生，不必考虑家庭背景。"),
         ("自由贸易协定提高了普通劳动者的生活水平。", "自由贸易协定让普通劳动者失去了工作和收入。"),
         ("科技创新是推动国家高质量发展的核心动力，必须持续加大投入。", "科技创新对国家发展的作用被夸大了，不必持续加大投入。"),
         ("我们必须坚持绿水青山就是金山银山的理念，保护好生态环境。", "我们必须把经济增长放在首位，生态环境保护可以往后放。"),
         ("医疗是一项基本权利，国家必须保障每一位公民都看得起病。", "医疗是一项普通服务，公民应当通过商业保险自行承担费用。"),
         ("乡村振兴关系到共同富裕，政府应当持续加大投入。", "乡村振兴应当主要依靠市场力量，政府不应当再增加投入。"),
         ("新闻媒体应当发挥舆论监督作用，推动社会进步。", "新闻媒体应当减少批评报道，以维护社会稳定。")]),
    "de": (
        ["Soll der Staat mehr in Nahverkehr und Infrastruktur investieren?",
         "Sollen Hochschulen Studierenden aus allen Schichten offenstehen?",
         "Hat der Freihandel den Arbeitnehmern genützt?", "Stärkt eine unabhängige Justiz die Demokratie?",
         "Soll Deutschland den Ausstieg aus der Kohle beschleunigen?", "Sollte die Schuldenbremse gelockert werden?",
         "Stärkt Zuwanderung die deutsche Wirtschaft?", "Soll die gesetzliche Krankenversicherung für alle gelten?"],
        ["", "Ihrer Meinung nach: ", "Mit Blick auf die nächsten zehn Jahre: ", "Als Bürger gefragt: "],
        [("Die Bundesregierung soll mehr in den öffentlichen Nahverkehr investieren, um Emissionen und Staus zu "
          "verringern.", "Die Bundesregierung soll weniger in den öffentlichen Nahverkehr investieren und die "
          "Mobilität dem Markt überlassen."),
         ("Hochschulen müssen Studierenden aus allen sozialen Schichten offenstehen.",
          "Hochschulen müssen Studierende allein nach ihren Leistungen auswählen, unabhängig von ihrer Herkunft."),
         ("Freihandelsabkommen haben den Lebensstandard der Arbeitnehmer erhöht.",
          "Freihandelsabkommen haben die Arbeitnehmer Arbeitsplätze und Löhne gekostet."),
         ("Eine unabhängige Justiz schützt die Rechte von Minderheiten.",
          "Eine unabhängige Justiz blockiert zu oft den Willen der gewählten Mehrheit."),
         ("Deutschland soll den Kohleausstieg beschleunigen, um das Klima zu schützen.",
          "Deutschland soll länger an der Kohle festhalten, um Arbeitsplätze zu sichern."),
         ("Die Schuldenbremse sollte für Investitionen in Schulen und Brücken gelockert werden.",
          "Die Schuldenbremse sollte unverändert bleiben, damit künftige Generationen nicht belastet werden."),
         ("Zuwanderung stärkt die Wirtschaft und lindert den Fachkräftemangel.",
          "Zuwanderung belastet die Sozialsysteme und drückt die Löhne."),
         ("Die gesetzliche Krankenversicherung muss allen Bürgern eine gute Versorgung garantieren.",
          "Die gesetzliche Krankenversicherung sollte durch private Vorsorge ersetzt werden.")]),
    "fr": (
        ["L'État doit-il investir davantage dans les transports publics ?",
         "L'université doit-elle rester ouverte à tous les milieux sociaux ?",
         "Le libre-échange a-t-il profité aux travailleurs ?", "La France doit-elle augmenter le salaire minimum ?",
         "La laïcité doit-elle s'appliquer à l'école publique ?", "L'immigration est-elle une chance pour le pays ?",
         "Une presse libre renforce-t-elle la démocratie ?", "La santé doit-elle être garantie par l'État ?"],
        ["", "Selon vous, ", "Dans les dix prochaines années, ", "En tant que citoyen, "],
        [("L'État doit investir davantage dans les transports publics pour réduire les émissions et les "
          "embouteillages.",
          "L'État doit investir moins dans les transports publics et laisser la mobilité au marché."),
         ("L'université doit rester ouverte aux étudiants de tous les milieux sociaux.",
          "L'université doit sélectionner les étudiants sur leurs seuls résultats, quel que soit leur milieu."),
         ("Les accords de libre-échange ont amélioré le niveau de vie des travailleurs.",
          "Les accords de libre-échange ont coûté aux travailleurs leurs emplois et leurs salaires."),
         ("La France doit augmenter le salaire minimum pour protéger le pouvoir d'achat.",
          "La France doit geler le salaire minimum pour protéger l'emploi."),
         ("La laïcité protège la liberté de conscience de tous les élèves de l'école publique.",
          "La laïcité ne devrait plus s'appliquer à l'école publique."),
         ("L'immigration contribue à l'économie et enrichit la culture du pays.",
          "L'immigration pèse sur les services publics et sur les salaires."),
         ("Une presse libre oblige les puissants à rendre des comptes et renforce la démocratie.",
          "Une presse libre divise trop souvent la société et affaiblit la confiance."),
         ("La santé est un droit que l'État doit garantir à chaque citoyen.",
          "La santé est un service que chacun devrait payer par une assurance privée.")]),
}
LANGUAGES = ("zh", "de", "en", "fr")
SENTENCES = (1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 5, 8)  # sentences per statement: mostly one, a few long
MAX_CHARS = {"zh": 130, "de": 700, "fr": 700, "en": 1400}  # ~250 SmolLM2 tokens per statement


def bench_triples(n: int, seed: int = 20261202) -> list[tuple[str, str, str, str]]:
    """n (language, question, S, RS), deterministic. S: k sentences in a random order; RS: the first j of them
    (j uniform in 0..k-1), then the reverse of the rest; the last sentences are dropped while either is longer than
    ~250 tokens. Questions are distinct (stem x framing) up to 32 per language."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = LANGUAGES[i % len(LANGUAGES)]
        stems, framings, pairs = TEXTS[lang]
        r = i // len(LANGUAGES)
        framing, stem = framings[(r // len(stems)) % len(framings)], stems[r % len(stems)]
        if framing.endswith(", "):  # en/fr: the question continues the framing's sentence
            stem = stem[0].lower() + stem[1:]
        q = framing + stem
        k = rng.choice(SENTENCES)
        chosen = rng.sample(range(len(pairs)), k)
        j = rng.randrange(k)
        sep = "" if lang == "zh" else " "
        while True:
            s = sep.join(pairs[x][0] for x in chosen)
            rs = sep.join([pairs[x][0] for x in chosen[:j]] + [pairs[x][1] for x in chosen[j:]])
            if len(chosen) == 1 or max(len(s), len(rs)) <= MAX_CHARS[lang]:
                break
            chosen.pop()
            j = min(j, len(chosen) - 1)
        out.append((lang, q, s, rs))
    return out


def bench_requests(tokenizer, n: int, chat_template: bool) -> list[tuple[str, str, str]]:
    """(context, " S", " RS") strings exactly as navab-eval's MC builds them."""
    from navab_eval.prompts import mc_context, mc_continuation

    return [(mc_context(q, lang, tokenizer, chat_template), mc_continuation(s, lang), mc_continuation(rs, lang))
            for lang, q, s, rs in bench_triples(n)]


def encode_items(tokenizer, n: int, chat_template: bool, add_bos: bool | str = True):
    """n token triples (ctx, cont_S, cont_RS) of the bench items (add_bos: a bool or a policy auto|always|never)."""
    from navab_eval.backends.base import encode_pair, resolve_add_bos

    add_bos = resolve_add_bos(add_bos, tokenizer)
    items = []
    for ctx, a, b in bench_requests(tokenizer, n, chat_template):
        c1, ta = encode_pair(tokenizer, ctx, a, add_bos)
        c2, tb = encode_pair(tokenizer, ctx, b, add_bos)
        assert c1 == c2
        items.append((c1, ta, tb))
    return items


def time_scorers(model, items, batch_size: int, max_length: int, pad_id: int, repeats: int, sync=lambda: None):
    """Token-level naive two-sequence scorer vs packed shared-prefix scorer (used by mc_gpu.py): best-of-`repeats`
    seconds for each (alternating, so load drift hits both), and the max relative difference of their NLLs."""
    from navab_eval.backends.scoring import naive_loglikelihood, shared_prefix_pairs

    flat = [(c, x) for c, a, b in items for x in (a, b)]
    fns = {"naive": lambda: naive_loglikelihood(model, flat, 2 * batch_size, max_length, pad_id),
           "shared": lambda: shared_prefix_pairs(model, items, batch_size, max_length, pad_id)}
    best, outs = alternate(fns, repeats, sync)
    res_n, res_s = outs["naive"], outs["shared"]
    diff = max(abs(x.nll - y.nll) / abs(y.nll) for (a, b), (c, d) in
               zip(res_s, zip(res_n[0::2], res_n[1::2])) for x, y in ((a, c), (b, d)))
    return best, diff, res_s


def alternate(fns: dict, repeats: int, sync=lambda: None, cpu: dict | None = None):
    """Run each function once to warm up, then `repeats` rounds in turn. -> (best wall seconds, last outputs);
    cpu, if given, receives the best process CPU seconds (all threads) of each: on a shared machine the wall time
    of a run depends on what else runs, its CPU time much less."""
    outs = {name: fn() for name, fn in fns.items()}
    best = {name: float("inf") for name in fns}
    best_cpu = {name: float("inf") for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            sync()
            t, c = time.perf_counter(), time.process_time()
            outs[name] = fn()
            sync()
            best[name] = min(best[name], time.perf_counter() - t)
            best_cpu[name] = min(best_cpu[name], time.process_time() - c)
    if cpu is not None:
        cpu.update(best_cpu)
    return best, outs


def lm_eval_tokens(items, batch_size: int) -> tuple[int, int]:
    """(real input tokens, tokens incl. right padding) of lm-eval's pass: one sequence per continuation, sorted
    longest first, batches of batch_size sequences padded to their longest."""
    lens = sorted((len(c) + len(x) - 1 for c, a, b in items for x in (a, b)), reverse=True)
    padded = sum(lens[i] * len(lens[i:i + batch_size]) for i in range(0, len(lens), batch_size))
    return sum(lens), padded


def vs_lm_eval(model, tok, requests, batch_size: int, repeats: int, sync=lambda: None):
    """-> (best wall seconds {lm-eval, navab-eval}, max relative logprob difference, same is_greedy, navab stats
    with the best CPU seconds under "cpu")."""
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    from navab_eval.backends.hf import HFBackend

    lm = HFLM(pretrained=model, tokenizer=tok, batch_size=batch_size, device=str(model.device))
    be = HFBackend(model, tok, batch_size=batch_size, bos="auto")
    insts = [Instance("loglikelihood", {}, (ctx, x), idx=k) for k, (ctx, a, b) in enumerate(requests)
             for x in (a, b)]
    fns = {"lm-eval": lambda: lm.loglikelihood(insts, disable_tqdm=True),
           "navab-eval": lambda: be.score_pairs(requests)}
    cpu: dict = {}
    best, outs = alternate(fns, repeats, sync, cpu)
    ours = [x for pair in outs["navab-eval"] for x in pair]
    diff = max(abs(x.logprob - ll) / abs(ll) for x, (ll, _) in zip(ours, outs["lm-eval"]))
    greedy_same = all(x.is_greedy == g for x, (_, g) in zip(ours, outs["lm-eval"]))
    return best, diff, greedy_same, {**be.last_stats, "cpu": cpu, "flops": flops_per_token(model)}


def flops_per_token(model) -> tuple[int, int]:
    """(decoder, LM head) matmul FLOPs per token: 2 x their weights (attention scores and elementwise work left
    out)."""
    head = model.get_output_embeddings().weight.numel()
    body = sum(p.numel() for n, p in model.get_decoder().named_parameters() if "embed" not in n)
    return 2 * body, 2 * head


def token_stats(items):
    ctx = sum(len(c) for c, _, _ in items) / len(items)
    cont = sum((len(a) + len(b)) / 2 for _, a, b in items) / len(items)
    return ctx, cont


def report(label: str, items, best, diff) -> None:
    """Naive vs shared lines (mc_gpu.py)."""
    n = len(items)
    ctx, cont = token_stats(items)
    print(f"[{label}] {n} pairs, mean context {ctx:.1f} tokens, mean answer {cont:.1f} tokens")
    print(f"  naive two-sequence : {best['naive']:.3f} s  {n / best['naive']:.2f} pairs/s")
    print(f"  shared prefix      : {best['shared']:.3f} s  {n / best['shared']:.2f} pairs/s")
    print(f"  speed-up {best['naive'] / best['shared']:.2f}x   max relative NLL difference {diff:.2e}")


def report_lm_eval(label: str, items, batch_size: int, best, diff, greedy_same, stats) -> None:
    n = len(items)
    ctx, cont = token_stats(items)
    longest = max(max(len(a), len(b)) for _, a, b in items)
    real, padded = lm_eval_tokens(items, batch_size)
    ours = stats["tokens"]
    print(f"[{label}] {n} pairs, mean context {ctx:.1f} tokens, mean answer {cont:.1f} tokens, longest answer "
          f"{longest}")
    body, head = stats["flops"]
    theirs_f, ours_f = padded * (body + head), ours * body + stats["head"] * head
    print(f"  tokens through the model: lm-eval {real:,} + {padded - real:,} padding; navab-eval {ours:,} (prefix "
          f"{stats['prefix']} once, no padding) in {stats['passes']} passes; LM head on {padded:,} vs "
          f"{stats['head']:,} positions; token bound {padded / ours:.2f}x")
    print(f"  matmul work (2 x weights per token): lm-eval {theirs_f / 1e12:.2f} TFLOP, navab-eval "
          f"{ours_f / 1e12:.2f} TFLOP: bound {theirs_f / ours_f:.2f}x (before attention and elementwise work)")
    cpu = stats["cpu"]
    for name, label in (("lm-eval", "lm-eval HFLM     "), ("navab-eval", "navab-eval packed")):
        print(f"  {label}: {best[name]:.3f} s  {n / best[name]:.2f} pairs/s   (CPU {cpu[name]:.1f} s)")
    print(f"  ratio vs lm-eval {best['lm-eval'] / best['navab-eval']:.2f}x (CPU time "
          f"{cpu['lm-eval'] / cpu['navab-eval']:.2f}x)   max relative log-likelihood difference {diff:.2e}   "
          f"same is_greedy: {greedy_same}")


def machine_line() -> str:
    import torch

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.machine()} {os.cpu_count()} CPUs, torch {torch.__version__}, threads "
            f"{torch.get_num_threads()}, load average {load:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=58)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    import lm_eval
    import transformers

    from navab_eval.models import load_model

    model, tok = load_model("smollm2", device="cpu", dtype="float32")
    print(f"SmolLM2-135M-Instruct float32 CPU; {machine_line()}; batch {args.batch_size}; lm-eval "
          f"{lm_eval.__version__}, transformers {transformers.__version__}")
    for chat in (False, True):
        requests = bench_requests(tok, args.n, chat)
        items = encode_items(tok, args.n, chat, "auto")
        best, diff, greedy_same, stats = vs_lm_eval(model, tok, requests, args.batch_size, args.repeats)
        report_lm_eval("chat template" if chat else "plain prompt", items, args.batch_size, best, diff,
                       greedy_same, stats)
    print(f"load average after the run {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
