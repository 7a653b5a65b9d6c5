# Every target sets up what it needs: .venv from pyproject.toml (pinned), then the pinned Chromium
# (tutorial/figuras/pinned_chromium.py: an exact build from the npm registry, checked by SHA-256).
# The first Python 3.11 or newer on PATH (PYTHON=/path/to/python to choose another).
ifeq ($(origin PYTHON), undefined)
PYTHON := $(shell for candidate in python3.13 python3.12 python3.11 python3 python; do \
	command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$candidate; break; }; done)
endif
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SERVE_ARGS ?=
PYTEST_ARGS ?=
REPORTS := reports
# -n auto: one worker more than the cores for the tests, one per core for make figuras (tutorial/ci/workers.py).
WORKERS ?= auto
# xdist hands out tests by work stealing: an idle worker takes half of the other's queue, and the
# tests come longest first by the committed durations (--primero-los-largos), so the minute-long
# ones (the run without mock control, the moved-clock re-shoot, the demo walk) overlap instead of
# leaving one worker alone at the end. (Against one mock started apart, PYTEST_ARGS="--dist
# loadgroup" overrides it: README.)
DIST ?= worksteal
# make pruebas SHARD=2/4: this machine runs the 2nd of 4 shards balanced by pytest-split on the committed
# durations (.ci/test_durations.json), its reports in reports/shard-2/; make unir-reportes joins them.
SHARD ?=
DURATIONS := .ci/test_durations.json
SHARD_ARGS :=
ifneq ($(SHARD),)
SHARD_GROUP := $(word 1,$(subst /, ,$(SHARD)))
SHARD_SPLITS := $(word 2,$(subst /, ,$(SHARD)))
REPORTS := reports/shard-$(SHARD_GROUP)
SHARD_ARGS := --splits $(SHARD_SPLITS) --group $(SHARD_GROUP) --durations-path $(DURATIONS) \
	--splitting-algorithm least_duration
endif

# Each target's Spanish name is the one to use (make ayuda lists them); the English name before it
# in a rule is an alias kept for pipelines and habits.
.PHONY: help ayuda figures figuras test pruebas test-full pruebas-completas test-extra pruebas-extra \
	test-remote pruebas-remotas serve sitio bench medir setup preparar clean limpiar doc constancia aceptar \
	mutacion merge-reports unir-reportes durations duraciones lint revisar formato pre-commit ajustes

# The renderer: the pinned build by default; RENDERIZADOR=sistema|playwright or CHROMIUM_PATH=/ruta
# choose another explicitly (its figures are compared across renderers). Every target's pytest sees them.
export RENDERIZADOR CHROMIUM_PATH

## make ayuda: every target with its #: line, in Spanish, the language of the people who run them.
#: esta lista
help ayuda:
	@echo "Objetivos (make <objetivo>; los nombres entre paréntesis son el mismo objetivo):"
	@awk '/^#: / { text = substr($$0, 4); next } \
		text != "" && /^[a-z][a-z -]*:/ { split($$0, rule, ":"); n = split(rule[1], names, " "); \
		alias = n > 1 ? " (" names[1] ")" : ""; printf "  %-22s %s%s\n", names[n], text, alias } { text = "" }' $(MAKEFILE_LIST)

## make ajustes: every setting below checked before any target runs or writes anything (a bad SHARD
## once ran the whole suite and left reports/shard-0/ behind): one Spanish line per bad value, naming
## it and the form it takes (tutorial/ci/settings.py, standard library only, so the system's Python
## runs it before .venv exists). Every target that sets up .venv has it as an order-only prerequisite;
## the + runs it under make -n too, so a dry run refuses a bad value as the run would.
SETTINGS_PYTHON := $(firstword $(wildcard $(BIN)/python) $(shell command -v python3 2>/dev/null) python3)
quote = '$(subst ','\'',$(1))'
#: revisa SHARD, WORKERS, FIGURA, RENDERIZADOR, CHROMIUM_PATH, PORT y PYTEST_ARGS antes de correr nada
ajustes:
	+@SHARD=$(call quote,$(SHARD)) WORKERS=$(call quote,$(WORKERS)) FIGURA=$(call quote,$(FIGURA)) \
	RENDERIZADOR=$(call quote,$(RENDERIZADOR)) CHROMIUM_PATH=$(call quote,$(CHROMIUM_PATH)) PORT=$(call quote,$(PORT)) \
	PYTEST_ARGS=$(call quote,$(PYTEST_ARGS)) $(SETTINGS_PYTHON) -m tutorial.ci.settings

