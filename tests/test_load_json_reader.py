"""The JSONL reader's fast path (orjson, issue 16) reads exactly what json.loads reads: the same values (an
integer beyond 64 bits stays an integer, NaN and Infinity stay floats, a lone surrogate stays in its string)
and the same lines refused."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from navab_loaders import readers


def _same(text: str) -> None:
    try:
        want = ("ok", json.dumps(json.loads(text)))  # dumps: NaN == NaN, 1 != 1.0, key order kept
    except (ValueError, RecursionError) as e:
        want = ("error", type(e).__name__)
    try:
        got = ("ok", json.dumps(readers._loads(text)))
    except (ValueError, RecursionError) as e:
        got = ("error", type(e).__name__)
    assert got == want, text[:200]


def test_the_fast_path_is_taken_for_plain_lines():
    assert readers._orjson_loads is not None  # a dependency: without it this file tests json against itself


@pytest.mark.parametrize("text", [
    '{"id": 123456789012345678901234567890, "text": "x"}', '{"id": -9223372036854775809}',
    '{"id": 18446744073709551615}', '{"n": [1, {"deep": 99999999999999999999}]}', '{"x": NaN}', '{"x": -Infinity}',
    '{"x": 1e400}', '{"x": 1.7976931348623157e309}', '{"x": 1e19}', '{"x": -0}', '{"x": -0.0}', '{"x": "\\ud800"}',
    '{"x": "\\udfff\\ud800"}', '{"x": "\\ud83d\\ude00"}', '{"a": 1, "a": 2}', '{"x": "\\u0000"}', '{"x": "a\x01b"}',
    '{"x": 01}', '{"x": .5}', '{"x": 1.}', '{"x": +1}', '{"x": true,}', '{"x": "y"} z', '\ufeff{"x": 1}',
    '{"x": [' * 3000 + ']' * 3000 + '}', '{"x": [' * 700 + '1e30' + ']' * 700 + '}', '[' * 900 + ']' * 900,
    '[1, 2]', '"text"', 'null', '  {"x": "\u2028"}  ', '{"é": "中"}',
])
def test_hostile_lines_read_as_json_reads_them(text):
    _same(text)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2 ** 80), max_value=2 ** 80)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


@hsettings(max_examples=300, deadline=None)
@given(_json)
def test_any_value_reads_as_json_reads_it(v):
    _same(json.dumps(v))
    _same(json.dumps(v, ensure_ascii=False))
