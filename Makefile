# make run : installe puis produit les documents de l'année en cours ; make test : installe puis
# vérifie le style (ruff), les types (mypy) et lance les tests (pytest), dans cet ordre.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2026
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# the national validator, without the Flask 2 pins of its web interface (see pyproject.toml)
VALIDATA := validata-table==0.12.5

.PHONY: run test serve install install-dev libreoffice chromium postgresql lint clean goldens

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(VALIDATA)
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(VALIDATA)
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEVSTAMP)

# LibreOffice (Writer pour les PDF, Calc pour recalculer les classeurs dans les tests) et poppler :
# installés quand c'est possible (root + apt-get) et qu'il en manque un, sinon ignoré.
libreoffice:
	@{ command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libsclo.so ] && \
	   command -v pdftotext >/dev/null 2>&1; } || \
	  { if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	        libreoffice-writer-nogui libreoffice-calc-nogui fonts-dejavu-core fonts-liberation poppler-utils >/dev/null) || \
	      echo "LibreOffice n'a pas pu être installé : les PDF ne seront pas produits."; \
	    else echo "LibreOffice absent : installez-le avec « apt-get install libreoffice-writer-nogui » pour obtenir les PDF."; fi; }

# Chromium et chromedriver pour les tests de l'interface web (tests/test_web_browser.py) : même règle.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	        chromium chromium-driver >/dev/null) || \
	      echo "Chromium n'a pas pu être installé : les tests du navigateur seront sautés."; \
	    else echo "Chromium absent : « apt-get install chromium chromium-driver » pour les tests du navigateur."; fi; }

# PostgreSQL (initdb, pg_ctl) pour les tests de la base du service (tests/service) : même règle ;
# les fixtures y démarrent un cluster jetable sous un compte non root, SQLite sinon seulement.
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	        postgresql >/dev/null) || \
	      echo "PostgreSQL n'a pas pu être installé : les tests de la base le sauteront (SQLite seul)."; \
	    else echo "PostgreSQL absent : « apt-get install postgresql » pour tester aussi la base sur PostgreSQL."; fi; }

run: install libreoffice
	$(BIN)/fsl build $(YEAR) --pdf

test: install-dev libreoffice chromium postgresql
	$(BIN)/ruff check engine tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

serve: install
	$(BIN)/fsl serve

lint: install-dev
	$(BIN)/ruff check engine tests bench
	$(BIN)/mypy

goldens: install-dev
	$(BIN)/python -m tests.regenerate_goldens

clean:
	rm -rf $(VENV) output
