"""Per-language keyword vocabulary for c-TF-IDF: CountVectorizer with jieba for Chinese and stop words.

English stop words are scikit-learn's list; zh / fr / de get the small built-in lists below (written here because
scikit-learn ships only English and the alternatives pull in NLTK corpora that need a download). A language
without a list gets none, which the stage reports rather than failing.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms", "new", "year", "years"},
    "zh": frozenset("的 了 和 是 在 也 有 就 都 而 及 与 或 一个 没有 我们 你们 他们 她们 它们 这 那 这个 那个 "
                    "之 为 对 把 被 从 到 以 于 上 下 中 将 等 个 名 条 艘 次 说 表示 指出 认为 并 但 又 还 "
                    "所 其 该 此 各 已 已经 要 会 可以 能 让 给 向 由 着 过 吗 呢 吧 啊 地 得 年 月 日".split()),
    "fr": frozenset("le la les l un une des du de d et en à au aux ce ces cet cette il ils elle elles on nous vous "
                    "je tu se sa son ses leur leurs lui y que qui quoi dont où ne pas plus par pour sur dans avec "
                    "sans sous entre est sont été être a ont avait avoir fait faire comme mais ou donc car si "
                    "tout tous toute toutes très aussi après avant selon lors pendant puis qu s c n m j "
                    "ans an dit déclaré".split()),
    "de": frozenset("der die das den dem des ein eine einer eines einem einen und oder aber in im ins an am auf "
                    "aus bei mit nach von vom zu zum zur für über unter vor hinter neben zwischen durch gegen "
                    "ohne um ist sind war waren wird werden wurde wurden sein hat haben hatte hatten es er sie "
                    "wir ihr ich du man sich nicht auch noch nur schon so wie als dass daß wenn weil ob dann "
                    "denn doch sehr mehr bis seit sagte sagten sagt jahr jahre".split()),
}

# Words are runs of letters (at least two); pure numbers and punctuation are not keywords.
_TOKEN = r"(?u)\b[^\W\d_][^\W_]+\b"
_ZH_WORD = re.compile(r"[^\W\d_]", re.UNICODE)


def has_stop_words(lang: str) -> bool:
    return lang in STOP_WORDS


def stop_words(langs: set[str]) -> list[str]:
    out: set[str] = set()
    for lang in langs:
        out |= STOP_WORDS.get(lang, frozenset())
    return sorted(out)


@lru_cache(maxsize=200_000)
def _words(piece: str) -> tuple[str, ...]:
    """jieba's words of one whitespace-free piece, lower-cased, interned (a corpus repeats its vocabulary)."""
    import jieba

    return tuple(sys.intern(w) for w in (t.strip().lower() for t in jieba.lcut(piece)) if w)


class JiebaTokenizer:
    """Picklable jieba tokenizer: Chinese words plus any Latin words in the text; no numbers or punctuation.

    Texts are segmented piece by piece between whitespace (jieba never joins words across it, so the words are
    the same) and the pieces' words are cached: c-TF-IDF tokenises every document twice (BERTopic's fit, then
    the final keywords), and jieba on long Chinese articles is most of that time."""

    def __init__(self, stop: set[str]):
        self.stop = stop

    def __call__(self, text: str) -> list[str]:
        return [w for piece in text.split() for w in _words(piece)
                if _ZH_WORD.search(w) and not w.isdigit() and w not in self.stop
                and (len(w) > 1 or "\u4e00" <= w <= "\u9fff")]


def vectorizer_for(langs: set[str]) -> CountVectorizer:
    """The c-TF-IDF vocabulary model for a corpus in `langs`."""
    stops = stop_words(langs)
    if "zh" in langs:
        import jieba

        jieba.setLogLevel(60)  # jieba prints its dictionary loading on stderr otherwise
        return CountVectorizer(tokenizer=JiebaTokenizer(set(stops)), token_pattern=None, lowercase=True)
    return CountVectorizer(token_pattern=_TOKEN, stop_words=stops or None, lowercase=True)


def doc_text(title: str | None, text: str | None, max_chars: int) -> str:
    """What a document is for topic modeling: title and text, cut at max_chars (long articles cost time, and
    their first paragraphs carry the topic)."""
    t = (title or "").strip()
    body = (text or "").strip()
    joined = f"{t}\n{body}" if t and not body.startswith(t) else body or t
    return joined[:max_chars]
