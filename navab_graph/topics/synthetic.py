"""Deterministic synthetic news corpus with known topics, in zh / en / fr / de (tests and benchmarks).

Hand-written because no library generates multilingual topic-labelled news. Six topics per language: three
value-related (rights, sovereignty, elections: their sentences carry the words of the offline value lexicon)
and three that are not (football, weather, cooking: written to avoid every value-lexicon word). A document is a
title plus three sentences drawn from its topic, each with a random number, so texts are (almost) unique.
"""
from __future__ import annotations

import random
from typing import Any

VALUE_TOPICS = ("rights", "sovereignty", "elections")
TOPICS = VALUE_TOPICS + ("football", "weather", "cooking")
NATION_OF = {"zh": "CN", "en": "US", "fr": "FR", "de": "DE"}

S: dict[str, dict[str, list[str]]] = {
    "en": {
        "rights": ["Activists said freedom of speech and human rights must be protected by law.",
                   "The court ruled that the rights of {n} detained journalists were violated.",
                   "Lawyers demanded equality before the law and an end to discrimination.",
                   "The constitution guarantees freedom of religion to every citizen, judges said.",
                   "{n} groups called for justice for victims of racism and discrimination.",
                   "A new law on civil liberties and human rights passed with {n} votes."],
        "sovereignty": ["The ministry said national sovereignty and territorial integrity are not negotiable.",
                        "Officials rejected foreign interference and defended the independence of the nation.",
                        "{n} navy ships patrolled the disputed islands to assert sovereignty.",
                        "The government said the border dispute threatens national security.",
                        "Leaders vowed to defend sovereignty over the territory claimed by {n} neighbours.",
                        "Diplomats warned that the independence movement violates the constitution."],
        "elections": ["Voters went to the polls as the election tested democracy in {n} districts.",
                      "The candidate promised democratic reform and a fair election campaign.",
                      "Turnout reached {n} percent in the presidential election on Sunday.",
                      "Observers said the election was free and the democratic process was respected.",
                      "The party won {n} seats and will lead the next government.",
                      "Debates on democracy and voting rights dominated the election."],
        "football": ["The striker scored {n} goals as the team won the championship final.",
                     "Fans cheered in the stadium when the goalkeeper saved a penalty.",
                     "The coach praised the midfield after a {n}-1 victory in the league match.",
                     "The club signed a young winger for {n} million after a long transfer saga.",
                     "The referee showed a red card in the second half of the derby.",
                     "Supporters sang for {n} minutes after the last-minute equaliser."],
        "weather": ["Forecasters expect heavy rain and strong winds across the coast tomorrow.",
                    "Temperatures will drop to minus {n} degrees with snow in the mountains.",
                    "A sunny weekend is ahead, with highs of {n} degrees and light clouds.",
                    "Thunderstorms and hail hit the region, flooding {n} streets overnight.",
                    "Fog will slow morning traffic before the sun breaks through the clouds.",
                    "The meteorological office issued a heat warning for {n} towns."],
        "cooking": ["Mix the flour, butter and sugar, then bake the cake for {n} minutes.",
                    "The chef shared a recipe for tomato soup with garlic and basil.",
                    "Fry the onions until golden, add the rice and simmer for {n} minutes.",
                    "This dessert needs {n} eggs, fresh cream and a pinch of vanilla.",
                    "Season the roast chicken with lemon, thyme and olive oil.",
                    "Slice the vegetables thinly and grill them over a hot fire for {n} minutes."],
    },
    "zh": {
        "rights": ["律师表示，言论自由和人权必须受到法律保护。", "法院裁定{n}名记者的权利受到侵犯。",
                   "代表呼吁法律面前人人平等，反对一切歧视。", "宪法保障每个公民的宗教自由和基本权利。",
                   "{n}个团体呼吁维护公平正义，保障人权。", "新的人权法律以{n}票获得通过。"],
        "sovereignty": ["外交部表示，国家主权和领土完整不容谈判。", "发言人强调，坚决反对外国干涉中国内政。",
                        "{n}艘舰船在岛屿附近巡逻，维护国家主权。", "政府表示，维护国家统一和领土完整是核心利益。",
                        "领导人誓言捍卫主权，反对{n}个国家的领土要求。", "官员指出，分裂国家的独立活动违反宪法。"],
        "elections": ["选民前往投票站，{n}个选区举行选举。", "候选人承诺推进民主改革，保证选举公平。",
                      "本次选举的投票率达到百分之{n}。", "观察员表示，选举过程自由公正，民主程序得到尊重。",
                      "该党赢得{n}个席位，将组建新一届政府。", "关于民主和选举权利的辩论成为焦点。"],
        "football": ["前锋攻入{n}球，球队赢得联赛冠军。", "门将扑出点球，球场里的球迷欢呼雀跃。",
                     "主教练称赞中场表现，球队以{n}比1获胜。", "俱乐部以{n}百万签下一名年轻边锋。",
                     "裁判在下半场向后卫出示红牌。", "比赛最后时刻扳平比分，球迷高歌{n}分钟。"],
        "weather": ["气象台预计明天沿海地区有大雨和强风。", "山区气温将降至零下{n}度，并伴有降雪。",
                    "周末天气晴朗，最高气温{n}度，云量较少。", "雷暴和冰雹袭击该地区，{n}条街道被淹。",
                    "早晨有大雾，中午以后转晴。", "气象部门对{n}个城镇发布高温预警。"],
        "cooking": ["把面粉、黄油和糖混合，烤{n}分钟做成蛋糕。", "厨师分享了番茄汤的做法，加入大蒜和罗勒。",
                    "把洋葱炒至金黄，加入米饭焖{n}分钟。", "这道甜点需要{n}个鸡蛋、奶油和香草。",
                    "用柠檬、百里香和橄榄油腌制烤鸡。", "把蔬菜切成薄片，用大火烤{n}分钟。"],
    },
    "fr": {
        "rights": ["Les militants affirment que la liberté d'expression et les droits de l'homme sont essentiels.",
                   "Le tribunal a jugé que les droits de {n} journalistes avaient été violés.",
                   "Les avocats réclament l'égalité devant la loi et la fin de la discrimination.",
                   "La constitution garantit la liberté de religion et la laïcité, selon les juges.",
                   "{n} associations demandent justice pour les victimes de discrimination.",
                   "Une loi sur les libertés et les droits fondamentaux a été adoptée par {n} voix."],
        "sovereignty": ["Le ministère affirme que la souveraineté nationale n'est pas négociable.",
                        "Les responsables rejettent toute ingérence et défendent la souveraineté du pays.",
                        "{n} navires ont patrouillé près des îles pour affirmer la souveraineté.",
                        "Le gouvernement estime que le conflit frontalier menace la sécurité nationale.",
                        "Les dirigeants promettent de défendre la souveraineté face à {n} voisins.",
                        "Les diplomates jugent que le mouvement indépendantiste viole la constitution."],
        "elections": ["Les électeurs ont voté dans {n} circonscriptions lors d'une élection décisive.",
                      "Le candidat promet une démocratie vivante et une élection transparente.",
                      "La participation a atteint {n} pour cent à l'élection présidentielle.",
                      "Les observateurs estiment que l'élection a respecté la démocratie.",
                      "Le parti a obtenu {n} sièges et formera le prochain gouvernement.",
                      "Les débats sur la démocratie et le vote ont dominé l'élection."],
        "football": ["L'attaquant a marqué {n} buts et l'équipe a gagné la finale du championnat.",
                     "Les supporters ont chanté quand le gardien a arrêté le penalty.",
                     "L'entraîneur a salué le milieu après une victoire {n} à 1.",
                     "Le club a recruté un jeune ailier pour {n} millions d'euros.",
                     "L'arbitre a sorti un carton rouge en seconde période du derby.",
                     "Les supporters ont fêté l'égalisation pendant {n} minutes."],
        "weather": ["Les prévisionnistes annoncent de fortes pluies et du vent sur la côte demain.",
                    "Les températures descendront à moins {n} degrés avec de la neige en montagne.",
                    "Un week-end ensoleillé s'annonce, avec {n} degrés et quelques nuages.",
                    "Des orages et de la grêle ont inondé {n} rues pendant la nuit.",
                    "Le brouillard ralentira la circulation avant le retour du soleil.",
                    "Météo-France a émis une alerte canicule pour {n} communes."],
        "cooking": ["Mélangez la farine, le beurre et le sucre, puis enfournez le gâteau {n} minutes.",
                    "Le chef partage sa recette de soupe à la tomate, à l'ail et au basilic.",
                    "Faites dorer les oignons, ajoutez le riz et laissez mijoter {n} minutes.",
                    "Ce dessert demande {n} œufs, de la crème fraîche et une pincée de vanille.",
                    "Assaisonnez le poulet rôti avec du citron, du thym et de l'huile d'olive.",
                    "Coupez les légumes en fines tranches et grillez-les {n} minutes."],
    },
    "de": {
        "rights": ["Aktivisten sagen, Meinungsfreiheit und Menschenrechte müssen geschützt werden.",
                   "Das Gericht entschied, dass die Rechte von {n} Journalisten verletzt wurden.",
                   "Anwälte fordern Gleichheit vor dem Gesetz und ein Ende der Diskriminierung.",
                   "Das Grundgesetz garantiert die Freiheit der Religion, sagten die Richter.",
                   "{n} Verbände fordern Gerechtigkeit für die Opfer von Diskriminierung.",
                   "Ein Gesetz über Freiheit und Menschenrechte wurde mit {n} Stimmen beschlossen."],
        "sovereignty": ["Das Ministerium erklärte, die Souveränität des Landes sei nicht verhandelbar.",
                        "Vertreter lehnen ausländische Einmischung ab und verteidigen die Souveränität.",
                        "{n} Schiffe patrouillierten vor den Inseln, um die Souveränität zu zeigen.",
                        "Die Regierung sagt, der Grenzkonflikt bedrohe die Sicherheit des Landes.",
                        "Die Führung verspricht, die Souveränität gegen {n} Nachbarn zu verteidigen.",
                        "Diplomaten warnen, die Unabhängigkeitsbewegung verletze die Verfassung."],
        "elections": ["Die Wähler gingen in {n} Wahlkreisen zur Wahl, ein Test für die Demokratie.",
                      "Der Kandidat verspricht mehr Demokratie und einen fairen Wahlkampf.",
                      "Die Beteiligung an der Wahl lag bei {n} Prozent.",
                      "Beobachter sagen, die Wahl sei frei gewesen und die Demokratie respektiert.",
                      "Die Partei gewann {n} Sitze und wird die nächste Regierung führen.",
                      "Debatten über Demokratie und Wahlen prägten den Wahlkampf."],
        "football": ["Der Stürmer erzielte {n} Tore und die Mannschaft gewann das Pokalfinale.",
                     "Die Fans jubelten im Stadion, als der Torwart den Elfmeter hielt.",
                     "Der Trainer lobte das Mittelfeld nach einem {n}:1 Sieg in der Bundesliga.",
                     "Der Verein holte einen jungen Flügelspieler für {n} Millionen Euro.",
                     "Der Schiedsrichter zeigte in der zweiten Halbzeit eine rote Karte.",
                     "Die Anhänger sangen {n} Minuten lang nach dem späten Ausgleich."],
        "weather": ["Meteorologen erwarten morgen starken Regen und Sturm an der Küste.",
                    "Die Temperaturen fallen auf minus {n} Grad, in den Bergen schneit es.",
                    "Ein sonniges Wochenende steht bevor, mit {n} Grad und wenigen Wolken.",
                    "Gewitter und Hagel überfluteten in der Nacht {n} Straßen.",
                    "Nebel bremst am Morgen den Verkehr, danach scheint die Sonne.",
                    "Der Wetterdienst meldet große Hitze in {n} Orten."],
        "cooking": ["Mehl, Butter und Zucker verrühren und den Kuchen {n} Minuten backen.",
                    "Der Koch teilt sein Rezept für Tomatensuppe mit Knoblauch und Basilikum.",
                    "Die Zwiebeln goldbraun braten, den Reis zugeben und {n} Minuten köcheln.",
                    "Für dieses Dessert braucht man {n} Eier, Sahne und etwas Vanille.",
                    "Das Brathähnchen mit Zitrone, Thymian und Olivenöl würzen.",
                    "Das Gemüse in dünne Scheiben schneiden und {n} Minuten grillen."],
    },
}


