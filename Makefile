# Every target sets up .venv on first use (Python 3.11+, pinned dependencies).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv node serve site check test test-fast lint bench clean starter-manifest

help:
	@echo "make serve   validate and serve the playbook at http://127.0.0.1:8000"
	@echo "make site    build the static site into site/ (BUILDER=properdocs or zensical: with that builder)"
	@echo "make check   validate every content file"
	@echo "make test    run every test"
	@echo "make test-fast  every test except real browsers and full-site builds"
	@echo "make lint    ruff and mypy (strict on generator/)"
	@echo "make bench   measure speed and memory (not part of make test)"
	@echo "make starter-manifest  list the example company's files in starter.sha256 (after editing them)"
	@echo "make node    install the form editor (Decap CMS) from package-lock.json into node_modules/"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

# The form editor served at /admin/ of internal builds (Decap CMS, pinned in package-lock.json;
# README "Editing without YAML"). Install scripts are not run: the packages ship built files.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $(NODE_STAMP)

node: $(NODE_STAMP)

# BUILDER=mkdocs (default) and BUILDER=properdocs build with the playbook plugin; BUILDER=zensical
# builds with Zensical from the project `playbook build --out` writes (no plugin;
# `make serve` keeps it current with `playbook build --out --watch`).
# PLAYBOOK_AUDIENCE and PLAYBOOK_TODAY apply to every builder.
BUILDER ?= mkdocs
PROJECT := build/$(BUILDER)-project

serve: venv node
	$(BIN)/playbook check
ifeq ($(BUILDER),zensical)
	$(BIN)/playbook build --out $(PROJECT) --audience "$${PLAYBOOK_AUDIENCE:-internal}" \
		$${PLAYBOOK_TODAY:+--today "$$PLAYBOOK_TODAY"}
	trap 'kill 0' EXIT; $(BIN)/playbook build --out $(PROJECT) --watch --audience "$${PLAYBOOK_AUDIENCE:-internal}" \
		$${PLAYBOOK_TODAY:+--today "$$PLAYBOOK_TODAY"} & cd $(PROJECT) && $(CURDIR)/$(BIN)/zensical serve
else
	$(BIN)/$(if $(filter properdocs,$(BUILDER)),properdocs,mkdocs) serve -f mkdocs.yml
endif


site: venv node
ifeq ($(BUILDER),mkdocs)
	$(BIN)/mkdocs build --strict --site-dir site
else ifeq ($(BUILDER),properdocs)
	$(BIN)/properdocs build --strict -f mkdocs.yml --site-dir site
else ifeq ($(BUILDER),zensical)
	$(BIN)/playbook build --out $(PROJECT) --audience "$${PLAYBOOK_AUDIENCE:-internal}" \
		$${PLAYBOOK_TODAY:+--today "$$PLAYBOOK_TODAY"}
	cd $(PROJECT) && $(CURDIR)/$(BIN)/zensical build --strict
	rm -rf site && cp -R $(PROJECT)/site site
else
	@echo "make site: BUILDER must be mkdocs, properdocs or zensical, not '$(BUILDER)'" >&2; exit 2
endif

check: venv
	$(BIN)/playbook check

test: lint node
	$(BIN)/pytest -n auto --dist loadfile

test-fast: lint
	$(BIN)/pytest -m "not browser and not site" -q -n auto --dist loadfile

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy

# BENCH_SIZES=100,1000 shortens it; BENCH_BUILD_MAX=10000 also builds the site at 10,000 (minutes);
# BENCH_RELOAD_RUNS (default 3) edits per builder in the reload measurement.
bench: venv
	$(BIN)/python -m bench.run

# playbook init removes only the files listed here, byte for byte (README "Adopting the playbook").
starter-manifest: venv
	$(BIN)/python -c 'from pathlib import Path; from generator.repo.adopt import MANIFEST, manifest_text; \
	Path(MANIFEST).write_text(manifest_text(Path(".")))'

clean:
	rm -rf site build .pytest_cache .ruff_cache