## make preparar: .venv and the chosen renderer (quick when both are there).
#: prepara .venv y el Chromium fijado (lo hacen todos los objetivos; rápido la segunda vez)
setup preparar: $(VENV)/.installed
	@$(BIN)/tutorial navegador

# Every package, direct or pulled in, at the version and hashes of requirements.lock (made from
# pyproject.toml by pip-compile: its header has the command; tests/test_lock.py checks they agree);
# then the project itself, which brings nothing more (setuptools, its build backend, is in the lock).
$(VENV)/.installed: pyproject.toml requirements.lock | ajustes
	@test -n "$(PYTHON)" && command -v $(PYTHON) >/dev/null 2>&1 || \
		{ echo "Se necesita Python 3.11 o más nuevo en el PATH (o PYTHON=/ruta/a/python3.11)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

## make figuras: re-shoot every figure of the tutorial into screenshots/ and rebuild docs/.
#: vuelve a tomar las nueve figuras en screenshots/ y reconstruye docs/ (el trabajo principal)
figures figuras: preparar
	$(BIN)/tutorial figuras -n $(WORKERS) --reportes $(REPORTS) -- $(PYTEST_ARGS)

# Playwright traces recorded for every scenario cost a fifth of make pruebas (measured on two cores:
# the 89 scenarios in 42-46 s without, 54-63 s with --tracing retain-on-failure). So make pruebas
# records none in its run; when something failed it runs what failed once more (pytest --lf)
# with traces, into $(REPORTS)/trazas/playwright/. A test that passes the second time is flaky:
# it waits on something it does not name. make pruebas TRAZAS=1 records them in the run itself.
TRAZAS ?=
TRACE_ARGS := $(if $(TRAZAS),--tracing retain-on-failure,)
# Reports a pipeline understands, kept apart from pytest-playwright's --output (which it wipes).
REPORT_ARGS := --reportes $(REPORTS) --junitxml=$(REPORTS)/junit.xml --cucumberjson=$(REPORTS)/cucumber.json \
	--screenshot only-on-failure --output $(REPORTS)/playwright $(TRACE_ARGS)
# --last-failed-no-failures none: with no record of what failed it runs nothing, never the whole suite.
# The re-run prints no failure a second time: --trazas-de says only where each trace is, and adds
# it to $(REPORTS)/fallos.json, so the proof view links it (tutorial/ci/failure_summary.py).
RETRACE = $(BIN)/pytest --lf --last-failed-no-failures none $(QA_TIER) -n $(WORKERS) -q --no-header --tracing retain-on-failure \
	--screenshot only-on-failure --output $(REPORTS)/trazas/playwright --reportes $(REPORTS)/trazas \
	--trazas-de $(REPORTS) $(PYTEST_ARGS)
# What a failing run leaves behind (its screenshots, traces, figure reports and record of failures):
# a run clears the last run's first, so a green run never shows an old red one's evidence.
FAILURE_ARTEFACTS = $(REPORTS)/trazas $(REPORTS)/playwright $(REPORTS)/figures $(REPORTS)/fallos.json
# make pruebas ALLURE=1: Allure results too (allure-pytest-bdd), in $(REPORTS)/allure.
ALLURE ?=
ifneq ($(ALLURE),)
REPORT_ARGS += --alluredir=$(REPORTS)/allure --clean-alluredir
endif
## make pruebas: QA's regression, many times a day: make revisar beside every unit test and every scenario
## (all nine figures compared, all six terms, every flow), the fuzz at a tenth of its budget and
## the same examples every run; the checks that start whole runs, servers or other browsers
## (marked completo) are left to the complete tier. Prints its wall time at the end; lint and the suite both run, either fails it.
## Lint runs beside pytest, not before it (its output is printed when both are done): its seconds,
## mostly mypy's on a fresh clone, fall in the suite's start-up, when the cores are not both busy.
## So does the record of the run (reports/corrida.json, when and at which commit), which only the
## proof view at the end reads.
# Bytecode caches on for the suite even where PYTHONDONTWRITEBYTECODE is set (__pycache__ is
# git-ignored): without them every pytest process re-compiles and re-rewrites its imports, 1.5 s
# of CPU each. make pruebas PYTHONDONTWRITEBYTECODE=1 keeps it off.
QA_TIER := -m "not completo"
FUZZ_QA := 0.1
NOW = date +%s.%N
ELAPSED = awk "BEGIN { printf \"%.0f\", $$($(NOW)) - $$start }"
test pruebas test-extra pruebas-extra durations duraciones: export PYTHONDONTWRITEBYTECODE =
#: la regresión de QA: lint, pruebas unitarias y escenarios; imprime su tiempo (~65 s en dos núcleos)
test pruebas: preparar
	@start=$$($(NOW)); rm -rf $(FAILURE_ARTEFACTS); mkdir -p $(REPORTS); \
	$(BIN)/tutorial constancia --registrar-corrida --reportes $(REPORTS) & record_pid=$$!; \
	echo "lint: ruff, mypy y vulture corren junto a pytest; su salida, al terminar ($(REPORTS)/lint.txt)"; \
	{ $(LINT); } > $(REPORTS)/lint.txt 2>&1 & lint_pid=$$!; \
	echo "pytest: las pruebas de QA (todas menos las marcadas completo), -n $(WORKERS)"; \
	FUZZ_SCALE=$(FUZZ_QA) FUZZ_FIJO=1 $(BIN)/pytest $(QA_TIER) -n $(WORKERS) --dist $(DIST) --primero-los-largos $(DURATIONS) \
	$(REPORT_ARGS) $(SHARD_ARGS) $(PYTEST_ARGS); status=$$?; \
	wait $$record_pid; wait $$lint_pid; lint=$$?; cat $(REPORTS)/lint.txt; \
	echo "Reportes: $(REPORTS)/junit.xml, $(REPORTS)/cucumber.json, $(REPORTS)/figures/ y $(REPORTS)/playwright/ (capturas de fallos)"; \
	if [ $$status -ne 0 ] && [ -z "$(TRAZAS)" ]; then \
	echo "Lo que falló, otra vez con trazas de Playwright (en $(REPORTS)/trazas/playwright/):"; \
	FUZZ_SCALE=$(FUZZ_QA) FUZZ_FIJO=1 $(RETRACE) || true; fi; \
	$(BIN)/tutorial constancia --reportes $(REPORTS) || true; \
	echo "make pruebas: $$($(ELAPSED)) s"; \
	test $$status -ne 0 && exit $$status; exit $$lint

## make pruebas-completas: make pruebas, then make pruebas-extra; CI runs both (.ci/run).
#: make pruebas y luego make pruebas-extra (lo que corre CI)
test-full pruebas-completas: pruebas pruebas-extra

## make pruebas-extra: the part of make pruebas-completas that make pruebas leaves out: the checks marked completo
## (moved clock, remote browser server, the run without mock control, the demo walk, Allure, lint,
## shard split, mutation selection...) and the fuzz at its full budget; reports in reports/completo/.
EXTRA_REPORTS := $(REPORTS)/completo
#: sólo las pruebas marcadas completo y el fuzz completo (reports/completo/)
test-extra pruebas-extra: preparar
	@start=$$($(NOW)); mkdir -p $(EXTRA_REPORTS); \
	FUZZ_SCALE=1 $(BIN)/pytest -m "completo or fuzz" -n $(WORKERS) --dist $(DIST) --primero-los-largos $(DURATIONS) \
	--reportes $(EXTRA_REPORTS) --junitxml=$(EXTRA_REPORTS)/junit.xml --tracing retain-on-failure \
	--output $(EXTRA_REPORTS)/playwright $(PYTEST_ARGS); status=$$?; \
	echo "Reportes: $(EXTRA_REPORTS)/junit.xml"; \
	echo "make pruebas-extra: $$($(ELAPSED)) s"; \
	exit $$status

## make unir-reportes (or merge-reports): the reports of every reports/shard-*/ (make pruebas SHARD=n/N,
## one folder per CI job) joined into reports/: junit.xml, cucumber.json, figures/index.html, playwright/,
## corrida.json, then reports/tutorial.html (make constancia) from them.
SHARD_REPORTS ?= $(wildcard reports/shard-*)
#: une los reportes de los fragmentos reports/shard-*/ en reports/
merge-reports unir-reportes: $(VENV)/.installed
	$(BIN)/tutorial unir-reportes --salida reports $(SHARD_REPORTS)
	-@$(BIN)/tutorial constancia --reportes reports

## make duraciones: record every test's duration again into .ci/test_durations.json (the whole suite,
## on the workers make pruebas starts); commit it when tests were added or became slower.
#: vuelve a medir la duración de cada prueba en .ci/test_durations.json
durations duraciones: preparar
	$(BIN)/pytest -n $(WORKERS) --dist $(DIST) -q -p no:cacheprovider --store-durations --clean-durations \
	--durations-path $(DURATIONS) --reportes $(REPORTS)/durations $(PYTEST_ARGS)

## make pruebas-remotas: every scenario again, each browser launched by a real Playwright browser server
## (playwright run-server --unsafe, same Chromium) against the embedded mock; CI runs it after make pruebas.
#: cada escenario otra vez, con el navegador de un servidor de Playwright
test-remote pruebas-remotas: preparar
	@mkdir -p $(REPORTS)/remoto
	ASPEL_SUITE_REMOTA=1 ASPEL_SUITE_REMOTA_REPORTES=$(REPORTS)/remoto WORKERS=$(WORKERS) \
	$(BIN)/pytest tests/test_run_anywhere.py -p no:xdist -q -rs -k every_scenario_passes_through_a_remote_browser_server \
	--junitxml=$(REPORTS)/remoto/junit-servidor.xml; status=$$?; \
	echo "Reportes de la corrida remota: $(REPORTS)/remoto/junit.xml, $(REPORTS)/remoto/figures/ y $(REPORTS)/remoto/playwright/"; \
	exit $$status

## make sitio: the mock on http://127.0.0.1:$(PORT), a fresh demo at every start: the tutorial's
## customer on the tutorial's date (SERVE_ARGS="--hoy 2026-11-28" for another day, --help for more).
#: el sitio de prueba en http://127.0.0.1:5000 (PORT=8000 para otro), con la demo del tutorial
serve sitio: $(VENV)/.installed
	PORT=$(PORT) $(BIN)/python -m mock_site $(SERVE_ARGS)

## make medir: how fast the figures regenerate, against the bare-Playwright floor (BENCH_ARGS=--quick).
#: mide la velocidad y la memoria contra el piso de Playwright (bench/results.md)
bench medir: preparar
	$(BIN)/python -m bench $(BENCH_ARGS)

## make revisar: ruff's checks and its formatter, as a check (make pruebas runs it beside pytest); make formato fixes.
## Then mypy, the type checker ([tool.mypy] in pyproject.toml: mock_site/, tutorial/, steps/), and
## vulture, the dead-code check ([tool.vulture]; what a library reads by name: tests/vulture_whitelist.py).
LINT = { $(BIN)/ruff check --quiet . && $(BIN)/ruff format --check --quiet . && echo "lint: ruff sin observaciones"; } || \
	{ echo "lint: ruff encontró lo de arriba; make formato corrige lo que puede"; false; }; ruff=$$?; \
	{ $(BIN)/mypy --no-error-summary && echo "lint: mypy sin observaciones"; } || \
	{ echo "lint: mypy encontró tipos que no cuadran (arriba): corrígelos en el código"; false; }; mypy=$$?; \
	{ $(BIN)/vulture && echo "lint: vulture sin código muerto"; } || \
	{ echo "lint: vulture encontró código que nadie usa (arriba): bórralo, o si una biblioteca lo lee por su nombre, anótalo en tests/vulture_whitelist.py"; false; }; vulture=$$?; \
	test $$ruff -eq 0 && test $$mypy -eq 0 && test $$vulture -eq 0
#: ruff, mypy y vulture: revisión, formato, tipos y código muerto, sin cambiar nada
lint revisar: $(VENV)/.installed
	@$(LINT)

## make formato: ruff's safe fixes and its formatter over the tree.
#: ruff: corrige lo que puede y da formato
formato: $(VENV)/.installed
	$(BIN)/ruff check --fix --quiet . ; $(BIN)/ruff format --quiet .

## make pre-commit: install the git hook (.pre-commit-config.yaml) that runs ruff before each commit.
#: instala el gancho de git que corre ruff antes de cada commit
pre-commit: $(VENV)/.installed
	$(BIN)/pre-commit install

#: borra .venv, reports/ y las cachés
clean limpiar:
	rm -rf $(VENV) $(REPORTS) test-results instance .pytest_cache .hypothesis

# --- the recorded renderer in a container (.ci/Dockerfile: Debian bookworm and its chromium) ---
# RENDERIZADOR_NUEVO=1 (make figuras RENDERIZADOR_NUEVO=1) reaches pytest through the environment: on
# a renderer other than the recorded one it rewrites every figure and screenshots/figuras.json
# (RENDERER=nuevo, its old name, still works).
export RENDERIZADOR_NUEVO RENDERER
CONTAINER_IMAGE ?= aspel-tutorial-renderizador
# --shm-size: Docker's 64 MB /dev/shm would send Chromium's shared memory to files in /tmp, which
# costs it CPU on every page (tutorial/figuras/renderer.py, ignored_default_args).
CONTAINER_RUN = docker run --rm --shm-size=2g --user "$$(id -u):$$(id -g)" -v "$(CURDIR):/work" -w /work $(CONTAINER_IMAGE)

.PHONY: contenedor figures-container figuras-contenedor test-container pruebas-contenedor

#: construye la imagen de .ci/Dockerfile con el renderizador fijado
contenedor:
	docker build -f .ci/Dockerfile -t $(CONTAINER_IMAGE) .

## make figuras-contenedor: make figuras with the recorded renderer, on any machine with docker.
#: make figuras dentro del contenedor (Mac, ARM)
figures-container figuras-contenedor: contenedor
	$(CONTAINER_RUN) make figuras VENV=/opt/venv WORKERS=$(WORKERS) PYTEST_ARGS="$(PYTEST_ARGS)" RENDERIZADOR_NUEVO="$(RENDERIZADOR_NUEVO)" RENDERER="$(RENDERER)"

## make pruebas-contenedor: make pruebas with the recorded renderer (the exact verdict).
#: make pruebas dentro del contenedor
test-container pruebas-contenedor: contenedor
	$(CONTAINER_RUN) make pruebas VENV=/opt/venv WORKERS=$(WORKERS) PYTEST_ARGS="$(PYTEST_ARGS)"

# --- living documentation (issue 15) ---------------------------------------------------------

## make constancia: reports/tutorial.{md,html}, the tutorial with each term's proof from the last make pruebas
## (reports/cucumber.json, reports/corrida.json, reports/figures/); runs nothing, never fails the
## build for want of a run; docs/ stays the clean published tutorial.
#: reports/tutorial.html: el tutorial con la prueba de cada término de la última corrida
doc constancia: $(VENV)/.installed
	$(BIN)/tutorial constancia --reportes $(REPORTS)

## make aceptar FIGURA=figura-04: that run's capture becomes the committed figure (and docs/ is
## rebuilt); without FIGURA, every changed or new figure of the last run.
#: la captura de la última corrida pasa a ser la figura publicada (FIGURA=figura-04)
aceptar: $(VENV)/.installed
	$(BIN)/tutorial aceptar --reportes $(REPORTS) $(if $(FIGURA),--figura $(FIGURA))
	-@$(BIN)/tutorial constancia --reportes $(REPORTS)

## make mutacion: mutmut over mock_site/domain/ and tutorial/figuras/comparison.py with the fast tests
## ([tool.mutmut] in pyproject.toml; it works in mutants/, never in the working tree).
## Ends with "Puntaje de mutación: killed / all = N % (s)"; fails under 90 % or when a survivor has
## neither a test nor a reason in tests/mutacion_sobrevivientes.md (tests/mutacion.py counts).
MUTACION_HIJOS ?= 2
#: el puntaje de mutación de las reglas y de la comparación de figuras
mutacion: $(VENV)/.installed
	@start=$$(date +%s); $(BIN)/mutmut run --max-children $(MUTACION_HIJOS) || exit $$?; \
	$(BIN)/mutmut results --all true | $(BIN)/python -m tests.mutacion $$(( $$(date +%s) - start ))