def generate(lang: str, per_topic: int, seed: int = 0, topics: tuple[str, ...] = TOPICS,
             nation: str | None = None, start: int = 0, mixed: float = 0.0,
             noise: int = 0) -> list[dict[str, Any]]:
    """Articles {id, nation, lang, title, text, topic} for one language, ordered by topic then index.

    A share `mixed` of the documents borrows two of its four sentences from two other topics (its label stays
    the topic of the other two). `noise` more documents each take one sentence from four different topics
    (topic "noise"): the articles that density clustering leaves as outliers.
    """
    rng = random.Random(f"{seed}:{lang}:{start}")
    nation = nation or NATION_OF[lang]
    sep = "" if lang == "zh" else " "
    out = []
    for topic in topics:
        sents = S[lang][topic]
        for i in range(start, start + per_topic):
            if rng.random() < mixed:
                others = rng.sample([t for t in topics if t != topic], 2)
                picked = rng.sample(sents, 2) + [rng.choice(S[lang][o]) for o in others]
                rng.shuffle(picked)
            else:
                picked = rng.sample(sents, 4)
            parts = [s.format(n=rng.randint(2, 999)) for s in picked]
            out.append({"id": f"{nation}-{topic}-{i}", "nation": nation, "lang": lang, "title": parts[0],
                        "text": sep.join(parts[1:]), "topic": topic})
    for i in range(noise):
        parts = [rng.choice(S[lang][t]).format(n=rng.randint(2, 999)) for t in rng.sample(list(topics), 4)]
        out.append({"id": f"{nation}-noise-{start + i}", "nation": nation, "lang": lang, "title": parts[0],
                    "text": sep.join(parts[1:]), "topic": "noise"})
    return out


