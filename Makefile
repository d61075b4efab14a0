# Two commands for a fresh machine with Python 3.11+ and make:
#   make run   - set up a virtualenv, migrate, load the article, print a demo login, serve on :8000
#   make test  - set up the virtualenv and run the whole test suite (SQLite unless DATABASE_URL is set)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run setup test check clean bench load bench-scale messages compilemessages backup restore

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddata article
	$(BIN)/python manage.py demo_user

run: setup
	@echo "Serving Relations on http://$(HOST):$(PORT)/ (admin at /admin/). Stop with Ctrl-C."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Translations (needs GNU gettext: apt-get install gettext). `messages` adds new strings of the
# code and templates to locale/ar and locale/ru; translate them there, then `compilemessages`
# writes the .mo files, which are committed so a fresh clone shows the translations.
MESSAGES_LOCALES := --locale ar --locale ru

messages: install
	$(BIN)/python manage.py makemessages $(MESSAGES_LOCALES) --add-location file --no-wrap --ignore 'tests/*' --ignore 'bench/*'

compilemessages: install
	$(BIN)/python manage.py compilemessages $(MESSAGES_LOCALES) --ignore '.venv' --ignore 'staticfiles'

# Backups (README "Deploying"): the whole database and the uploaded documents in one zip file.
# `make backup` writes relations-backup-<UTC time>.zip here (or FILE=...); `make restore FILE=...` loads one
# into an empty, migrated database (FORCE=1 replaces whatever it holds).
FILE ?= relations-backup-$(shell date -u +%Y%m%dT%H%M%SZ).zip
backup: install
	$(BIN)/python manage.py backup "$(FILE)"

restore: install
	@test -n "$(filter command line environment,$(origin FILE))" || { echo "Say which backup: make restore FILE=relations-backup-....zip"; exit 2; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py restore "$(FILE)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Benchmarks (README "Benchmarks"): gunicorn + wrk on generated data; BENCH_DATABASE_URL=postgres://... for PostgreSQL.
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m bench run $(BENCH_ARGS)

load: install
	$(BIN)/python -m bench load $(BENCH_ARGS)

bench-scale: install
	$(BIN)/python -m bench scale $(BENCH_ARGS)
