"""The workbook is alive: amounts, subtotals and totals are formulas that recalculate, in
LibreOffice Calc, to the engine's figures to the cent (4 139 361,80 € in 2026)."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.finance import build_table
from engine.model import GROUPS
from engine.render.pdf import libreoffice_path
from engine.render.table_json import table_json
from engine.render.table_layout import COLUMNS
from engine.render.table_xlsx import HEADER_ROW, write_table_xlsx
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parents[1]
AMOUNT_KEYS = {column.key: index for index, column in enumerate(COLUMNS) if column.kind == "amount"}
COUNT_KEYS = {column.key: index for index, column in enumerate(COLUMNS) if column.kind == "count"}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> tuple[Path, dict]:
    conventions = load_conventions(ROOT / "conventions").conventions
    table = build_table(conventions, 2026)
    path = tmp_path_factory.mktemp("xlsx") / "tableau_financier_2026.xlsx"
    write_table_xlsx(conventions.departement, table, path)
    return path, table_json(table)


def test_subtotals_and_totals_are_sum_formulas(workbook) -> None:
    path, _ = workbook
    sheet = load_workbook(path).active
    labels = {row: sheet.cell(row=row, column=1).value for row in range(HEADER_ROW + 1, sheet.max_row + 1)}
    total_row = max(labels)
    assert labels[total_row] == "Totaux"
    total_cell = sheet.cell(row=total_row, column=AMOUNT_KEYS["total"] + 1).value
    assert total_cell.startswith("=SUM(")
    subtotal = next(r for r, label in labels.items() if str(label).startswith("Sous-total"))
    assert sheet.cell(row=subtotal, column=COUNT_KEYS["asll_points"] + 1).value.startswith("=SUM(")
    assert sheet.cell(row=HEADER_ROW + 1, column=AMOUNT_KEYS["asll"] + 1).value.startswith("=ROUND(")


def test_a_name_starting_with_equals_is_text_not_a_formula(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from engine.render.table_xlsx import _put

    sheet = Workbook().active
    cell = _put(sheet, 1, 1, "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"


@pytest.mark.libreoffice
@pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice absent")
def test_libreoffice_recalculates_every_total_to_the_engines_cent(workbook, tmp_path: Path) -> None:
    path, expected = workbook
    profile = tmp_path / "profile"
    subprocess.run([libreoffice_path(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--convert-to", "xlsx", "--outdir", str(tmp_path / "re"), str(path)],
                   check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=str(profile)))
    sheet = load_workbook(tmp_path / "re" / path.name, data_only=True).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    subtotals = [r for r in rows if str(r[0]).startswith("Sous-total")]
    blocks = _blocks(expected["rows"])
    assert len(subtotals) == len(blocks) == 27
    for printed, (slug, amounts) in zip(subtotals, blocks.items(), strict=True):
        for group in (*GROUPS, "total"):
            assert _cent(printed[AMOUNT_KEYS[group]]) == amounts[group], (slug, group)
    totals = rows[-1]
    assert totals[0] == "Totaux"
    for group in (*GROUPS, "total"):
        assert _cent(totals[AMOUNT_KEYS[group]]) == Decimal(expected["totals"]["amounts"][group])
    for column, index in COUNT_KEYS.items():
        assert totals[index] == expected["totals"][column]
    assert _cent(totals[AMOUNT_KEYS["total"]]) == Decimal("4139361.80")


def _blocks(rows: list[dict]) -> dict[str, dict[str, Decimal]]:
    blocks: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        sums = blocks.setdefault(row["association"], {g: Decimal(0) for g in (*GROUPS, "total")})
        for group in sums:
            sums[group] += Decimal(row["amounts"][group])
    return blocks


def _cent(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def test_a_draft_workbook_says_projet_and_lists_what_remains(tmp_path: Path) -> None:
    from engine.cli import main

    assert main(["table", "2026", "--out", str(tmp_path)]) == 0
    book = load_workbook(tmp_path / "tableau_financier_2026.xlsx")
    first = book.worksheets[0]
    assert first["A1"].value.startswith("PROJET")
    assert "PROJET" in first.oddHeader.center.text
    listed = [row[0] for row in book["À confirmer"].iter_rows(min_row=2, values_only=True)]
    assert any("apprentis-d-auteuil-fjt.yaml:22: allocations.2026.estimated" in text for text in listed)
