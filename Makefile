# Stormdrill: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := simulator

.PHONY: run test lint format bench translations db chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# French translations are compiled from the committed .po files.
translations: $(VENV)/.runtime
	$(BIN)/pybabel compile --use-fuzzy --statistics -d simulator/translations 2>&1 | tail -n 1

db: $(VENV)/.runtime
	$(BIN)/flask db upgrade

run: $(VENV)/.runtime translations db
	$(BIN)/python run.py --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (Playwright's own browser download fails offline).
chromium:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

test: $(VENV)/.dev translations chromium
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	$(BIN)/python bench/storm.py
	$(BIN)/python bench/debrief.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
