"""Issue 12.7: the item cache is keyed by everything that changes a number; one test per field.

End to end where the field can change on this machine (CLI run, then a re-run that must not reuse the cache);
on the key itself where it cannot (a GPU device class, a hub revision, library versions).
"""
import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from navab_eval.cli import app
from openai_server import FakeOpenAI

runner = CliRunner()


def run_cli(*args):
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res


def mc(data, model, out, cache, *extra):
    run_cli("mc", "--data", data, "--model", model, "--out", out, "--cache-dir", cache, "--batch-size", "8",
            "--quiet", "--device", "cpu", *extra)
    return json.loads((out / "summary.json").read_text())


def items(out):
    return [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]


@pytest.fixture()
def model_dir(tiny_dir, tmp_path):
    path = tmp_path / "model"
    shutil.copytree(tiny_dir, path)
    return path


def key_of(**overrides):
    from navab_eval.run import RunConfig, cache_config

    cfg = RunConfig(**{"method": "mc", "data": "unused", "model": "unused", "device": "cpu", **overrides})
    return cache_config(cfg)


def test_unchanged_settings_hit_and_auto_dtype_is_resolved(snapshot_root, model_dir, tmp_path):
    cache = tmp_path / "cache"
    first = mc(snapshot_root, model_dir, tmp_path / "a", cache)
    assert first["cached_items"] == 0
    # auto resolves to float32 on CPU: the same numbers, served from the cache
    again = mc(snapshot_root, model_dir, tmp_path / "b", cache, "--dtype", "float32")
    assert again["cached_items"] == again["items"] == first["items"]
    bf16 = mc(snapshot_root, model_dir, tmp_path / "c", cache, "--dtype", "bfloat16")
    assert bf16["cached_items"] == 0 and bf16["provenance"]["dtype"] == "bfloat16"


def test_device_class_and_its_resolved_dtype_are_keyed(tiny_dir, monkeypatch):
    import torch

    import navab_eval.models as models

    cpu = key_of(model=str(tiny_dir), device=None)
    monkeypatch.setattr(models, "default_device", lambda: "cuda")
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    gpu = key_of(model=str(tiny_dir), device=None)
    assert (cpu["device"], cpu["dtype"]) == ("cpu", "float32")
    assert (gpu["device"], gpu["dtype"]) == ("cuda", "bfloat16")  # auto = bf16 on GPU
    assert key_of(model=str(tiny_dir), device="cuda:1")["device"] == "cuda"  # the class, not the index
    assert cpu != gpu


def test_revision_is_keyed():
    a = key_of(model="org/some-model", revision="main")
    b = key_of(model="org/some-model", revision="v2.0")
    assert a != b and a["model"]["hub"] == "org/some-model"


def test_weights_overwritten_in_place_miss(tiny, snapshot_root, model_dir, tmp_path):
    from tiny_model import build_tiny

    cache = tmp_path / "cache"
    before = mc(snapshot_root, model_dir, tmp_path / "a", cache)
    weights = model_dir / "model.safetensors"
    st_dir, st_file = os.stat(model_dir), os.stat(weights)
    other, _ = build_tiny(seed=1)
    other.save_pretrained(tmp_path / "other")
    shutil.copyfile(tmp_path / "other" / "model.safetensors", weights)  # overwritten in place
    os.utime(weights, ns=(st_file.st_atime_ns, st_file.st_mtime_ns))  # even with both mtimes put back
    os.utime(model_dir, ns=(st_dir.st_atime_ns, st_dir.st_mtime_ns))
    after = mc(snapshot_root, model_dir, tmp_path / "b", cache)
    assert after["cached_items"] == 0
    assert [it["nll_s"] for it in items(tmp_path / "a")] != [it["nll_s"] for it in items(tmp_path / "b")]
    assert before["provenance"]["model"]["sha256"] != after["provenance"]["model"]["sha256"]


def test_gguf_behind_the_alias_is_keyed_by_content(tmp_path, monkeypatch):
    import navab_eval.models as models

    a, b = tmp_path / "a" / "x.gguf", tmp_path / "b" / "x.gguf"
    for path, byte in ((a, b"1"), (b, b"2")):
        path.parent.mkdir()
        path.write_bytes(b"GGUF" + byte * 64)
        os.utime(path, ns=(0, 10**18))  # same size, same mtime: only the content differs
    monkeypatch.setattr(models, "smollm2_path", lambda: a)
    key_a = key_of(model="smollm2")
    monkeypatch.setattr(models, "smollm2_path", lambda: b)
    key_b = key_of(model="smollm2")
    assert key_a["model"]["sha256"] != key_b["model"]["sha256"]
    shutil.copyfile(a, b)
    assert key_of(model="smollm2")["model"] == key_a["model"]  # same bytes elsewhere: same identity


def test_file_hash_is_reused_while_path_size_mtime_hold(tmp_path, monkeypatch):
    import navab_eval.cache as cache

    path = tmp_path / "w.bin"
    path.write_bytes(b"abc" * 1000)
    calls = []
    real = cache.sha256_file
    monkeypatch.setattr(cache, "sha256_file", lambda p: calls.append(p) or real(p))
    first = cache.file_digest(path, tmp_path / "memo")
    assert cache.file_digest(path, tmp_path / "memo") == first and len(calls) == 1
    path.write_bytes(b"abd" * 1000)
    assert cache.file_digest(path, tmp_path / "memo") != first and len(calls) == 2


def test_chat_template_text_is_keyed(snapshot_root, model_dir, tmp_path):
    cache = tmp_path / "cache"
    mc(snapshot_root, model_dir, tmp_path / "a", cache, "--chat-template")
    cfg_path = model_dir / "tokenizer_config.json"
    jinja = model_dir / "chat_template.jinja"
    if jinja.is_file():
        jinja.write_text(jinja.read_text().replace("assistant: ", "ASSISTANT: "))
    else:
        cfg = json.loads(cfg_path.read_text())
        cfg["chat_template"] = cfg["chat_template"].replace("assistant: ", "ASSISTANT: ")
        cfg_path.write_text(json.dumps(cfg))
    after = mc(snapshot_root, model_dir, tmp_path / "b", cache, "--chat-template")
    assert after["cached_items"] == 0
    assert all("ASSISTANT: " in it["context"] for it in items(tmp_path / "b"))


def test_answer_prefix_change_misses_for_its_language_only(snapshot_root, model_dir, tmp_path, monkeypatch):
    from navab_eval import prompts

    cache = tmp_path / "cache"
    first = mc(snapshot_root, model_dir, tmp_path / "a", cache)
    monkeypatch.setitem(prompts.ANSWER_PREFIXES, "en", ("I would say", " "))
    after = mc(snapshot_root, model_dir, tmp_path / "b", cache)
    english = [it for it in items(tmp_path / "b") if it["language"] == "en"]
    assert english and after["cached_items"] == first["items"] - len(english)
    assert all(it["context"].endswith("I would say") for it in english)


@pytest.mark.parametrize("option", [("--max-length", "256"), ("--normalize", "sum"), ("--bos", "always")],
                         ids=["max-length", "normalize", "bos"])
def test_scoring_options_are_keyed(option, snapshot_root, model_dir, tmp_path):
    cache = tmp_path / "cache"
    mc(snapshot_root, model_dir, tmp_path / "a", cache)
    assert mc(snapshot_root, model_dir, tmp_path / "b", cache, *option)["cached_items"] == 0


@pytest.mark.parametrize("module", ["torch", "transformers", "navab_eval"])
def test_library_versions_are_keyed(module, tiny_dir, monkeypatch):
    import importlib

    before = key_of(model=str(tiny_dir))
    monkeypatch.setattr(importlib.import_module(module), "__version__", "999.0")
    after = key_of(model=str(tiny_dir))
    assert after["versions"][module] == "999.0" and before != after


def aj(data, model, out, cache, judge_url, *extra):
    run_cli("aj", "--data", data, "--model", model, "--judge", "judge-x", "--judge-base-url", judge_url,
            "--nation", "US", "--max-new-tokens", "4", "--out", out, "--cache-dir", cache, "--device", "cpu",
            "--quiet", *extra)
    return json.loads((out / "summary.json").read_text())


def test_judge_base_url_is_keyed(snapshot_root, tiny_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", "sk-test")
    cache = tmp_path / "cache"
    with FakeOpenAI() as one, FakeOpenAI() as two:
        first = aj(snapshot_root, tiny_dir, tmp_path / "a", cache, one.base_url)
        assert len(one.calls) == first["items"] > 0
        second = aj(snapshot_root, tiny_dir, tmp_path / "b", cache, two.base_url)
        # another server under the same model name is another judge: items and judge replies are not reused
        assert second["cached_items"] == 0 and len(two.calls) == second["items"]
        assert aj(snapshot_root, tiny_dir, tmp_path / "c", cache, two.base_url)["cached_items"] == second["items"]


def test_judge_prompt_is_keyed(snapshot_root, tiny_dir, tmp_path, monkeypatch):
    from navab_eval import prompts

    monkeypatch.setenv("NAVAB_JUDGE_API_KEY", "sk-test")
    cache = tmp_path / "cache"
    with FakeOpenAI() as srv:
        first = aj(snapshot_root, tiny_dir, tmp_path / "a", cache, srv.base_url)
        monkeypatch.setattr(prompts, "JUDGE_SYSTEM", prompts.JUDGE_SYSTEM + " Be brief.")
        second = aj(snapshot_root, tiny_dir, tmp_path / "b", cache, srv.base_url)
        assert second["cached_items"] == 0 and len(srv.calls) == 2 * first["items"]


def test_judge_model_is_keyed(tiny_dir):
    a = key_of(method="aj", model=str(tiny_dir), judge="judge-x", judge_base_url="http://h/v1")
    b = key_of(method="aj", model=str(tiny_dir), judge="judge-y", judge_base_url="http://h/v1")
    assert a != b and a["judge_base_url"] == "http://h/v1"
