# Lüzhi: `make run` sets everything up and serves the demo city; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LVZHI := $(BIN)/lvzhi
INSTALLED := $(VENV)/.installed
VENDOR := src/lvzhi/static/vendor
ASSETS := $(VENDOR)/.installed
TEST_ENV := LVZHI_STATIC_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage LVZHI_SECURE_COOKIES=0 LVZHI_DB_CONN_MAX_AGE=0

.PHONY: run install assets migrate test test-fast bench browser clean

run: install assets
	$(LVZHI) migrate --noinput
	$(LVZHI) collectstatic --noinput -v 0
	$(LVZHI) demo --if-empty
	# The demo serves plain HTTP on 127.0.0.1; behind HTTPS leave LVZHI_SECURE_COOKIES at its default.
	LVZHI_SECURE_COOKIES=$${LVZHI_SECURE_COOKIES:-0} $(LVZHI) serve

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

assets: $(ASSETS)

$(ASSETS): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/echarts
	cp frontend/node_modules/bootstrap/dist/css/bootstrap.min.css frontend/node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js frontend/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp frontend/node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

test: install assets browser
	$(TEST_ENV) $(BIN)/python -m pytest

test-fast: install assets
	$(TEST_ENV) $(BIN)/python -m pytest -m "not browser"

bench: install
	$(BIN)/python bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) frontend/node_modules $(VENDOR) var/static
