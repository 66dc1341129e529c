# Quick start: `make serve` runs the service on its embedded defaults (runtime dependencies only);
# `make test` runs every test (the dev extra is added first).
.PHONY: install install-runtime serve test lint unit integration browser

install:
	@./scripts/bootstrap.sh dev

install-runtime:
	@./scripts/bootstrap.sh runtime

serve: install-runtime
	.venv/bin/productsmanager serve

lint: install
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/lint-imports

unit: install
	.venv/bin/python -m pytest tests/unit

integration: install
	.venv/bin/python scripts/check_services.py
	.venv/bin/python -m pytest tests/integration

browser: install
	.venv/bin/python -m pytest tests/browser

test: install
	.venv/bin/python scripts/check_services.py
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/lint-imports
	.venv/bin/python -m pytest -n 2
