.DEFAULT_GOAL := help

.PHONY: help run check test bench translations format

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: ## Set up everything and run the demo (HMP Demo on SQLite) on http://127.0.0.1:5000
	scripts/run

check: ## The fast loop: lint, import layers, types, every non-browser test on SQLite (parallel)
	scripts/check

test: ## Every check CI runs: lint, import layers, types, all tests on SQLite and PostgreSQL (parallel)
	scripts/test

bench: ## Run the benchmarks and write benchmarks/results/
	scripts/bootstrap test && SAFEREPORT_TEST_POSTGRES_URL=$$(scripts/test-postgres) .venv/bin/python -m benchmarks

translations: ## Extract strings, merge them into every catalog, compile
	scripts/translations update && scripts/translations compile

format: ## Format the code with ruff
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
