# Two commands: `make run` and `make test`. Everything else here is what they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test setup lint format messages migrate demo check clean-db

setup: $(VENV)/.installed node_modules/.installed locale/zh_Hans/LC_MESSAGES/django.mo

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
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

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

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
