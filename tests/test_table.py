"""The financial table: JSON contract, workbook layout, DOCX text, reproducible and atomic output."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from engine.cli import main


def run_table(conventions: Path, out: Path, *extra: str) -> int:
    return main(["table", "2026", "--conventions", str(conventions), "--out", str(out), *extra])


def test_json_follows_the_interface_contract(small_conventions: Path, tmp_path: Path, capsys) -> None:
    assert run_table(small_conventions, tmp_path / "out", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2026
    first = data["rows"][0]
    assert (first["association"], first["territory"]) == ("alpha", "lens-lievin")
    assert first["amounts"] == {"asll": "36099.00", "aml": "0.00", "dsf": "14614.20",
                                "portes_closes": "1760.40", "gla": "0.00", "fal": "0.00",
                                "total": "52473.60"}
    assert data["totals"]["asll_points"] == 100
    assert data["totals"]["fal_accompagnement_seul"] == 2
    assert data["totals"]["amounts"]["fal"] == "65009.60"  # 30 × 2 062,80 + 2 × 1 562,80
    assert not (tmp_path / "out").exists()


def test_workbook_has_blocks_subtotals_totals_and_print_setup(small_conventions: Path, tmp_path: Path):
    assert run_table(small_conventions, tmp_path) == 0
    sheet = load_workbook(tmp_path / "tableau_financier_2026.xlsx").active
    names = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
    assert names == ["Association Alpha", "Association Alpha", "Sous-total Association Alpha",
                     "Beta & Fils <Nord>", "Sous-total Beta & Fils <Nord>", "Totaux"]
    assert sheet.freeze_panes == "C5"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert "&P" in sheet.oddFooter.center.text
    total = sheet.cell(row=sheet.max_row, column=17)
    # a formula (recalculated to 184 524,20 € in LibreOffice: tests/test_table_xlsx_formulas.py)
    assert total.value == "=SUM(Q7,Q9)"
    assert '"€"' in total.number_format


def test_docx_text_carries_french_amounts(small_conventions: Path, tmp_path: Path) -> None:
    assert run_table(small_conventions, tmp_path) == 0
    document = Document(tmp_path / "tableau_financier_2026.docx")
    cells = [c.text.replace("\u00a0", " ") for row in document.tables[0].rows for c in row.cells]
    assert "36 099,00" in cells
    assert "Beta & Fils <Nord>" in cells
    assert document.sections[0].page_width > document.sections[0].page_height


def test_same_inputs_give_identical_bytes(small_conventions: Path, tmp_path: Path) -> None:
    assert run_table(small_conventions, tmp_path / "a") == 0
    assert run_table(small_conventions, tmp_path / "b") == 0
    for name in ("tableau_financier_2026.xlsx", "tableau_financier_2026.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_failure_leaves_previous_output_untouched(small_conventions: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "sortie"
    assert run_table(small_conventions, out) == 0
    before = (out / "tableau_financier_2026.xlsx").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr("engine.build.write_table_docx", broken)
    assert run_table(small_conventions, out) == 3  # could not complete, no traceback
    assert (out / "tableau_financier_2026.xlsx").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conventions", "sortie"]  # no staging left
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "tableau_financier_2026.docx",
                                                     "tableau_financier_2026.xlsx"]


def test_unknown_year_is_a_french_error(small_conventions: Path, tmp_path: Path, capsys) -> None:
    assert run_table(small_conventions, tmp_path, "--json") == 0
    capsys.readouterr()
    assert main(["table", "2031", "--conventions", str(small_conventions), "--json"]) == 1
    assert "aucune période 2031" in capsys.readouterr().err
