"""`fsl scdl`: the SCDL « subventions » 2.1.1 file, written only once Validata accepts it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import engine.scdl
from engine.build import BuildOptions
from engine.cli import main
from engine.publication import scdl_step
from engine.scdl import SCHEMA_PATH
from engine.validation import load_conventions
from tests.conftest import (
    CONVENTIONS,
    TEST_SIRET,
    assigned_siret,
    with_identifiers,
    with_siret,
)

LA_POSTE_SIRET = "35600000049837"  # an establishment of La Poste: its digits add up to 45, no Luhn key
VALIDATA_ONE_OF = ("Au moins l'une des colonnes 'idBeneficiaire' ou 'rnaBeneficiaire' doit comporter "
                   "une valeur")


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Validata runs offline: any connection attempt fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("connexion réseau tentée pendant la validation SCDL")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def conventions(tmp_path: Path) -> Path:
    """A copy of the shipped data (no SIRET for the Département nor the associations, as in the seeds)."""
    root = tmp_path / "conventions"
    shutil.copytree(CONVENTIONS, root)
    return root


def run_scdl(root: Path, out: Path) -> int:
    return main(["scdl", "2026", "--conventions", str(root), "--out", str(out)])


def validata_errors(data: bytes) -> list[dict]:
    """Validata's own report on the bytes, as the Département's data officer would run it."""
    from validata_core import resource_service, validation_service

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    report = validation_service.validate_resource(resource_service.from_file_content("f.csv", data), schema)
    return report.to_dict()["errors"]


def test_todays_data_exit_1_no_file_27_located_messages(conventions, tmp_path, capsys):
    """The seeds give no beneficiary SIRET or RNA: Validata refuses each of the 27 rows."""
    out = tmp_path / "out"
    assert run_scdl(with_siret(conventions), out) == 1
    err = capsys.readouterr().err
    located = [line for line in err.splitlines() if re.match(r"^/.+\.yaml:\d+: identifiants: ", line)]
    assert len(located) == 27, err
    assert len({line.split(":")[0] for line in located}) == 27
    acarlogi = conventions / "associations" / "acarlogi.yaml"
    assert (f"{acarlogi}:2: identifiants: ni SIRET ni numéro RNA : ajoutez identifiants.siret (14 "
            f"chiffres, du répertoire SIRENE) ou identifiants.rna (W et 9 chiffres) — Validata : « Un "
            f"Élement Requis : {VALIDATA_ONE_OF} »") in err
    assert err.strip().splitlines()[-1] == ("fichier SCDL 2026 non produit : Validata 0.12.5 signale 27 "
                                            "erreur(s) sur 27 ligne(s), 27 point(s) à corriger dans les "
                                            "données : rien n'a été écrit.")
    assert len(err.strip().splitlines()) == 28
    assert "validé" not in err and "Traceback" not in err
    assert not out.exists()


def test_identifiers_sirene_would_issue_give_a_file_validata_accepts(conventions, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_scdl(with_identifiers(with_siret(conventions)), out) == 0
    done = capsys.readouterr()
    data = (out / "scdl_subventions_2026.csv").read_bytes()
    assert validata_errors(data) == []
    assert "Validata 0.12.5 : 0 erreur contre le schéma SCDL « subventions » 2.1.1" in done.out
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 27
    assert list(rows[0]) == [f["name"] for f in schema["fields"]]
    assert sum(Decimal(r["montant"]) for r in rows) == Decimal("4139361.80")
    first = rows[0]
    assert (first["nomBeneficiaire"], first["montant"]) == ("Acarlogi", "148625.00")
    assert first["idBeneficiaire"] == assigned_siret(conventions, "acarlogi")
    assert (first["idAttribuant"], first["dateConvention"]) == (TEST_SIRET, "2025-06-25")
    assert (first["referenceDecision"], first["dateDecision"]) == ("2026-173", "2026-05-26")
    assert (first["conditionsVersement"], first["notificationUE"], first["pourcentageSubvention"]) \
        == ("échelonné", "non", "1")
    assert "70 %" in first["descriptionConditionsVersement"]
    assert "30 %" in first["descriptionConditionsVersement"]
    assert first["datesPeriodeVersement"] == "2026-05-26/2027-03-31"
    assert "montant 72198.00 estimé" in done.err


def test_the_la_poste_exception_is_accepted_by_fsl_validate_and_validata(conventions, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_scdl(with_identifiers(with_siret(conventions, LA_POSTE_SIRET), LA_POSTE_SIRET), out) == 0
    data = (out / "scdl_subventions_2026.csv").read_bytes()
    assert validata_errors(data) == []
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert rows[0]["idBeneficiaire"] == rows[0]["idAttribuant"] == LA_POSTE_SIRET


def test_a_wrong_siren_key_is_refused_by_fsl_validate_with_file_and_line(conventions, tmp_path, capsys):
    """The 14-digit key is right, the SIREN's is not: the old hand-written check let it through."""
    root = with_identifiers(with_siret(conventions), "73282932100072")
    assert main(["validate", "--conventions", str(root)]) == 1
    err = capsys.readouterr().err
    path = root / "associations" / "acarlogi.yaml"
    line = path.read_text(encoding="utf-8").splitlines().index('identifiants: {siret: "73282932100072"}') + 1
    assert (f"{path}:{line}: identifiants.siret: SIRET 73282932100072 invalide : la clé du SIREN "
            "732829321 (ses 9 premiers chiffres) est fausse") in err
    assert run_scdl(root, tmp_path / "out") == 1
    assert not (tmp_path / "out").exists()


