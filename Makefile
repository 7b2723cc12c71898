# Cadre: `make demo` to try it, `make test` to prove it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | cksum | cut -d' ' -f1)
# The PostgreSQL run uses DATABASE_URL when it names PostgreSQL, else the local server.
PG_URL ?= $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/cadre)

.PHONY: demo test lint format bench assets clean

$(STAMP): requirements/lock.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/cadre demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) lint
	@bash scripts/system-packages
	env -u DATABASE_URL $(BIN)/pytest -n 2 --dist loadfile -m "not browser and not postgres and not redis"
	@if DATABASE_URL=$(PG_URL) bash scripts/postgres-ready; then \
		echo "PostgreSQL answers: running the suite again on PostgreSQL, browser tests included"; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadfile; \
	elif [ -n "$$CI" ] || [ -n "$$CADRE_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required here (CI) but does not answer at $(PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL does not answer at $(PG_URL): the PostgreSQL run, browser tests included, was left out"; \
	fi

bench: $(STAMP)
	$(BIN)/python -m bench

assets:
	cd assets && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) var/