# --- long articles (issue 18): realistic length, mixed-width punctuation ----------------------------------------
# Quotes and bylines in each language's own typography: full-width colon and quotes in Chinese, « » with
# no-break spaces in French, „ “ in German; names with ß, umlauts and accents; Latin abbreviations, numbers with
# units and the odd emoji inside Chinese text. What a real news corpus mixes, and what broke the engine.
QUOTE = {"zh": "{who}在{city}表示：“{s}”", "en": "\u201c{s}\u201d {who} said in {city}.",
         "fr": "\u00ab\u00a0{s}\u00a0\u00bb, a déclaré {who} à {city}.", "de": "\u201e{s}\u201c, sagte {who} in {city}."}
WHO = {"zh": ["外交部发言人王伟", "李娜教授", "张强代表", "市长陈静"],
       "en": ["Senator Jane O'Neil", "Mayor José Álvarez", "Professor Chloë Grant", "Minister Amir Khan"],
       "fr": ["la ministre Élodie Lefèvre", "le député François Mézière", "la maire Hélène Nguyễn", "Jérôme Bœuf"],
       "de": ["Ministerin Jürgen Weiß", "Bürgermeisterin Käthe Müller", "Professor Björn Groß", "Frau Özdemir"]}
CITY = {"zh": ["北京", "上海", "广州", "深圳"], "en": ["Washington", "Boston", "San José", "Chicago"],
        "fr": ["Paris", "Besançon", "Orléans", "Saint-Étienne"], "de": ["Berlin", "München", "Düsseldorf", "Köln"]}
