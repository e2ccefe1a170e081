"""Values the graph merges and looks nodes up on (ids, names), made safe for every engine.

FalkorDB 4.16.3 keeps an exact-match index like a tag field (pinned in tests/test_engine_index_quirk.py): the
stored value is split at U+0001 and each part trimmed of ASCII whitespace, and an empty value or one over 4096
UTF-8 bytes is not indexed at all, while the value looked up is taken as it is. `MERGE` on such a value never
finds the node it made (a duplicate every time), and a lookup of "gpt" also answers " gpt" and "gpt\\t".
Neo4j has no such quirk, but one name must be one node on both engines, so values are made safe here:

- names found in text (speakers, organizations, places): :func:`clean_name` turns every run of whitespace and
  control characters into one space and trims the ends ("Li\\tQiang\\n" and "Li Qiang" are one person);
- identifiers another program or a person gave (article ids, model names): :func:`key_problem` says why one
  cannot be stored verbatim, and the caller refuses it (quarantine) rather than change an identifier.
"""
from __future__ import annotations

import re

INDEX_MAX_BYTES = 4096  # FalkorDB 4.16.3 does not index a longer value
MAX_INDEXED_CHARS = INDEX_MAX_BYTES // 4  # any text this long fits the index (4 UTF-8 bytes per character at most)
MAX_NAME = 200  # characters: longer is a sentence, not the name of a person or place an LLM found

# Unicode whitespace (str.isspace: \t \n \v \f \r, \x1c-\x1f, \x85, \xa0, \u2028, \u3000, ...) and the C0/C1
# control characters; format characters (zero-width joiners in emoji and scripts) are left alone
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


class NameTooLong(ValueError):
    """A name longer than MAX_NAME characters (an extraction that returned a sentence, a corrupt field)."""


def clean_name(value: str | None, *, max_chars: int = MAX_NAME) -> str | None:
    """The name as the graph stores it: runs of whitespace and control characters -> one space, ends trimmed;
    None when nothing is left. NameTooLong when longer than max_chars after cleaning."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"a name must be a string, got {type(value).__name__}")
    s = value.strip() if value.isprintable() else _SPACE_OR_CONTROL.sub(" ", value).strip()
    if "  " in s:
        s = _SPACE_OR_CONTROL.sub(" ", s)
    if not s:
        return None
    if len(s) > max_chars:
        raise NameTooLong(f"a name of {len(s)} characters (at most {max_chars}): {s[:60]!r}...")
    return s


def key_problem(value: str) -> str | None:
    """Why `value` cannot be an identifier the graph merges on verbatim (None when it can): whitespace at its
    ends, a control character, or more than INDEX_MAX_BYTES UTF-8 bytes; the empty string is not indexed either."""
    if not value:
        return "is empty"
    if value != value.strip():
        return "has whitespace at its ends"
    for i, ch in enumerate(value):
        if ch < " " or ch == "\x7f":
            return f"has a control character (U+{ord(ch):04X}) at position {i}"
    n = len(value.encode("utf-8", "surrogatepass"))
    if n > INDEX_MAX_BYTES:
        return f"is {n} UTF-8 bytes long (at most {INDEX_MAX_BYTES})"
    return None


def text_problem(value: str) -> str | None:
    """Why the graph cannot hold a text verbatim (None when it can): a NUL character, which the engine cannot
    store, or a lone surrogate, which is not valid Unicode. Cheap for the common (ASCII, NUL-free) case."""
    if "\x00" in value:
        return f"NUL character (U+0000) at position {value.index(chr(0))}"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            return f"lone surrogate {ascii(value[e.start])} at position {e.start}"
    return None
