# Quick start: `make serve` runs the service on its embedded defaults; `make test` runs every test.
.PHONY: install serve test lint unit integration

install:
	@./scripts/bootstrap.sh

serve: install
	.venv/bin/productsmanager serve

lint: install
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/lint-imports

unit: install
	.venv/bin/python -m pytest tests/unit

integration: install
	.venv/bin/python scripts/check_services.py
	.venv/bin/python -m pytest tests/integration

test: install
	.venv/bin/python scripts/check_services.py
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/lint-imports
	.venv/bin/python -m pytest
