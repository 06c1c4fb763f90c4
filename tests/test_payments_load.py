"""`paiements.csv` of the activity folder (engine/load/payments.py): Decimal amounts in either
French or dotted form, dates like the other CSV files, every wrong cell named by file, line, field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine.errors import InputErrors
from engine.finance import build_table
from engine.grid import sheets_for
from engine.load.activity import load_activity
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS, ROOT

HEADER = "association;date;montant;mandat"
MEASURE = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
           "renouvellement_de;date_audience;motif\nM-1;acarlogi;ASLL;GSL;;2026-01-10;2026-02-01;12;;;\n")


@pytest.fixture(scope="module")
def expected():
    conventions = load_conventions(CONVENTIONS).conventions
    return {b.association.slug: sheets_for(b.amounts) for b in build_table(conventions, 2026).blocks}


OCCUPANCY = "association;dispositif;logement_id;mois;jours_occupes\n"


def folder(tmp_path: Path, lines: list[str], header: str = HEADER) -> Path:
    (tmp_path / "mesures.csv").write_text(MEASURE, encoding="utf-8")
    (tmp_path / "occupation.csv").write_text(OCCUPANCY, encoding="utf-8")
    (tmp_path / "paiements.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return tmp_path


def errors_of(path: Path, expected) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        load_activity(path, expected, 2026)
    return [str(e) for e in caught.value.errors]


def test_payments_read_as_decimals_in_both_spellings(tmp_path, expected):
    path = folder(tmp_path, ["acarlogi;2026-07-03;50 000,00;2026-M1", "acarlogi;10/07/2026;54037.5;2026-M2",
                             "audasse;2026-07-03;1\u00a0000;2026-M3"])
    register = load_activity(path, expected, 2026)
    amounts = [Decimal("50000.00"), Decimal("54037.50"), Decimal("1000.00")]
    assert [p.amount for p in register.payments] == amounts
    assert register.paid() == {"acarlogi": Decimal("104037.50"), "audasse": Decimal("1000.00")}
    assert register.received == {"acarlogi"}  # a payment is not activity: audasse sent no grid
    assert register.payments[1].where.endswith("paiements.csv:3")


def test_no_paiements_csv_means_no_payment_recorded(tmp_path, expected):
    (tmp_path / "mesures.csv").write_text(MEASURE, encoding="utf-8")
    (tmp_path / "occupation.csv").write_text(OCCUPANCY, encoding="utf-8")
    assert load_activity(tmp_path, expected, 2026).payments == ()


def test_payments_beside_grids_alone_do_not_make_a_csv_register(tmp_path, expected):
    grid = ROOT / "examples" / "activite-2026" / "grille_activite_2026_4-aj.xlsx"
    (tmp_path / grid.name).write_bytes(grid.read_bytes())
    (tmp_path / "paiements.csv").write_text(f"{HEADER}\n4-aj;2026-07-03;6585,40;2026-M1\n", encoding="utf-8")
    register = load_activity(tmp_path, expected, 2026)
    assert register.received == {"4-aj"} and register.paid() == {"4-aj": Decimal("6585.40")}


@pytest.mark.parametrize(("line", "field", "words"), [
    ("acarlogi;2026-07-03;12,5 €;M1", "montant", "n'est pas un montant en euros"),
    ("acarlogi;2026-07-03;1.234,50;M1", "montant", "n'est pas un montant en euros"),
    ("acarlogi;2026-07-03;12.345;M1", "montant", "n'est pas un montant en euros"),
    ("acarlogi;2026-07-03;0,00;M1", "montant", "un versement est un montant positif"),
    ("acarlogi;2026-07-03;;M1", "montant", "valeur obligatoire absente"),
    ("acarlogi;2026-13-03;10;M1", "date", "invalide"),
    ("acarlogi;2025-12-31;10;M1", "date", "du 01/01/2026 au 31/12/2027"),
    ("acarlogi;2026-07-03;10;", "mandat", "valeur obligatoire absente"),
    ("inconnue;2026-07-03;10;M1", "association", "n'est pas une association des conventions"),
])
def test_a_wrong_cell_is_named_by_file_line_and_field(tmp_path, expected, line, field, words):
    errors = errors_of(folder(tmp_path, [line]), expected)
    assert len(errors) == 1 and "paiements.csv:2: " + field in errors[0] and words in errors[0], errors


def test_a_mandate_twice_is_refused_and_every_error_listed(tmp_path, expected):
    errors = errors_of(folder(tmp_path, ["acarlogi;2026-07-03;10;M1", "acarlogi;2026-07-04;10;M1",
                                         "acarlogi;2026-07-05;-3;M2"]), expected)
    assert any("paiements.csv:3: mandat" in e and "déjà enregistré" in e and "ligne 2" in e for e in errors)
    assert any("paiements.csv:4: montant" in e for e in errors)


def test_a_wrong_header_names_the_expected_columns(tmp_path, expected):
    errors = errors_of(folder(tmp_path, ["acarlogi;2026-07-03;10;M1"], "association;date;montant"), expected)
    assert "paiements.csv:1: en-tête" in errors[0] and "association;date;montant;mandat" in errors[0]
