"""The activity register from CSV: the optional columns, occupation.csv, located French errors;
`fsl check` keeps reading folders with or without the new columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.checker.registry import load_submission
from engine.errors import InputErrors
from engine.finance import build_table
from engine.grid import sheets_for
from engine.load.activity import load_activity
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS, ROOT

HEADER = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
          "renouvellement_de;date_audience;motif")
ACTIVITY = ";date_fin_reelle;resultat;date_realisation"


@pytest.fixture(scope="module")
def expected():
    conventions = load_conventions(CONVENTIONS).conventions
    return {b.association.slug: sheets_for(b.amounts) for b in build_table(conventions, 2026).blocks}


def folder(tmp_path: Path, measures: list[str], occupancy: list[str] | None = (), header=HEADER + ACTIVITY):
    """A CSV register; `occupancy=()` writes an occupation.csv holding its header only, None none."""
    (tmp_path / "mesures.csv").write_text("\n".join([header, *measures]) + "\n", encoding="utf-8")
    if occupancy is not None:
        lines = ["association;dispositif;logement_id;mois;jours_occupes", *occupancy]
        (tmp_path / "occupation.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def errors_of(path: Path, expected) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        load_activity(path, expected)
    return [str(e) for e in caught.value.errors]


def test_activity_columns_are_read(tmp_path, expected):
    path = folder(tmp_path, ["M-1;acarlogi;ASLL;GSL;;2026-01-10;2026-02-01;12;;;;15/05/2026;;",
                             "M-2;acarlogi;DSF;;;;;;;2026-04-01;;;porte_close;2026-03-20"],
                  ["immobiliere-sociale-62;GLA;L-1;2026-03;31"])
    register = load_activity(path, expected)
    first, dsf = register.measures
    assert str(first.actual_end) == "2026-05-15" and dsf.result.value == "porte_close"
    assert register.occupancy[0].days == 31
    assert register.received == {"acarlogi", "immobiliere-sociale-62"}


def test_older_mesures_csv_without_the_new_columns_stays_valid(tmp_path, expected):
    path = folder(tmp_path, ["M-1;acarlogi;ASLL;ASL;;2026-01-10;2026-02-01;12;;;"], header=HEADER)
    assert load_activity(path, expected).measures[0].actual_end is None


def test_fsl_check_reads_a_folder_with_the_activity_columns(tmp_path):
    path = folder(tmp_path, ["M-1;acarlogi;ASLL;ASL;;2026-01-10;2026-02-01;12;;;;2026-05-31;;"])
    (path / "documents.csv").write_text("document_id;mesure_id;association;type_document;periode;"
                                        "date_reception;fichier;signataires_declares\n", encoding="utf-8")
    assert load_submission(path).measures[0].mesure_id == "M-1"
    assert load_submission(ROOT / "examples" / "activite-2026").measures  # also a submissions folder


def test_each_bad_cell_is_named_with_file_line_and_column(tmp_path, expected):
    path = folder(tmp_path, [
        "M-1;acarlogi;DSF;;;;;;;2026-04-01;;;realise;",  # result without its date
        "M-2;acarlogi;ASLL;;;2026-01-10;2026-02-01;12;;;;;;",  # no type: points unknown
        "M-3;acarlogi;ASLL;GSL;;2026-01-10;2026-02-01;12;;;;;realise;2026-01-01",  # result of a non-DSF
        "M-4;inconnue;ASLL;GSL;;2026-01-10;2026-02-01;12;;;;;;",
        "M-5;acarlogi;ASLL;GSL;;2026-01-10;2026-02-01;12;;;;2026-01-15;;",  # ends before it starts
    ], ["immobiliere-sociale-62;GLA;L-1;2026-02;30", "immobiliere-sociale-62;ASLL;L-2;2026-13;3"])
    errors = errors_of(path, expected)
    assert any(e.startswith(f"{path}/mesures.csv:2: date_realisation (colonne 14):") for e in errors)
    assert any(e.startswith(f"{path}/mesures.csv:3: type (colonne 4): obligatoire") for e in errors)
    assert any(":4: resultat (colonne 13): réservé aux DSF" in e for e in errors)
    assert any(":5: association (colonne 2): « inconnue » n'est pas une association" in e for e in errors)
    assert any(":6: date_fin_reelle (colonne 12): 15/01/2026 est avant" in e for e in errors)
    assert any(e.startswith(f"{path}/occupation.csv:2: jours_occupes (colonne 5):") for e in errors)
    assert any("occupation.csv:3: mois (colonne 4)" in e for e in errors)
    assert len(errors) == 9, errors  # M-3 has two bad cells, occupation line 3 too


def test_an_empty_folder_is_an_error(tmp_path, expected):
    assert "ni mesures.csv" in errors_of(tmp_path, expected)[0]


def test_the_optional_menage_column_is_accepted(tmp_path, expected):
    path = folder(tmp_path, ["M-1;acarlogi;ASLL;GSL;;2026-01-10;2026-02-01;12;;;;;;;k-3f9a"],
                  header=HEADER + ACTIVITY + ";menage")
    assert len(load_activity(path, expected).measures) == 1


@pytest.mark.parametrize("missing", ["mesures.csv", "occupation.csv"])
def test_a_csv_register_missing_one_of_its_two_files_is_an_error_naming_it(tmp_path, expected, missing):
    # issue 23: mesures.csv absent made every ASLL, AML and DSF count zero and refunds were computed
    path = folder(tmp_path, ["M-1;acarlogi;ASLL;ASL;;2026-01-10;2026-02-01;12;;;;;;"],
                  ["immobiliere-sociale-62;GLA;L-1;2026-03;31"])
    (path / missing).unlink()
    errors = errors_of(path, expected)
    assert len(errors) == 1 and errors[0].startswith(f"{path / missing}: -: « {missing} » absent"), errors
    assert "ligne d'en-tête" in errors[0]


def test_a_register_file_holding_only_its_header_says_nothing_to_declare(tmp_path, expected):
    path = folder(tmp_path, ["M-1;acarlogi;ASLL;ASL;;2026-01-10;2026-02-01;12;;;;;;"])
    register = load_activity(path, expected)
    assert register.occupancy == () and register.received == {"acarlogi"}
