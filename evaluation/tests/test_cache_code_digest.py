"""The item cache misses when the code that computes the numbers changes, even under the same version string.

navab-eval's version (0.1.0) does not move when the scorer is rewritten, so the cache is also keyed by a digest
of the source of the modules that compute item results (backends/*.py, mc.py, aj.py, prompts.py, judges.py,
models.py), read once at import.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import navab_eval
from navab_eval import cache

PKG = Path(navab_eval.__file__).parent


@pytest.fixture
def pkg_copy(tmp_path) -> Path:
    dst = tmp_path / "navab_eval"
    shutil.copytree(PKG, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_digest_covers_the_scoring_modules_and_nothing_else(pkg_copy):
    files = cache.code_files(PKG)
    names = {p.relative_to(PKG).as_posix() for p in files}
    assert {"backends/scoring.py", "backends/hf.py", "backends/base.py", "mc.py", "aj.py", "prompts.py",
            "judges.py", "models.py"} <= names
    assert not names & {"cli.py", "summary.py", "table.py", "show.py", "progress.py"}  # numbers are not made there
    # the digest is of the files' content under their package-relative names: a copy elsewhere gives the same
    assert cache.code_digest(pkg_copy) == cache.code_digest(PKG) == cache.CODE_SHA256


@pytest.mark.parametrize("name", ["backends/scoring.py", "mc.py", "aj.py", "prompts.py", "judges.py",
                                  "backends/hf.py"])
def test_one_changed_byte_changes_the_digest(pkg_copy, name):
    path = pkg_copy / name
    data = bytearray(path.read_bytes())
    before = cache.code_digest(pkg_copy)
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert cache.code_digest(pkg_copy) != before


def test_a_new_backend_module_changes_the_digest(pkg_copy):
    before = cache.code_digest(pkg_copy)
    (pkg_copy / "backends" / "extra.py").write_text("X = 1\n")
    assert cache.code_digest(pkg_copy) != before


def test_unrelated_module_does_not_change_the_digest(pkg_copy):
    before = cache.code_digest(pkg_copy)
    (pkg_copy / "cli.py").write_text((pkg_copy / "cli.py").read_text() + "\n# a comment\n")
    assert cache.code_digest(pkg_copy) == before


def test_changed_scoring_code_misses_the_item_cache(pkg_copy, tmp_path, monkeypatch):
    config = {"method": "mc", "model": {"sha256": "abc"}, "versions": {"navab_eval": "0.1.0"}}
    first = cache.ItemCache(config, tmp_path / "c")
    first.put_many([("k1", {"correct": True, "score_s": 1.0})])
    assert cache.ItemCache(config, tmp_path / "c").get("k1") == {"correct": True, "score_s": 1.0}  # a hit
    # the same version string, one byte of the scorer changed: a different cache file, a miss
    scoring = pkg_copy / "backends" / "scoring.py"
    scoring.write_bytes(scoring.read_bytes().replace(b"def ", b"def  ", 1))
    monkeypatch.setattr(cache, "CODE_SHA256", cache.code_digest(pkg_copy))
    again = cache.ItemCache(config, tmp_path / "c")
    assert again.get("k1") is None and again.path != first.path
    assert again.config["code_sha256"] == cache.CODE_SHA256 != first.config["code_sha256"]
    # the cache file says what it was computed with, the code digest included
    again.put_many([("k1", {"correct": False})])
    assert cache.CODE_SHA256 in again.path.with_suffix(".config.json").read_text()