EXTRA = {"zh": ["（记者{who}报道）", "GDP同比增长{n}%。", "5G网络覆盖{n}个城市。", "网友点赞👍。", "详见第{n}版。"],
         "en": ["(Reporting by {who}; editing by Zoë Brontë.)", "Shares rose {n}% — a record.", "Fans wrote “great” 👍.",
                "The 5G network now covers {n} cities."],
         "fr": ["(Avec AFP.)", "Le PIB a progressé de {n}\u00a0% cette année.", "Les réactions ? Très positives 👍.",
                "Selon l'INSEE, {n}\u00a0000 ménages sont concernés."],
         "de": ["(Mit Material von dpa.)", "Das BIP wuchs um {n} % – ein Rekord.", "Die Reaktionen: großartig 👍.",
                "Laut Umfrage sind {n} % dafür."]}


# Plain reporting without a value or position cue of the offline extractor: what surrounds the few statements of a
# real article on a value topic (long_article's value_sentences).
NEUTRAL = {
    "zh": ["会议持续了{n}个小时。", "现场来了许多记者和市民。", "活动于上午九点开始。", "主办方介绍了今年的安排。",
           "相关数据将在下月公布。", "这是今年第{n}次举办类似活动。", "与会人员参观了展览。", "当天天气晴朗，交通顺畅。"],
    "en": ["The meeting lasted {n} hours.", "Reporters and residents gathered at the venue.",
           "The event started at nine in the morning.", "Organisers presented this year's schedule.",
           "Figures will be published next month.", "It was event number {n} of its kind this year.",
           "Participants visited an exhibition afterwards.", "Traffic was light in the city centre."],
    "fr": ["La réunion a duré {n} heures.", "Des journalistes et des habitants se sont rassemblés sur place.",
           "L'événement a commencé à neuf heures.", "Les organisateurs ont présenté le programme de l'année.",
           "Les chiffres seront publiés le mois prochain.", "Il s'agit de la {n}e édition cette année.",
           "Les participants ont ensuite visité une exposition.", "La circulation était fluide au centre-ville."],
    "de": ["Das Treffen dauerte {n} Stunden.", "Journalisten und Anwohner versammelten sich vor Ort.",
           "Die Veranstaltung begann um neun Uhr.", "Die Veranstalter stellten das Programm des Jahres vor.",
           "Die Zahlen werden im nächsten Monat veröffentlicht.", "Es war Veranstaltung Nummer {n} in diesem Jahr.",
           "Die Teilnehmer besuchten anschließend eine Ausstellung.", "Der Verkehr in der Innenstadt war ruhig."],
}


