import importlib.util

import pytest

from navab_eval.backends import get_backend
from navab_eval.backends.openai_backend import BackendError
from navab_eval.models import ModelLoadError, load_model, resolve, smollm2_path
from openai_server import FakeOpenAI


def test_vllm_missing_gives_install_line(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "vllm" else real(name, *a))
    with pytest.raises(ImportError, match=r"pip install navab-eval\[vllm\]"):
        get_backend("vllm", "some/model")


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown backend 'tgi'"):
        get_backend("tgi", "m")


def test_model_that_cannot_be_loaded(tmp_path):
    with pytest.raises(ModelLoadError, match="cannot load model .*does-not-exist"):
        load_model(str(tmp_path / "does-not-exist"), device="cpu")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="broken"):
        load_model(str(broken), device="cpu")
    with pytest.raises(ModelLoadError, match="GGUF file not found"):
        load_model(str(tmp_path / "missing.gguf"))


def test_model_name_forms(tiny_dir):
    gguf = smollm2_path()
    assert gguf.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and gguf.is_file()
    assert resolve("smollm2") == (str(gguf.parent), gguf.name)
    assert resolve(str(gguf)) == (str(gguf.parent), gguf.name)
    assert resolve(str(gguf.parent), gguf.name) == (str(gguf.parent), gguf.name)
    model, tok = load_model(str(tiny_dir), device="cpu")
    assert model.config.num_hidden_layers == 2 and tok.bos_token == "<s>"


def test_gguf_dir_plus_file_loads(smollm2):
    gguf = smollm2_path()
    model, tok = load_model(str(gguf.parent), gguf_file=gguf.name, device="cpu")  # served from the cache
    assert type(model).__name__ == "LlamaForCausalLM" and tok.chat_template
    assert model.config.vocab_size == smollm2[0].config.vocab_size


def test_openai_backend_scores_with_echo_logprobs(monkeypatch):
    monkeypatch.setenv("NAVAB_EVAL_API_KEY", "sk-test-secret")
    with FakeOpenAI(answer="Yes, clearly.") as srv:
        be = get_backend("openai", "served-model", base_url=srv.base_url)
        (a, b), = be.score_pairs([("Question? My answer is", " yes", " no way")])
        # the fake server returns one "token" per character at logprob -0.5
        assert (a.n_tokens, a.logprob) == (4, -2.0) and (b.n_tokens, b.logprob) == (7, -3.5)
        assert be.generate(["Question?"]) == ["Yes, clearly."]
        assert srv.calls == ["/v1/completions", "/v1/completions", "/v1/chat/completions"]
    with FakeOpenAI(echo_logprobs=False) as srv:
        be = get_backend("openai", "served-model", base_url=srv.base_url)
        with pytest.raises(BackendError, match="returned no prompt logprobs"):
            be.loglikelihood([("Q? My answer is", " yes")])
