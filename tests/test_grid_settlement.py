"""A grid filled as an association would, settled as the annexes say (004): a December DSF heard
in January of the year after, a FAL housing with accompagnement seul (1 562,80 € a year instead of
2 062,80 €), an ASLL diagnostic (2 points) and a CET that could not be signed (1 point), a DSF for
a household the association follows in ASLL (not paid); and a grid written before the labels
still reads."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from engine.errors import InputErrors
from engine.finance import build_table
from engine.grid import HEADER_ROW, column_text, sheet_named, sheets_for
from engine.grilles import grids_step
from engine.load.activity import load_activity, place_names
from engine.solde import settle_folder
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS

SLUG = "apsa-du-pas-de-calais"  # runs ASLL, AML, DSF and FAL


@pytest.fixture(scope="module")
def conventions():
    return load_conventions(CONVENTIONS).conventions


@pytest.fixture(scope="module")
def blank(conventions, tmp_path_factory) -> Path:
    stage = tmp_path_factory.mktemp("grilles")
    grids_step(conventions, 2026, stage)
    return stage / "grilles"


def _fill(path: Path, rows: dict[str, list[dict[str, object]]]) -> None:
    """Type `rows` under the French labels of row 2, sheet by sheet, as an association would."""
    book = load_workbook(path)
    for name, records in rows.items():
        sheet, spec = book[name], sheet_named(name)
        letters = {column_text(spec, c).label: c for c in spec.columns}
        columns = [letters[c.value] for c in sheet[HEADER_ROW] if c.value]
        for record in records:
            sheet.append([record.get(column) for column in columns])
    book.save(path)


FILLED = {
    "ASLL": [
        {"mesure_id": "A-1", "type": "GSL", "territoire": "Arrageois", "date_decision": date(2026, 2, 10),
         "date_debut": date(2026, 3, 1), "duree_mois": 6},  # March to August: 6 points
        {"mesure_id": "A-2", "date_decision": date(2026, 4, 2), "acte_asll": "diagnostic",
         "date_realisation": date(2026, 5, 3)},  # 2 points
        {"mesure_id": "A-3", "type": "ASL", "date_decision": date(2026, 4, 2), "date_debut": date(2026, 5, 1),
         "duree_mois": 6, "acte_asll": "cet_non_signe", "date_realisation": date(2026, 5, 20)},  # 1 point
    ],
    "DSF": [
        {"mesure_id": "D-1", "date_audience": date(2027, 1, 12), "resultat": "realise",
         "date_realisation": date(2026, 12, 10)},  # heard in January 2027: paid in 2026
        {"mesure_id": "D-2", "date_audience": date(2026, 5, 20), "resultat": "realise",
         "date_realisation": date(2026, 5, 4), "dsf_suivi_asll": "oui"},  # its own ASLL household: unpaid
    ],
    "FAL occupation": [
        *({"logement_id": "L-1", "mois": f"2026-{m:02d}", "jours_occupes": d, "accompagnement_seul": "oui"}
          for m, d in ((1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30),
                       (10, 31), (11, 30), (12, 31))),
        {"logement_id": "L-2", "mois": "2026-01", "jours_occupes": 31},
    ],
}


@pytest.fixture(scope="module")
def settled(conventions, blank, tmp_path_factory):
    folder = tmp_path_factory.mktemp("activite")
    path = Path(shutil.copy(blank / f"grille_activite_2026_{SLUG}.xlsx", folder))
    _fill(path, FILLED)
    year = settle_folder(conventions, 2026, folder)
    settlement = next(s for s in year.settlements if s.association == SLUG)
    return year.register, {r.group: r for r in settlement.realised}


def test_the_grid_settles_as_the_annexes_say(settled):
    _, realised = settled
    # 004 annexe ASLL: (6 months × 1 point + a diagnostic 2 points + a CET not signed 1 point) × 85,95
    assert (realised["asll"].quantity, realised["asll"].amount) == (Decimal(9), Decimal("773.55"))
    # 004 annexe DSF: the December DSF heard in January 2027 is paid, at 162,38 €
    assert (realised["dsf"].quantity, realised["dsf"].amount) == (Decimal(1), Decimal("162.38"))
    # 004 annexe FAL: 365 days alone at 1 562,80 € a year, 31 days at 2 062,80 €, over 365 days
    assert (realised["fal"].quantity, realised["fal"].amount) == (Decimal(396), Decimal("1738.00"))
    # the letters' « quantité × taux » line spells both rates (one rate would not give the amount)
    assert realised["fal"].rate is None and realised["fal"].unit == (
        "jours d'occupation (31 × 2\xa0062,80\xa0€ + 365 × 1\xa0562,80\xa0€ en accompagnement seul) / 365")
    assert (realised["asll"].rate, realised["asll"].per) == (Decimal("85.95"), 1)


def test_a_dsf_for_the_associations_own_asll_household_is_not_paid(settled):
    _, realised = settled
    assert len(realised["dsf"].unpaid) == 1
    assert realised["dsf"].unpaid[0].startswith("D-2 : ménage suivi en ASLL par l'association")
    assert "DSF-SUIVI-ASLL" in realised["dsf"].unpaid[0]


def test_the_grid_rows_carry_the_grids_association_measure_and_territory_id(settled):
    register, _ = settled
    first = next(m for m in register.measures if m.record.mesure_id == "A-1")
    assert (first.association, first.measure.value, first.record.territory) == (SLUG, "ASLL", "arrageois")
    hearing = next(m for m in register.measures if m.record.mesure_id == "D-1")
    assert hearing.record.hearing == date(2027, 1, 12)


def test_an_unknown_territory_name_or_a_wrong_yes_no_is_a_located_error(conventions, blank, tmp_path):
    path = Path(shutil.copy(blank / f"grille_activite_2026_{SLUG}.xlsx", tmp_path))
    _fill(path, {"ASLL": [{**FILLED["ASLL"][0], "territoire": "Atlantide"}],
                 "DSF": [{**FILLED["DSF"][1], "dsf_suivi_asll": "peut-être"}]})
    with pytest.raises(InputErrors) as caught:
        settle_folder(conventions, 2026, tmp_path)
    assert sorted((e.line, e.field) for e in caught.value.errors) == [
        ("ASLL!C3", "territoire"), ("DSF!F3", "dsf_suivi_asll")]


def test_a_grid_written_before_the_labels_still_reads(conventions, tmp_path):
    """Row 1 holding the register's names (every column on every sheet), no banner, no summary."""
    old = ("mesure_id", "association", "dispositif", "type", "territoire", "date_decision", "date_debut",
           "duree_mois", "renouvellement_de", "date_audience", "motif", "date_fin_reelle", "resultat",
           "date_realisation")
    book = Workbook()
    book.active.title = "Instructions"
    book.active["B3"], book.active["B4"] = "acarlogi", 2026
    asll, dsf = book.create_sheet("ASLL"), book.create_sheet("DSF")
    for sheet in (asll, dsf):
        sheet.append(old)
    asll.append(["M-1", "acarlogi", "ASLL", "ASL", "lens-lievin", date(2026, 1, 10), date(2026, 2, 1), 3])
    dsf.append(["D-1", "acarlogi", "DSF", None, None, None, None, None, None, date(2026, 6, 1), None, None,
                "realise", date(2026, 5, 20)])
    book.save(tmp_path / "grille_activite_2026_acarlogi.xlsx")
    table = build_table(conventions, 2026)
    expected = {b.association.slug: sheets_for(b.amounts) for b in table.blocks}
    register = load_activity(tmp_path, expected, 2026, place_names(conventions.departement))
    assert [(m.record.mesure_id, m.record.territory, m.act, m.own_asll) for m in register.measures] == [
        ("M-1", "lens-lievin", None, False), ("D-1", "", None, False)]


