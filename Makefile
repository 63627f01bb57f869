# Two commands for a newcomer:  make lab  (open the course)  and  make test  (run every test);
# make app  serves the Playground alone as a web app. Each makes a local .venv with the
# standard venv + pip first; nothing is installed globally.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: setup lab app serve test test-fast notebooks student site wheel benchmark lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; run: make PYTHON=python3.12 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,site]'
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
THREADS   := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

# The Playground's frames go out at once (helpers/playground/server.py; voila.json does the same
# for the app).
NODELAY   := --ServerApp.kernel_websocket_connection_class=helpers.playground.server.NoDelayConnection

lab: setup                ## open the course in JupyterLab (solutions collapsed: click to show)
	$(THREADS) $(BIN)/jupyter lab notebooks/ $(ROOT_FLAG) $(NODELAY)

# The kernel is started and the app built before the first visitor (preheat), so the page
# shows the Playground as soon as it opens. VOILA_ARGS adds options, e.g. --no-browser --port=8867
app: setup                ## the Playground alone as a web app (Voila): http://localhost:8866
	$(THREADS) $(BIN)/voila app/playground.ipynb --preheat_kernel=True $(VOILA_ARGS)

# A class: the same app and voila.json, a pre-heated kernel per learner (about 110 MB each),
# reachable from the room's network. LEARNERS=20 for a smaller class; VOILA_ARGS as for app
# (a --Voila.ip there replaces 0.0.0.0: Voila refuses the option given twice).
LEARNERS ?= 30
serve: setup              ## the Playground app for a class of LEARNERS (30) on this machine's network
	$(THREADS) $(BIN)/voila app/playground.ipynb --preheat_kernel=True --no-browser \
	  $(if $(findstring --Voila.ip,$(VOILA_ARGS)),,--Voila.ip=0.0.0.0) \
	  --VoilaConfiguration.default_pool_size=$(LEARNERS) $(VOILA_ARGS)

test: setup               ## unit tests, nbval (strict) over every notebook, browser tests if Chromium is here
	$(BIN)/python -m pytest -rs --durations=10
	@echo "== every notebook once more with another CPU's arithmetic (tools/numerics.py): each claim must still hold"
	HP_NUMERICS=alternate $(BIN)/python -m pytest notebooks/ app/ -q --nbval-lax

test-fast: setup          ## unit tests only (no browser, no notebook kernels, no wheel install)
	$(BIN)/python -m pytest tests/ -m "not browser and not kernel and not install"

notebooks: setup          ## re-execute every notebook in order and store the outputs
	$(BIN)/python tools/execute_notebooks.py notebooks/[0-9]*.ipynb app/playground.ipynb

student: setup            ## the student edition (solutions removed) into build/student/
	$(BIN)/python tools/student_edition.py notebooks build/student

site: setup               ## the static website (Jupyter Book) into build/site/
	$(BIN)/python tools/build_site.py build/site

wheel: setup              ## the installable course (helpers + notebooks + app) into dist/
	rm -rf build/lib build/bdist.*   # setuptools would ship stale files left there
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

benchmark: setup          ## helpers vs PyTorch per MLP epoch and per GPT step (needs torch: see the README)
	$(BIN)/python benchmarks/bench_epoch.py
	$(BIN)/python benchmarks/bench_gpt.py

lint: setup
	$(BIN)/ruff check helpers tests notebooks tools benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache
