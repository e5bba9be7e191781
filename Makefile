# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run   - install, migrate, load the demo report, print a staff login, serve 127.0.0.1:8000
#   make test  - install, lint, run the test suite
# Debian's own Python 3.11 when it is there: the interpreter a Debian server runs (security fixes
# from apt), and a profile-guided build that runs WeasyPrint's layout about 10 % faster than a
# default source build such as pyenv's (bench/pdf). Otherwise the first python3 on the PATH.
PYTHON ?= $(or $(wildcard /usr/bin/python3.11),python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup system system-test lint format clean bench bench-scale

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

system:
	bash scripts/system-packages.sh

system-test:
	bash scripts/system-packages.sh --with-browser

setup: system $(STAMP)

run: setup
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py build_fonts
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --with-staff
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: system-test $(STAMP) lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv -v0
	$(PY) manage.py build_fonts
	$(VENV)/bin/pytest

bench: system-test $(STAMP)
	$(PY) bench/pdf.py
	$(PY) bench/entry.py

# A province's worth of data on the local PostgreSQL (database bench_scale, made afresh).
bench-scale: system $(STAMP)
	$(PY) manage.py build_fonts
	$(PY) bench/scale.py
	$(PY) bench/serve.py

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache var media test-artifacts