@pytest.mark.libreoffice
def test_libreoffice_computes_the_summary_as_the_settlement_counts(settled, conventions, blank, tmp_path):
    """The « Synthèse » formulas, computed by LibreOffice on the filled grid, give the quantities
    the settlement counts (points × months and acts apart; DSF paid; FAL days)."""
    import subprocess

    from engine.render.pdf import libreoffice_path
    soffice = libreoffice_path()
    if soffice is None:
        pytest.skip("LibreOffice absent")
    path = Path(shutil.copy(blank / f"grille_activite_2026_{SLUG}.xlsx", tmp_path / "in.xlsx"))
    _fill(path, FILLED)
    (tmp_path / "out").mkdir()
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(path)],
                   check=True, capture_output=True, timeout=180)
    summary = load_workbook(tmp_path / "out" / "in.xlsx", data_only=True)["Synthèse"]
    entered = {r[0]: r[3] for r in summary.iter_rows(min_row=5, values_only=True) if r[0]}
    _, realised = settled
    acts = [v for k, v in entered.items() if k.startswith("ASLL : ") or k.startswith("ASLL\xa0: ")]
    assert entered["ASLL"] == 6 and acts == [1, 1]  # 6 + 2 × 1 + 1 × 1 = 9 points paid
    assert entered["ASLL"] + 2 * acts[0] + acts[1] == realised["asll"].quantity
    assert entered["DSF réalisés"] == realised["dsf"].quantity == 1
    assert entered["FAL"] == realised["fal"].quantity == 396
    assert entered["FAL\xa0: dont accompagnement seul"] == 365
