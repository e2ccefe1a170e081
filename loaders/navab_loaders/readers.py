"""Streaming readers: memory stays flat in the file size (one line / one Arrow batch at a time).

Nothing a file holds stops a read: a record that cannot be read becomes a RawRecord with `error` (a reason
a person understands), its place (`line N`, `row N` for Parquet, `line N (item K)` for JSON lists, `whole
file`) and its raw text; the next record is read as usual. Only a path that does not exist, or a folder
without any known file, raises UnreadableFile.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "json", "csv", "parquet", "navab")
NAVAB_FILES = {"human_statement_result.json": "quoted", "official_statement_result.json": "official"}
_EXTS = ((".jsonl.gz", "jsonl"), (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"), (".tsv", "csv"),
         (".parquet", "parquet"), (".json", "json"))
_ID_COLUMNS = ("id", "_id", "doc_id", "article_id", "uuid")  # as records.CANDIDATES["id"]


@dataclass
class RawRecord:
    file: str
    where: str  # "line 12", "row 7" (Parquet), "line 3 (item 2)" (JSON lists), "whole file"
    data: dict[str, Any] | None
    error: str | None = None
    set_hint: str | None = None  # "quoted" / "official" for the NaVAB release format
    raw: str | None = None  # the record as read (a line, CSV lines, a JSON item), for the quarantine

    def raw_text(self) -> str | None:
        if self.raw is not None:
            return self.raw.rstrip("\r\n")
        if self.data is not None:  # Parquet rows have no text of their own
            return json.dumps(self.data, ensure_ascii=False, default=str)
        return None


class UnreadableFile(OSError):
    pass


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name in NAVAB_FILES:
        return "navab"
    for ext, fmt in _EXTS:
        if name.endswith(ext):
            return fmt
    raise UnreadableFile(f"{path}: cannot tell the format from the name; pass --format jsonl|csv|parquet|navab")


def file_stem(path: Path) -> str:
    """The file name without its format extension (`news.jsonl.gz` -> `news`): the default source."""
    name = Path(path).name
    for ext, _ in _EXTS:
        if name.lower().endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)]
    return Path(name).stem or name


def iter_records(path: Path, fmt: str = "auto", *, skipped: list[str] | None = None) -> Iterator[RawRecord]:
    """Records of a file, or of every known file below a folder (sorted; hidden files and files of an
    unknown format are not read and are listed in `skipped`)."""
    path = Path(path)
    if fmt not in ("auto", *FORMATS):
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if path.is_dir():
        files, other = [], []
        for p in sorted(path.rglob("*")):
            if not p.is_file():
                continue
            hidden = any(part.startswith(".") for part in p.relative_to(path).parts)
            (files if not hidden and _known(p) else other).append(p)
        if skipped is not None:
            skipped.extend(str(p) for p in other)
        if not files:
            raise UnreadableFile(f"{path}: no .jsonl/.csv/.parquet/.json files in this folder")
        for p in files:
            yield from _file(p, fmt)
        return
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if fmt == "auto":
        detect_format(path)  # an unknown extension is the user's to settle (--format), not a bad record
    yield from _file(path, fmt)


def _file(path: Path, fmt: str) -> Iterator[RawRecord]:
    file = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as e:
        yield RawRecord(file, "whole file", None, f"not a readable file ({e.strerror or e})")
        return
    if size == 0:
        yield RawRecord(file, "whole file", None, "empty file (0 bytes): nothing to load")
        return
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt in ("jsonl", "csv", "json", "navab") and not path.name.lower().endswith(".gz"):
        enc = _wide_encoding(head)
        if enc:
            yield RawRecord(file, "whole file", None, f"the file looks like {enc} text; convert it to UTF-8 "
                                                      f"(e.g. iconv -f {enc} -t UTF-8) and load it again")
            return
    yield from {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet, "json": _json, "navab": _navab}[fmt](path)


def _known(p: Path) -> bool:
    try:
        detect_format(p)
        return True
    except UnreadableFile:
        return False


def _wide_encoding(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if len(head) >= 2 and (head[0] == 0 or head[1] == 0):  # text of JSON/CSV never holds NUL bytes
        return "UTF-16"
    return None


def _short(e: BaseException, n: int = 200) -> str:
    s = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return s if len(s) <= n else s[:n] + "..."


def shown(raw: bytes) -> str:
    """Bytes as text for the quarantine: invalid UTF-8 stays visible as \\xNN."""
    return raw.decode("utf-8", "backslashreplace")


try:
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - a dependency; json alone gives the same values, slower
    _orjson_loads = None
_BIG = float(1 << 63)


def _loads(text: str) -> Any:
    """json.loads, about twice as fast for the common line: orjson reads it, and what orjson refuses (NaN,
    Infinity, 1e400, lone surrogates, deep nesting) or may have changed (an integer beyond 64 bits becomes
    a float there) is read again by json, so the values and the errors are json's own."""
    if _orjson_loads is not None:
        try:
            obj = _orjson_loads(text)
        except ValueError:
            return json.loads(text)
        if not _big_float(obj):
            return obj
    return json.loads(text)


def _big_float(v: Any) -> bool:
    """A float out of the 64-bit integer range anywhere in v (iterative: records may nest deeper than the
    recursion limit allows a walk, json having read them)."""
    stack = [v]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is dict:
            stack.extend(x.values())
        elif t is list:
            stack.extend(x)
        elif t is float and not -_BIG < x < _BIG:
            return True
    return False


def parse_json(text: str) -> tuple[Any, str | None]:
    """(value, None), or (None, the reason) for text that is not JSON or is nested beyond what can be read."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        return None, f"malformed JSON: {e.msg} (column {e.colno})"
    except RecursionError:
        return None, f"nested too deeply (more than about {sys.getrecursionlimit()} levels of [ or {{)"


# ------------------------------------------------------------------------------------------------ JSONL

def _jsonl(path: Path) -> Iterator[RawRecord]:
    file = str(path)
    gz = path.name.lower().endswith(".gz")
    if gz:
        import gzip

        f = gzip.open(path, "rb")
    else:
        f = open(path, "rb")
    i = n = 0
    try:
        for i, raw in enumerate(f, 1):
            if i == 1:
                enc = _wide_encoding(raw[:4]) if gz else None
                if enc:
                    yield RawRecord(file, "whole file", None, f"the file looks like {enc} text; convert it to UTF-8")
                    return
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
            if not raw.strip():
                continue
            n += 1
            yield _jsonl_record(file, i, raw)
    except (EOFError, OSError, zlib.error) as e:  # gzip: truncated stream, not gzip at all, corrupt data
        n += 1
        if not gz:
            why = f"the file cannot be read ({_short(e)})"
        elif isinstance(e, EOFError):
            why = "the gzip stream is truncated (the file ends early)"
        elif "Not a gzipped file" in str(e):
            why = "not a gzip file although the name ends in .gz"
        else:
            why = f"the compressed data is corrupt ({_short(e)})"
        after = "; the lines before it were read" if i else ""
        yield RawRecord(file, f"line {i + 1}", None, f"{why}: line {i + 1} and everything after it could not be "
                                                      f"read{after}")
    finally:
        f.close()
    if n == 0:
        yield RawRecord(file, "whole file", None, "no records: the file holds only blank lines")


def _jsonl_record(file: str, i: int, raw: bytes) -> RawRecord:
    where = f"line {i}"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return RawRecord(file, where, None, f"not valid UTF-8 (byte {e.start} is {raw[e.start:e.start + 1]!r}): "
                                            "the file may be in another encoding such as Latin-1", raw=shown(raw))
    try:
        obj = _loads(line)
    except (ValueError, RecursionError):
        obj, err = parse_json(line)  # again, for the reason in words
        return RawRecord(file, where, None, err, raw=line)
    if type(obj) is not dict:
        return RawRecord(file, where, None, f"expected a JSON object, got {_kind(obj)}", raw=line)
    return RawRecord(file, where, obj, raw=line)


def _kind(v: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false",
            type(None): "null"}.get(type(v), type(v).__name__)


# ------------------------------------------------------------------------------------------------ CSV

class _Lines:
    """Physical lines for csv.reader, numbered, with the lines of the current record kept and a way to
    hand lines back (a runaway quoted field is re-read line by line)."""

    def __init__(self, f):
        self._f = f
        self._n = 0
        self._back: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.popleft()
        else:
            item = (self._n + 1, next(self._f))
            self._n += 1
        self.taken.append(item)
        return item[1]

    def give_back(self, items: list[tuple[int, str]]) -> None:
        self._back.extendleft(reversed(items))


def _csv(path: Path) -> Iterator[RawRecord]:
    file = str(path)
    delim = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(1 << 30)
    # utf-8-sig: a BOM is not part of the first column's name; surrogateescape: a bad byte spoils one row only
    with open(path, "r", encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        lines = _Lines(f)
        reader = csv.reader(lines, delimiter=delim, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            yield RawRecord(file, "whole file", None, "no header and no records")
            return
        except csv.Error as e:
            yield RawRecord(file, "whole file", None, f"the header (line 1) cannot be read: {e}")
            return
        problem = _header_problem(header)
        if problem:
            yield RawRecord(file, "whole file", None, problem, raw=_text(lines.taken))
            return
        ncols = len(header)
        idc = next((header.index(c) for c in _ID_COLUMNS if c in header), 0)
        n = 0
        while True:
            lines.taken = []
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                taken = lines.taken
                if not taken:
                    break
                lines.give_back(taken[1:])
                n += 1
                yield _bad_quote(file, taken, str(e))
                continue
            taken = lines.taken
            if not fields:
                continue  # a blank line
            n += 1
            if len(taken) > 1 and _runaway(taken, fields, ncols, idc, delim):
                lines.give_back(taken[1:])
                yield _bad_quote(file, taken, None)
                continue
            raw = _text(taken)
            where = f"line {taken[0][0]}"
            if len(fields) != ncols:
                yield RawRecord(file, where, None, f"the row has {_n(len(fields), 'field')}, the header has "
                                                   f"{ncols}", raw=_visible(raw))
            elif not raw.isascii() and _has_surrogates(raw):
                yield RawRecord(file, where, None, "not valid UTF-8: the file may be in another encoding such "
                                                   "as Latin-1", raw=_visible(raw))
            else:
                yield RawRecord(file, where, dict(zip(header, fields)), raw=raw)
        if n == 0:
            yield RawRecord(file, "whole file", None, "no records: the file holds only a header")


def _header_problem(header: list[str]) -> str | None:
    if _has_surrogates(",".join(header)):
        return "the header is not valid UTF-8"
    dup = sorted({c for c in header if header.count(c) > 1})
    if dup:
        return "duplicate column name(s) in the header: " + ", ".join(repr(c) for c in dup)
    return None


def _bad_quote(file: str, taken: list[tuple[int, str]], err: str | None) -> RawRecord:
    first, last = taken[0][0], taken[-1][0]
    if len(taken) == 1:
        why = f"malformed quote ({err})" if err else "malformed quote"
    else:
        how = "never closes" if err and "end of data" in err else "runs over lines that look like rows"
        why = (f"unbalanced quote: the quoted field that starts on this line {how} (lines {first}-{last}); "
               f"this line is quarantined and lines {first + 1}-{last} are read as rows of their own")
    return RawRecord(file, f"line {first}", None, why, raw=_visible(taken[0][1].rstrip("\r\n")))


def _runaway(taken: list[tuple[int, str]], fields: list[str], ncols: int, idc: int, delim: str) -> bool:
    """A record spanning lines is a runaway quoted field when a line inside it is a row of the file's shape:
    the header's number of fields and an id like the record's own (same letters/digits pattern)."""
    own = fields[idc] if idc < len(fields) else ""
    if not _id_like(own):
        return False
    shape = _shape(own)
    for _, text in taken[1:]:
        try:
            row = next(csv.reader([text], delimiter=delim, strict=True))
        except (csv.Error, StopIteration):
            continue
        if len(row) == ncols and _id_like(row[idc]) and _shape(row[idc]) == shape:
            return True
    return False


def _id_like(v: str) -> bool:
    return 0 < len(v) <= 64 and '"' not in v and not any(c.isspace() for c in v)


def _shape(s: str) -> str:
    out: list[str] = []
    for ch in s:
        c = "9" if ch.isdigit() else "a" if ch.isalpha() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _text(taken: list[tuple[int, str]]) -> str:
    return "".join(t for _, t in taken).rstrip("\r\n")


def _n(k: int, word: str) -> str:
    return f"{k} {word}" + ("" if k == 1 else "s")


def _visible(s: str) -> str:
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if not s.isascii() else s


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# ------------------------------------------------------------------------------------------------ Parquet

def _parquet(path: Path) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    file = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for corrupt files
        yield RawRecord(file, "whole file", None, f"not a readable Parquet file ({_short(e)})")
        return
    n = 0
    try:
        for batch in pf.iter_batches(batch_size=2048):
            for row in batch.to_pylist():
                n += 1
                yield RawRecord(file, f"row {n}", row)
    except Exception as e:
        yield RawRecord(file, f"row {n + 1}", None, f"the rest of the file cannot be read ({_short(e)}): rows "
                                                    f"from {n + 1} on are missing; the rows before were loaded")
        return
    if n == 0:
        yield RawRecord(file, "whole file", None, "no records: the file holds no rows")


# ------------------------------------------------------------------------------------------------ JSON lists

_WS = re.compile(r"[ \t\n\r]*")
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}"]', re.S)
_SCALAR_END = re.compile(r"[,\]\n]")


def _json(path: Path, set_hint: str | None = None) -> Iterator[RawRecord]:
    """A JSON list of objects (the NaVAB release and small corpora use it), item by item: a bad item is
    quarantined with its line and the items after it are still read."""
    file = str(path)
    text = path.read_bytes().decode("utf-8-sig", "surrogateescape")
    pos = _WS.match(text, 0).end()
    if text[pos:pos + 1] == "{":  # one object: a list of one
        items = _json_items(text, pos, single=True)
    elif text[pos:pos + 1] == "[":
        items = _json_items(text, pos + 1, single=False)
    else:
        got, err = parse_json(text)
        why = f"expected a JSON list of objects ({err})" if err else \
            f"expected a JSON list of objects, got {_kind(got)}"
        yield RawRecord(file, "whole file", None, why, raw=_visible(text[:2000]))
        return
    n = 0
    for where, obj, err, raw in items:
        n += 1
        if err is None and not raw.isascii() and _has_surrogates(raw):
            err = "not valid UTF-8: the file may be in another encoding such as Latin-1"
        if err is None and not isinstance(obj, dict):
            err = f"expected a JSON object, got {_kind(obj)}"
        yield RawRecord(file, where, None if err else obj, err, set_hint=set_hint, raw=_visible(raw))
    if n == 0:
        yield RawRecord(file, "whole file", None, "no records: the list is empty")


def _json_items(text: str, pos: int, single: bool):
    """(where, value, error, raw text) for each item of the list (or the one object) starting at pos."""
    dec = json.JSONDecoder()
    line, at, item, n = 1, 0, 0, len(text)
    while True:
        pos = _WS.match(text, pos).end()
        line += text.count("\n", at, pos)
        at = pos
        if pos >= n:
            if not single:
                yield f"line {line}", None, "malformed JSON: the file ends before the closing ] (truncated?)", ""
            return
        err = None
        if text[pos] == "]" and not single:
            rest = text[pos + 1:].strip()
            if rest:
                yield f"line {line}", None, "malformed JSON: text after the closing ]", rest[:2000]
            return
        if item and not single:
            if text[pos] == ",":
                pos = _WS.match(text, pos + 1).end()
                line += text.count("\n", at, pos)
                at = pos
            else:
                err = "malformed JSON: a ',' is missing before this item"
        item += 1
        where, start = f"line {line} (item {item})", pos
        try:
            obj, pos = dec.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            obj, pos = None, max(_skip_value(text, start), start + 1)
            err = err or f"malformed JSON: {e.msg}"
            if pos >= n:
                yield where, None, err + " (the file ends inside this item: truncated?)", text[start:pos]
                return
        except RecursionError:
            obj, pos = None, max(_skip_value(text, start), start + 1)
            err = err or f"nested too deeply (more than about {sys.getrecursionlimit()} levels of [ or {{)"
        yield where, obj if err is None else None, err, text[start:pos]
        if single:
            rest = text[pos:].strip()
            if rest:
                yield where, None, "malformed JSON: text after the object", rest[:2000]
            return


def _skip_value(text: str, pos: int) -> int:
    """The end of the JSON value starting at pos, found without recursion (strings, brackets), so that a
    broken or over-deep item can be skipped; the end of the text if it never closes."""
    if text[pos] not in "[{\"":
        m = _SCALAR_END.search(text, pos)
        return m.start() if m else len(text)
    depth = 0
    for m in _TOKENS.finditer(text, pos):
        t = m.group()
        if t == '"':  # a string that never closes
            return len(text)
        if t[0] == '"':
            if depth == 0:
                return m.end()
        elif t in "[{":
            depth += 1
        else:
            depth -= 1
            if depth <= 0:
                return m.end()
    return len(text)


def _navab(path: Path) -> Iterator[RawRecord]:
    yield from _json(path, set_hint=NAVAB_FILES.get(path.name.lower(),
                                                    "quoted" if "human" in path.name.lower() else "official"))