def test_validata_refuses_the_wrong_siren_key_the_engine_now_refuses(conventions, tmp_path):
    """What the engine refuses at validation, Validata refuses too (the rows built without the
    loader's check, as the old engine wrote them)."""
    from engine.finance import build_table
    from engine.pack.commission import load_commission
    from engine.render.scdl_csv import scdl_csv
    from engine.scdl import field_names, load_schema, load_template, scdl_rows

    loaded = load_conventions(with_identifiers(with_siret(conventions))).conventions
    schema = load_schema()
    rows = scdl_rows(loaded, load_commission(conventions, 2026), build_table(loaded, 2026), load_template())
    names = field_names(schema)
    data = scdl_csv(rows, names).decode("utf-8").replace(assigned_siret(conventions, "acarlogi"),
                                                         "73282932100072", 1)
    errors = validata_errors(data.encode("utf-8"))
    assert [(e["rowNumber"], e["fieldName"], e["message"]) for e in errors] == [
        (2, "idBeneficiaire", "La valeur n'est pas conforme au format Siret.")]


def test_without_the_siret_exit_1_names_departement_yaml_and_writes_nothing(conventions, tmp_path,
                                                                          capsys):
    out = tmp_path / "out"
    assert run_scdl(with_identifiers(conventions), out) == 1
    err = capsys.readouterr().err
    assert "departement.yaml: siret: " in err and "SIRET du Département manquant" in err
    assert "Validata : « Valeur manquante : La valeur est obligatoire et doit être renseignée »" in err
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


def test_an_rna_with_a_letter_is_refused_at_loading_with_file_and_line(conventions, tmp_path, capsys):
    path = conventions / "associations" / "acarlogi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rang: 1", "rang: 1\nidentifiants:\n  rna: W62A000123", 1),
                    encoding="utf-8")
    assert run_scdl(with_siret(conventions), tmp_path / "out") == 1
    err = capsys.readouterr().err
    rna_line = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                    if line.strip().startswith("rna:"))
    assert (f"{path}:{rna_line}: identifiants.rna: le texte « W62A000123 » n'a pas la forme attendue ; "
            "exemple : W623000123") in err
    assert not (tmp_path / "out").exists()


def test_a_beneficiary_with_an_rna_number_only_is_accepted(conventions, tmp_path):
    root = with_identifiers(with_siret(conventions))
    path = root / "associations" / "acarlogi.yaml"
    text = path.read_text(encoding="utf-8")
    siret = f'{{siret: "{assigned_siret(root, "acarlogi")}"}}'
    path.write_text(text.replace(siret, "{rna: W623000123}", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert run_scdl(root, out) == 0
    first = next(csv.DictReader(io.StringIO((out / "scdl_subventions_2026.csv").read_text(encoding="utf-8"))))
    assert (first["idBeneficiaire"], first["rnaBeneficiaire"]) == ("", "W623000123")


def test_build_step_says_in_one_line_why_not_then_writes_when_it_can(conventions, tmp_path, capsys):
    stage = tmp_path / "stage"
    stage.mkdir()
    for errors, points in ((81, 28), (27, 27)):
        root = conventions if errors == 81 else with_siret(conventions)
        loaded = load_conventions(root).conventions
        assert scdl_step(loaded, 2026, stage, BuildOptions()) == []
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"fichier SCDL 2026 non produit : Validata 0.12.5 signale {errors} erreur(s) sur "
                       f"27 ligne(s), {points} point(s) à corriger dans les données (détail : fsl scdl 2026)"]
        assert list(stage.iterdir()) == []
    loaded = load_conventions(with_identifiers(conventions)).conventions
    assert scdl_step(loaded, 2026, stage, BuildOptions()) == [stage / "scdl_subventions_2026.csv"]


def test_without_validata_nothing_is_judged_so_nothing_is_written(conventions, tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.setitem(sys.modules, "validata_core", None)  # its import fails
    root = with_identifiers(with_siret(conventions))
    out = tmp_path / "out"
    assert run_scdl(root, out) == 3
    err = capsys.readouterr().err
    assert "validata-table (Validata, le validateur national) n'est pas installé" in err
    assert "pip install --no-deps validata-table==0.12.5" in err and "Traceback" not in err
    assert not out.exists()
    stage = tmp_path / "stage"
    stage.mkdir()
    assert scdl_step(load_conventions(root).conventions, 2026, stage, BuildOptions()) == []
    assert capsys.readouterr().err.startswith("fichier SCDL 2026 non produit : validata-table")


def test_each_beneficiary_validata_refuses_is_an_open_point_of_fsl_points_on_the_same_line(conventions):
    from engine.open_points import open_points
    from engine.render.scdl_csv import ScdlRefused, scdl_file

    loaded = load_conventions(with_siret(conventions)).conventions
    with pytest.raises(ScdlRefused) as refused:
        scdl_file(loaded, 2026)
    located = {(e.path, e.line) for e in refused.value.errors if e.field == "identifiants"}
    points = {(p.path, p.line) for p in open_points(loaded, 2026) if p.field == "identifiants"}
    assert len(located) == 27 and located == points
    assert refused.value.verdict.errors == 27
