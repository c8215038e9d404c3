# Stormdrill: `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := simulator

.PHONY: run test lint format bench translations db system-deps chromium clean

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
	$(BIN)/pybabel compile --statistics -d simulator/translations

db: $(VENV)/.runtime
	$(BIN)/flask db upgrade

run: $(VENV)/.runtime translations db
	$(BIN)/python run.py --host $(HOST) --port $(PORT)

# Debian packages, installed only when missing: Chromium for the browser tests (Playwright's
# own browser download fails offline); for the PDF report, Pango, DejaVu fonts and Noto Color
# Emoji (WeasyPrint; DejaVu has no emoji) and poppler-utils (pdftotext, pdftoppm, pdffonts: the
# report's tests read the PDF).
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	{ command -v pdftotext && command -v pdftoppm; } >/dev/null || missing="$$missing poppler-utils"; \
	test -n "$$(ls /usr/lib/*/libpango-1.0.so.0 /usr/lib/libpango-1.0.so.0 2>/dev/null)" \
	  || missing="$$missing libpango-1.0-0"; \
	test -n "$$(ls /usr/lib/*/libpangoft2-1.0.so.0 /usr/lib/libpangoft2-1.0.so.0 2>/dev/null)" \
	  || missing="$$missing libpangoft2-1.0-0"; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	test -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf || missing="$$missing fonts-noto-color-emoji"; \
	test -z "$$missing" || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  echo "Installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; }

chromium: system-deps

test: $(VENV)/.dev translations system-deps
	node --test tests/js/
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
