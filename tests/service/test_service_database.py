"""The database: created at head, refused behind head, brought to head by `fsl base migrer`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from engine import PROJECT_ROOT
from engine.service.database import (
    connect,
    current_revision,
    database_url,
    head_revision,
    open_database,
    upgrade,
)
from engine.service.models import Base

OLDER = "0001"


def _sqlite_file(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _older_database_with_a_user(url: str) -> None:
    engine = connect(url)
    upgrade(engine, OLDER)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO utilisateurs (identifiant, role, mot_de_passe, actif, cree_le) "
            "VALUES ('ancien', 'agent', 'x', :actif, '2026-01-01T00:00:00.000000Z')"), {"actif": True})
    engine.dispose()


def test_default_database_is_var_fsl_sqlite3_under_the_project_root():
    assert database_url({}) == f"sqlite:///{PROJECT_ROOT / 'var' / 'fsl.sqlite3'}"
    assert database_url({"FSL_DATABASE_URL": "postgresql+psycopg://fsl@db/fsl"}) == "postgresql+psycopg://fsl@db/fsl"


def test_first_use_creates_the_database_at_head(database_url):
    sessions = open_database(database_url)
    engine = sessions.kw["bind"]
    assert current_revision(engine) == head_revision()
    assert {"utilisateurs", "journal", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_agree_with_the_migrations(database_url):
    engine = open_database(database_url).kw["bind"]
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_command_refuses_a_database_behind_head_and_names_fsl_base_migrer(database_url, fsl):
    _older_database_with_a_user(database_url)
    result = fsl("utilisateurs", "lister")
    assert result.code == 1
    assert "révision 0001, en retard sur le code" in result.err
    assert "lancez « fsl base migrer »" in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_migrer_brings_an_older_database_to_head_and_keeps_its_rows(database_url, fsl):
    _older_database_with_a_user(database_url)
    result = fsl("base", "migrer")
    assert result.code == 0, result.err
    assert f"révision 0001 → {head_revision()}" in result.out
    assert "ancien" in fsl("utilisateurs", "lister").out
    source = _sqlite_file(database_url)
    if source:
        copy = source.with_name("fsl.sqlite3.avant-migration-0001")
        assert f"Copie de la base avant migration : {copy}" in result.out
        with sqlite3.connect(copy) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
            assert old.execute("SELECT identifiant FROM utilisateurs").fetchall() == [("ancien",)]
    else:
        assert "PostgreSQL : aucune copie faite par fsl (sauvegardez avec pg_dump" in result.out


def test_migrer_at_head_does_nothing_and_copies_nothing(database_url, fsl):
    source = _sqlite_file(database_url)
    _older_database_with_a_user(database_url)
    assert fsl("base", "migrer").code == 0
    assert fsl("base", "migrer").out.endswith(f"déjà à la révision {head_revision()}, rien à faire.\n")
    if source:
        names = sorted(p.name for p in source.parent.iterdir())
        assert names == ["fsl.sqlite3", "fsl.sqlite3.avant-migration-0001"]


def test_migrer_an_empty_database_creates_it_at_head(database_url, fsl):
    result = fsl("base", "migrer")
    assert result.code == 0, result.err
    assert f"révision aucune → {head_revision()}" in result.out
    assert "Copie" not in result.out  # nothing to copy
    assert f"révision {head_revision()}, code {head_revision()} : à jour." in fsl("base", "etat").out


def test_a_database_at_an_unknown_revision_is_refused(database_url, fsl):
    engine = open_database(database_url).kw["bind"]
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for command in (("utilisateurs", "lister"), ("base", "migrer")):
        result = fsl(*command)
        assert result.code == 1
        assert "la base est à la révision 9999, inconnue de ce code" in result.err


def test_a_database_of_another_application_is_left_alone(database_url, fsl):
    engine = connect(database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE clients (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    for command in (("utilisateurs", "lister"), ("base", "migrer")):
        result = fsl(*command)
        assert result.code == 1
        assert "cette base contient des tables mais aucune révision de fsl" in result.err
    engine = connect(database_url)
    assert set(inspect(engine).get_table_names()) == {"clients"}
    engine.dispose()


def test_an_address_that_is_not_one_is_refused_in_french(monkeypatch, fsl):
    monkeypatch.setenv("FSL_DATABASE_URL", "pas une adresse")
    result = fsl("utilisateurs", "lister")
    assert result.code == 1
    assert result.err == ("FSL_DATABASE_URL : adresse de base invalide « pas une adresse » : attendu par "
                          "exemple postgresql+psycopg://fsl@localhost/fsl\n")


def test_an_unreachable_postgresql_is_a_french_sentence(monkeypatch, fsl):
    monkeypatch.setenv("FSL_DATABASE_URL", "postgresql+psycopg://fsl@127.0.0.1:1/fsl?connect_timeout=2")
    result = fsl("journal")
    assert result.code == 1
    assert result.err.startswith("base de données injoignable : ")
