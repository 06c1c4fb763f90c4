"""`fsl scdl`: the SCDL « subventions » 2.1.1 file, validated before anything is written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import engine.scdl
from engine.build import BuildOptions
from engine.cli import main
from engine.publication import scdl_step
from engine.scdl import SCHEMA_PATH, siret_valid
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS

TEST_SIRET = "73282932000074"  # a SIRET whose Luhn key is right; not the Département's


@pytest.fixture
def conventions(tmp_path: Path) -> Path:
    """A copy of the shipped data (no SIRET for the Département, as in the seeds)."""
    root = tmp_path / "conventions"
    shutil.copytree(CONVENTIONS, root)
    return root


def with_siret(root: Path, siret: str = TEST_SIRET) -> Path:
    path = root / "departement.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nservice: ", f'\nsiret: "{siret}"\nservice: ', 1), encoding="utf-8")
    return root


def run_scdl(root: Path, out: Path) -> int:
    return main(["scdl", "2026", "--conventions", str(root), "--out", str(out)])


def test_file_validates_against_the_schema_with_27_rows_adding_up(conventions, tmp_path, capsys):
    from frictionless import Resource, Schema

    out = tmp_path / "out"
    assert run_scdl(with_siret(conventions), out) == 0
    data = (out / "scdl_subventions_2026.csv").read_bytes()
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    report = Resource(data=data, format="csv", schema=Schema.from_descriptor(schema)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 27
    assert list(rows[0]) == [f["name"] for f in schema["fields"]]
    assert sum(Decimal(r["montant"]) for r in rows) == Decimal("4139361.80")
    first = rows[0]
    assert (first["nomBeneficiaire"], first["montant"]) == ("Acarlogi", "148625.00")
    assert (first["idAttribuant"], first["dateConvention"]) == (TEST_SIRET, "2025-06-25")
    assert (first["referenceDecision"], first["dateDecision"]) == ("2026-173", "2026-05-26")
    assert (first["conditionsVersement"], first["notificationUE"], first["pourcentageSubvention"]) \
        == ("échelonné", "non", "1")
    assert "70 %" in first["descriptionConditionsVersement"]
    assert "30 %" in first["descriptionConditionsVersement"]
    assert first["datesPeriodeVersement"] == "2026-05-26/2027-03-31"
    assert "montant 72198.00 estimé" in capsys.readouterr().err


def test_without_the_siret_exit_1_names_departement_yaml_and_writes_nothing(conventions, tmp_path,
                                                                          capsys):
    out = tmp_path / "out"
    assert run_scdl(conventions, out) == 1
    err = capsys.readouterr().err
    assert "departement.yaml: siret: " in err and "SIRET du Département manquant" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_too_long_objet_is_an_error_naming_the_template(conventions, tmp_path, capsys, monkeypatch):
    template = tmp_path / "subventions.yaml"
    text = engine.scdl.TEMPLATE_PATH.read_text(encoding="utf-8")
    long_objet = "Accompagnement " * 20  # 299 characters once trimmed; the schema allows 256
    lines = [f'objet: "{long_objet}"' if line.startswith("objet:") else line for line in text.splitlines()]
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(engine.scdl, "TEMPLATE_PATH", template)
    out = tmp_path / "out"
    assert run_scdl(with_siret(conventions), out) == 1
    err = capsys.readouterr().err
    objet_line = next(i for i, line in enumerate(lines, start=1) if line.startswith("objet:"))
    assert f"{template}:{objet_line}: objet: colonne SCDL objet : 299 caractères, 256 au plus" in err
    assert not out.exists()


def test_an_rna_the_schema_refuses_names_the_association_file_and_line(conventions, tmp_path, capsys):
    path = conventions / "associations" / "acarlogi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rang: 1", "rang: 1\nidentifiants:\n  rna: W62A000123", 1),
                    encoding="utf-8")
    assert run_scdl(with_siret(conventions), tmp_path / "out") == 1
    err = capsys.readouterr().err
    rna_line = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                    if line.strip().startswith("rna:"))
    assert f"{path}:{rna_line}: identifiants.rna: colonne SCDL rnaBeneficiaire : valeur « W62A000123 »" in err


def test_a_siret_with_a_wrong_key_is_an_error(conventions, tmp_path, capsys):
    assert run_scdl(with_siret(conventions, "73282932000075"), tmp_path / "out") == 1
    err = capsys.readouterr().err
    path = conventions / "departement.yaml"
    line = path.read_text(encoding="utf-8").splitlines().index('siret: "73282932000075"') + 1
    assert f"{path}:{line}: siret: SIRET 73282932000075 invalide" in err


def test_siret_key() -> None:
    assert siret_valid("73282932000074")
    assert not siret_valid("73282932000075")
    assert not siret_valid("7328293200007")


def test_build_step_says_in_one_line_why_not_then_writes_when_it_can(conventions, tmp_path, capsys):
    stage = tmp_path / "stage"
    stage.mkdir()
    loaded = load_conventions(conventions).conventions
    assert scdl_step(loaded, 2026, stage, BuildOptions()) == []
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fichier SCDL 2026 non produit : ")
    assert "siret" in err[0]
    loaded = load_conventions(with_siret(conventions)).conventions
    assert scdl_step(loaded, 2026, stage, BuildOptions()) == [stage / "scdl_subventions_2026.csv"]
