"""`fsl compare`: two years side by side; the differences are those of the two financial tables."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from engine.cli import main
from engine.compare import compare
from engine.render.compare_chart import compare_png
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS


def _json(capsys, *args: str) -> dict:
    assert main([*args, "--conventions", str(CONVENTIONS), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _table_totals(table: dict) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per association: the total; per association and group: the amount (from `fsl table --json`)."""
    totals: dict[str, Decimal] = {}
    groups: dict[tuple[str, str], Decimal] = {}
    for row in table["rows"]:
        slug = row["association"]
        totals[slug] = totals.get(slug, Decimal(0)) + Decimal(row["amounts"]["total"])
        for group, value in row["amounts"].items():
            groups[slug, group] = groups.get((slug, group), Decimal(0)) + Decimal(value)
    return totals, groups


def test_differences_equal_those_of_the_two_tables(capsys) -> None:
    result = _json(capsys, "compare", "2025", "2026")
    table_a, table_b = _json(capsys, "table", "2025"), _json(capsys, "table", "2026")
    totals_a, groups_a = _table_totals(table_a)
    totals_b, groups_b = _table_totals(table_b)
    assert result["annees"] == [2025, 2026]
    assert {e["association"] for e in result["associations"]} == set(totals_a) | set(totals_b)
    for entry in result["associations"]:
        slug = entry["association"]
        before, after = totals_a.get(slug, Decimal(0)), totals_b.get(slug, Decimal(0))
        assert (Decimal(entry["2025"]), Decimal(entry["2026"])) == (before, after)
        assert Decimal(entry["ecart"]) == after - before
        for group, values in entry["par_mesure"].items():
            expected = groups_b.get((slug, group), Decimal(0)) - groups_a.get((slug, group), Decimal(0))
            assert Decimal(values["ecart"]) == expected
    total_a = Decimal(table_a["totals"]["amounts"]["total"])
    total_b = Decimal(table_b["totals"]["amounts"]["total"])
    assert result["totaux"]["2026"] == "4139361.80"
    assert Decimal(result["totaux"]["ecart"]) == total_b - total_a
    assert sum(Decimal(e["ecart"]) for e in result["associations"]) == total_b - total_a


def test_contract_shape_and_estimated_years(capsys) -> None:
    first = _json(capsys, "compare", "2025", "2026")["associations"][0]
    assert first["association"] == "acarlogi"
    assert first["2026"] == "148625.00" and first["par_mesure"]["asll"]["2026"] == "103140.00"
    assert set(first) >= {"association", "2025", "2026", "ecart", "par_mesure"}
    assert first["estimees"] == [2025]  # 2025 copied from 2026 in the data: marked, never a fact


def test_an_association_missing_one_year_counts_zero_and_says_so(small_conventions: Path, capsys) -> None:
    assert main(["compare", "2025", "2026", "--conventions", str(small_conventions), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    alpha = next(e for e in result["associations"] if e["association"] == "alpha")
    assert alpha["sans_allocation"] == [2025]
    assert alpha["2025"] == "0.00" and alpha["ecart"] == alpha["2026"] != "0.00"


def test_workbook_and_chart_are_written_and_reproducible(tmp_path: Path, capsys) -> None:
    for out in ("a", "b"):
        assert main(["compare", "2025", "2026", "--conventions", str(CONVENTIONS),
                     "--out", str(tmp_path / out)]) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir() if p.name != "manifest.json")
    assert names == ["comparaison_2025_2026.png", "comparaison_2025_2026.xlsx"]  # + the output's manifest
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    sheet = load_workbook(tmp_path / "a" / "comparaison_2025_2026.xlsx").active
    assert sheet.cell(row=6, column=1).value == "Acarlogi"
    assert sheet.cell(row=6, column=2).value == 51570  # ASLL 2025 (estimated)
    assert sheet.cell(row=6, column=2).font.italic
    assert sheet.cell(row=6, column=3).value == 103140
    assert sheet.cell(row=6, column=2).number_format.startswith("#,##0.00")
    assert sheet.cell(row=6, column=23).value == "2025"
    last = sheet.max_row
    assert sheet.cell(row=last, column=1).value == "Total"
    assert Decimal(str(sheet.cell(row=last, column=20).value)) == Decimal("2198956.10")
    assert Decimal(str(sheet.cell(row=last, column=21).value)) == Decimal("4139361.80")


def test_chart_png_has_no_software_stamp() -> None:
    conventions = load_conventions(CONVENTIONS).conventions
    png = compare_png(compare(conventions, 2025, 2026))
    assert png.startswith(b"\x89PNG") and b"matplotlib" not in png
