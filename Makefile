# Lyon Assos: `make run` sets everything up and serves the site; `make test` runs the suite.
SHELL := /bin/bash
PY_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PY_VERSION) 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install install-dev install-node icons lint typecheck format check migrate messages makemessages seed superuser serve loadtest backup restore clean help

help:
	@echo "make run    set up (virtualenv, install, migrate, demo data) and serve http://$(HOST):$(PORT)"
	@echo "make test   install the test needs and run the whole suite"
	@echo "make lint   ruff check and format check"
	@echo "make typecheck   mypy with django-stubs (strict on the typed contracts, see pyproject.toml)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (found " + sys.version.split()[0] + "); see .python-version")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (apt-get install npm)"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-node: node_modules/.installed

# The icons' SVG sprite (static/icons/sprite.svg, git-ignored) from the npm package lucide-static:
# only the icons directory/icons.py names. Rebuilt when the package or the mapping changes.
ICON_SPRITE := static/icons/sprite.svg
$(ICON_SPRITE): directory/icons.py package-lock.json | install node_modules/.installed
	DJANGO_DEBUG=1 $(MANAGE) build_icons
icons: $(ICON_SPRITE)

migrate: install
	$(MANAGE) migrate --noinput

# Translations (README "Languages"): .po → .mo. Uses GNU gettext's msgfmt when installed, else
# polib (pure Python, see directory/msgfmt.py), so a fresh machine needs nothing more.
LOCALE_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles
messages: export DJANGO_DEBUG ?= 1
messages: install
	$(MANAGE) compilemessages $(LOCALE_IGNORE) -v0

# After changing interface strings: refresh locale/*/LC_MESSAGES/django.po (needs GNU gettext).
makemessages: export DJANGO_DEBUG ?= 1
makemessages: install
	$(MANAGE) makemessages --all $(LOCALE_IGNORE)

# Development server with demo data; DEBUG on unless you set DJANGO_DEBUG yourself. E-mailed
# links point at the address served (make run PORT=8010 → http://127.0.0.1:8010) unless
# SITE_URL is set; HOST 0.0.0.0 (every interface) is reached as 127.0.0.1.
run: export DJANGO_DEBUG ?= 1
run: export SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: migrate messages icons
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) ensure_superuser
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev install-node messages icons
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmark of the search on the data the registry import produces (docs/benchmarks.md): writes a
# synthetic rna_waldec file, imports it with import_rna (listings at their area's centre), times
# families of distinct searches (HTML and API, cold then repeated) next to /healthz, then again
# after spreading the places over their communes as geocoding would. On a database of its own:
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/lyon_bench_100k make bench \
#   BENCH_ARGS="--sizes 10000,100000 --output /tmp/bench.md"
# Concurrency run on the listings left there (gunicorn, production settings, 2 workers, 20 clients):
#   BENCH_ARGS="--rows 100000 --reuse --per-family 0 --concurrency 20 --duration 60"
# DEBUG only lets settings load without a secret key: the command measures with DEBUG off.
bench: export DJANGO_DEBUG ?= 1
bench: install
	$(MANAGE) bench $(BENCH_ARGS)

# Production server: gunicorn (gunicorn.conf.py) with static files from whitenoise. Reads the
# production environment (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, EMAIL_HOST…).
# Local trial over plain HTTP (docs/deploy.md):
#   DJANGO_SECRET_KEY=trial DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 \
#   DJANGO_HSTS_SECONDS=0 make serve PORT=8080
serve: install messages icons
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) migrate --noinput
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py

# Load test (gunicorn + PostgreSQL + 100 000 bench listings + wrk), then the fault run (a worker
# killed, PostgreSQL restarted). See docs/benchmarks.md "Load and faults".
loadtest: install
	loadtest/run.sh load
	loadtest/run.sh faults

# Database backup to backups/lyonassos-YYYYmmdd-HHMMSS.{dump,sqlite3} (BACKUP_KEEP newest kept);
# restore with `make restore FILE=backups/…` (asks for confirmation).
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/lyonassos-YYYYmmdd-HHMMSS.dump"; exit 2; }
	$(MANAGE) restore "$(FILE)"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs (config in pyproject.toml). Its plugin imports the settings: DEBUG lets
# them load without a secret key (nothing runs, nothing is served).
typecheck: export DJANGO_DEBUG ?= 1
typecheck: install-dev
	$(BIN)/mypy directory lyonassos

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache
