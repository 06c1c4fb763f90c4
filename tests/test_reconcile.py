"""`fsl reconcile`: a published table against the engine's arithmetic, cell by cell."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from engine.cli import main
from engine.finance import build_table
from engine.load.published import parse_cell, read_published
from engine.model import COLUMNS, GROUPS
from engine.money import format_number
from engine.reconcile import NUMERIC_COLUMNS, SUMS, reconcile
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PUBLISHED = ROOT / "conventions" / "published" / "annexe3-2026.csv"
BAD = FIXTURES / "published_bad"
BAD_CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
HEADER = ["association", "territoire", "arrondissement", *NUMERIC_COLUMNS]


def engine_csv(conventions_root: Path, path: Path, year: int = 2026) -> Path:
    """The engine's own table in the published format: association name on every row, its total
    on its first row, a « Totaux » row; zeros left blank as on paper."""
    conventions = load_conventions(conventions_root).conventions
    dep, table = conventions.departement, build_table(conventions, year)
    rows = []
    for block in table.blocks:
        for index, row in enumerate(block.rows):
            territory = dep.territory(row.territory)
            arrondissement = dep.arrondissement(row.arrondissement) if row.arrondissement else None
            place = arrondissement.name if arrondissement else ""
            rows.append([block.association.name, territory.name, place,
                         *_numbers(row.counts, row.amounts, block.total if index == 0 else None)])
    rows.append(["Totaux", "", "", *_numbers(table.counts, table.amounts, table.total)])
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _numbers(counts, amounts, total) -> list[str]:
    cells = {c: str(counts[c]) if counts[c] else "" for c in COLUMNS}
    for group in GROUPS:
        cells[f"montant_{group}"] = amounts[group]
    for column, groups in SUMS.items():
        cells[column] = sum((amounts[g] for g in groups), Decimal(0))
    cells["montant_convention"] = total
    return [v if isinstance(v, str) else (format_number(v) if v else "") for v in
            (cells[c] for c in NUMERIC_COLUMNS)]


@pytest.fixture
def totals_2026(tmp_path: Path) -> Path:
    """Two fictitious associations whose table has exactly the 2026 totals of 004 annexe 3."""
    root = tmp_path / "conventions"
    shutil.copytree(FIXTURES / "pack" / "totaux-2026", root)
    shutil.copy(ROOT / "conventions" / "departement.yaml", root)
    return root


@pytest.fixture
def real_conventions() -> Path:
    """The 27 associations of 2026 as shipped (read only)."""
    return ROOT / "conventions"


def run(conventions: Path, published: Path, capsys) -> tuple[int, str, str]:
    status = main(["reconcile", "2026", "--published", str(published), "--conventions", str(conventions)])
    captured = capsys.readouterr()
    return status, captured.out.replace("\u00a0", " "), captured.err


@pytest.mark.parametrize("fixture", ["real_conventions", "totals_2026"])
def test_published_2026_table_shows_its_misprints(fixture, request, capsys) -> None:
    status, out, _ = run(request.getfixturevalue(fixture), PUBLISHED, capsys)
    assert status == 1
    where = f"{PUBLISHED}:46"
    assert (f"{where}: montant_gla: Totaux : imprimé 395 646,00, calculé 399 648,00 = "
            "800 (conventions) × 499,56 (produit)") in out
    assert (f"{where}: montant_dsf_portes_closes: Totaux : imprimé 289 550,40, calculé 258 550,40 = "
            "230 579,60 + 27 970,80 (somme de la ligne)") in out
    assert "montant_asll: audasse – de la Communauté de Communes de Lens-Liévin : imprimé 18 585,20, " \
           "calculé 18 565,20 = 18 × 85,95 × 12 mois (produit)" in out
    assert ("montant_dsf: acarlogi – d'Hénin-Carvin : imprimé 25 900,80, "
            "calculé 25 980,80 = 160 × 162,38") in out
    # The totals that agree are not listed: 2 412 × 85,95 × 12 = 2 487 736,80, and the grand total.
    assert f"{where}: montant_asll:" not in out and f"{where}: montant_convention:" not in out
    if fixture == "real_conventions":  # the association totals are checked against the engine's
        assert out.splitlines()[-1].startswith("25 désaccord(s) sur ")


def test_the_misprinted_association_totals_of_annexe_3_are_reported(capsys) -> None:
    status, out, _ = run(ROOT / "conventions", PUBLISHED, capsys)
    assert status == 1
    totals = [line for line in out.splitlines() if ": montant_convention: " in line]
    expected = {"audasse": ("368 837,80", "388 837,80"),
                "aide-aux-sans-abri-le-petit-atre": ("24 253,00", "24 253,60"),
                "chrs-le-coin-familial": ("281 348,20", "251 348,20"),
                "fiac-de-berck": ("185 799,00", "186 799,00"),
                "habitat-jeunes-haj": ("286 697,80", "285 697,80"),
                "apsa-du-pas-de-calais": ("280 170,20", "290 170,20"),
                "immobiliere-sociale-62": ("399 646,00", "399 648,00")}
    assert len(totals) == len(expected)
    for slug, (printed, computed) in expected.items():
        line = next(t for t in totals if f": {slug} – " in t)
        assert f"imprimé {printed}, calculé {computed}" in line


@pytest.mark.parametrize("fixture", ["small_conventions", "totals_2026", "real_conventions"])
def test_a_table_equal_to_the_engine_s_has_no_disagreement(fixture, request, tmp_path, capsys) -> None:
    conventions = request.getfixturevalue(fixture)
    published = engine_csv(conventions, tmp_path / "moteur.csv")
    status, out, err = run(conventions, published, capsys)
    assert status == 0, out
    assert out.startswith("Aucun désaccord : ")
    assert "totaux de colonne" not in out  # every column was legible, so every column sum was checked


def _cells(path: Path) -> list[tuple[int, str]]:
    """(CSV line, column) of every non-empty numeric cell."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    return [(i + 2, c) for i, row in enumerate(rows) for c in NUMERIC_COLUMNS if row[c]]


def _change(path: Path, line: int, column: str, new: str) -> None:
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    rows[line - 1][HEADER.index(column)] = new
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)


def test_every_changed_cell_is_found_where_it_is(small_conventions: Path, tmp_path: Path) -> None:
    """Property: in a table that agrees with the engine, changing any one number is reported on
    that line and column (and only totals that depend on it may be reported besides)."""
    conventions = load_conventions(small_conventions).conventions
    table = build_table(conventions, 2026)
    source = engine_csv(small_conventions, tmp_path / "moteur.csv")
    for line, column in _cells(source):
        changed = tmp_path / "modifie.csv"
        shutil.copy(source, changed)
        published = read_published(changed)
        value = next(r for r in published.rows if r.line == line).cells[column].value
        _change(changed, line, column, str(value + 1))
        found = reconcile(read_published(changed), conventions.departement, table).disagreements
        assert (line, column) in {(d.line, d.column) for d in found}, (line, column)
        assert all(d.printed == value + 1 for d in found if (d.line, d.column) == (line, column))


def test_a_count_that_differs_from_the_conventions_is_listed(small_conventions: Path, tmp_path: Path,
                                                             capsys) -> None:
    published = engine_csv(small_conventions, tmp_path / "moteur.csv")
    _change(published, 3, "asll_points", "66")
    _change(published, 3, "montant_asll", "68 072,40")
    status, out, _ = run(small_conventions, published, capsys)
    assert status == 1
    assert (f"{published}:3: asll_points: Association Alpha – Hénin-Carvin : imprimé 66, calculé 65 = "
            "données des conventions (données)") in out


def test_association_total_is_the_engine_s(small_conventions: Path, tmp_path: Path, capsys) -> None:
    published = engine_csv(small_conventions, tmp_path / "moteur.csv")
    _change(published, 2, "montant_convention", "119 514,00")
    status, out, _ = run(small_conventions, published, capsys)
    assert status == 1
    assert (f"{published}:2: montant_convention: Association Alpha – CommunAupôle Lens-Liévin : "
            "imprimé 119 514,00, calculé 119 514,60 = 103 140,00 + 14 614,20 + 1 760,40, "
            "données des conventions « alpha » (total de l'association)") in out


def test_illegible_cells_are_counted_not_guessed(small_conventions: Path, tmp_path: Path, capsys) -> None:
    published = engine_csv(small_conventions, tmp_path / "moteur.csv")
    _change(published, 2, "montant_asll", "?")
    status, out, _ = run(small_conventions, published, capsys)
    assert status == 0
    assert "cellules illisibles" in out and "totaux de colonne (colonne incomplète)" in out


@pytest.mark.parametrize("case", BAD_CASES, ids=[c["fichier"] for c in BAD_CASES])
def test_bad_csv_is_a_french_error_with_file_line_and_column(case, small_conventions: Path, capsys) -> None:
    path = BAD / case["fichier"]
    status, out, err = run(small_conventions, path, capsys)
    assert status == 1
    where = f"{path}:{case['ligne']}" if case["ligne"] else str(path)
    expected = f"{where}: {case['colonne']}: "
    line = next((li for li in err.splitlines() if li.startswith(expected)), None)
    assert line is not None, err
    assert case["message"] in line
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("text, value, legible", [
    ("36 099,00", Decimal("36099.00"), True), ("36\u00a0099,00 €", Decimal("36099.00"), True),
    ("36099.00", Decimal("36099.00"), True), ("1.562,80", Decimal("1562.80"), True),
    ("2412", Decimal(2412), True), ("?", None, False), ("", None, True),
])
def test_numbers_are_read_the_french_way(text, value, legible) -> None:
    cell = parse_cell(text)
    assert (cell.value, cell.legible) == (value, legible)
