# AgentDesk (代办通) — developer entry points. `make run` and `make test` work on a fresh
# Debian/Ubuntu machine with Python 3.11+; system packages they need are checked below.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint bench screenshots i18n sysdeps clean soak dist dist-check lock icon

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "AgentDesk needs Python 3.11 or newer"' \
	  || { echo "需要 Python 3.11 或更新版本 (Python 3.11+ required)"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "请安装 python3-venv: sudo apt-get install python3-venv"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Qt needs a few shared libraries even offscreen, and a CJK font to draw Chinese.
sysdeps:
	@sh scripts/check_sysdeps.sh

agent_desk/ui/i18n/agent_desk_zh_CN.qm: agent_desk/ui/i18n/agent_desk_zh_CN.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

i18n: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -silent -no-obsolete -extensions py agent_desk/ui -ts agent_desk/ui/i18n/agent_desk_zh_CN.ts
	$(PY) scripts/i18n_fill.py
	$(VENV)/bin/pyside6-lrelease -silent agent_desk/ui/i18n/agent_desk_zh_CN.ts -qm agent_desk/ui/i18n/agent_desk_zh_CN.qm

run: $(STAMP) sysdeps agent_desk/ui/i18n/agent_desk_zh_CN.qm
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "没有图形显示，使用 xvfb-run 启动 (no display: starting under xvfb-run)"; \
	  QT_QPA_PLATFORM=xcb xvfb-run -a $(PY) -m agent_desk gui --demo; \
	else QT_QPA_PLATFORM= $(PY) -m agent_desk gui --demo; fi

test: $(STAMP) sysdeps agent_desk/ui/i18n/agent_desk_zh_CN.qm
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check agent_desk tests bench scripts
	$(VENV)/bin/ruff format --check agent_desk tests bench scripts
	$(VENV)/bin/mypy

bench: $(STAMP) sysdeps
	$(PY) bench/run.py $(BENCH_ARGS)

# The long reliability runs (200 kill -9 trials, hostile inputs, secret scan, hub matrix); writes docs/RELIABILITY.md.
soak: $(STAMP)
	$(PY) -m tests.reliability.soak $(SOAK_TRIALS)

screenshots: $(STAMP) sysdeps agent_desk/ui/i18n/agent_desk_zh_CN.qm
	$(PY) scripts/screenshots.py docs/screenshots
	$(PY) scripts/screenshots_print.py docs/screenshots
	$(PY) scripts/screenshots_requests.py docs/screenshots

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

# -- the installable app (installer/README.md) ------------------------------------------------------
# `make dist` builds the one-folder bundle of this checkout for this OS into dist/agent-desk/
# (build/ and dist/ are gitignored); `make dist-check` starts it offscreen and under xcb on throwaway
# data and a throwaway keyring. The Windows installer is built by installer/build_windows.ps1.
DIST_STAMP := $(VENV)/.dist-installed
DIST_APP   := dist/agent-desk/agent-desk

$(DIST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[dev,dist]'
	@touch $@

dist: $(DIST_STAMP) sysdeps agent_desk/ui/i18n/agent_desk_zh_CN.qm
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/agent_desk.spec
	@du -sh dist/agent-desk

dist-check: sysdeps
	@sh scripts/check_dist_deps.sh
	sh scripts/dist_check.sh $(DIST_APP)

# The Windows bundle's dependencies, pinned with hashes for build_windows.ps1 (resolved for Windows
# x64 / Python 3.11 from this machine); run after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(PY) -m pip install -q 'uv>=0.5,<1'
	$(VENV)/bin/uv pip compile pyproject.toml installer/build-requirements.in --extra dist \
	  --python-platform x86_64-pc-windows-msvc --python-version 3.11 --generate-hashes --no-header \
	  --custom-compile-command "make lock" -o installer/requirements-windows.lock

# installer/icon/agent-desk.svg -> the .ico of the .exe and installer, the window's PNG.
icon: $(STAMP)
	$(PY) scripts/make_icon.py