def long_article(lang: str, topic: str, rng: random.Random, chars: int,
                 value_sentences: int | None = None) -> dict[str, Any]:
    """One article of about `chars` characters on `topic`: its sentences, a quote or two, a byline, paragraphs.

    `value_sentences`: on a value topic, at most this many of the topic's sentences (they all carry value cues);
    the rest is plain reporting (NEUTRAL), as in real news, where statements are a few sentences of an article."""
    sep = "" if lang == "zh" else " "
    sents = S[lang][topic]
    budget = [value_sentences if value_sentences is not None and topic in VALUE_TOPICS else -1]

    def sentence() -> str:
        if budget[0] == 0:
            return rng.choice(NEUTRAL[lang]).format(n=rng.randint(2, 99))
        budget[0] -= 1
        s = rng.choice(sents).format(n=rng.randint(2, 999))
        if rng.random() < 0.2:
            s = QUOTE[lang].format(s=s, who=rng.choice(WHO[lang]), city=rng.choice(CITY[lang]))
        elif rng.random() < 0.1:
            s = s + sep + rng.choice(EXTRA[lang]).format(n=rng.randint(2, 99), who=rng.choice(WHO[lang]))
        return s

    title = sentence()
    paras: list[str] = []
    size = 0
    while size < chars:
        p = sep.join(sentence() for _ in range(rng.randint(2, 5)))
        paras.append(p)
        size += len(p) + 2
    return {"title": title, "text": "\n\n".join(paras)[:max(chars, 1)].rstrip(), "topic": topic}


def long_corpus(lang: str, n: int, seed: int = 0, min_chars: int = 1000, max_chars: int = 2000,
                nation: str | None = None, value_sentences: int | None = None) -> list[dict[str, Any]]:
    """n long articles {id, nation, lang, title, text, topic}, topics in turn; deterministic in the arguments."""
    rng = random.Random(f"long:{seed}:{lang}")
    nation = nation or NATION_OF[lang]
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        a = long_article(lang, topic, rng, rng.randint(min_chars, max_chars), value_sentences)
        out.append({"id": f"{nation}-long-{i}", "nation": nation, "lang": lang, **a})
    return out
