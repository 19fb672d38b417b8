# The two commands of the README: `make run` and `make test`.
PY := .venv/bin/python
PORT ?= 8000

.PHONY: run setup test lint superuser fixtures mutation

run: setup  ## Set up everything and serve the portal on SQLite with the sample plans.
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

setup:
	scripts/bootstrap
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_samples
	$(PY) manage.py load_demo_city

test:  ## The whole test suite (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL).
	scripts/bootstrap --browser
	$(PY) -m pytest -n 2

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

superuser:  ## Create a staff account for the admin at /admin/.
	$(PY) manage.py createsuperuser

mutation:  ## Mutation check (mutmut) on the parsers, progress, tenancy and CSV code; minutes, not in `make test`.
	scripts/bootstrap
	$(PY) scripts/mutation.py $(GROUPS)
