"""Annexe 3 of the pack reads at 9 pt (issue 18, point 7): landscape, a summary per association,
then one table per measure; every figure is the year's table's own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx.shared import Pt

from engine.finance import build_table
from engine.pack.annex3 import SIZE_PT, SUMMARY, annex3_document, measure_tables, titles
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def annex():
    conventions = load_conventions(ROOT / "conventions").conventions
    dep = conventions.departement
    table = build_table(conventions, 2026)
    return dep, table, annex3_document(dep, table)


def figure(text: str) -> Decimal:
    return Decimal(text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".") or "0")


def rows(grid) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.rows]


def test_no_text_below_9_pt_and_the_page_is_landscape(annex) -> None:
    _, _, document = annex
    assert SIZE_PT >= 9
    assert document.styles["Normal"].font.size == Pt(SIZE_PT)
    sizes = {run.font.size for grid in document.tables for row in grid.rows for cell in row.cells
             for paragraph in cell.paragraphs for run in paragraph.runs}
    sizes |= {run.font.size for paragraph in document.paragraphs for run in paragraph.runs}
    assert all(size is None or size >= Pt(SIZE_PT) for size in sizes), sizes
    section = document.sections[0]
    assert section.page_width > section.page_height


def test_the_summary_gives_each_association_and_the_year_total(annex) -> None:
    _, table, document = annex
    summary = rows(document.tables[0])
    assert len(summary) == 1 + len(table.blocks) + 1
    names = [b.association.name for b in table.blocks]
    assert [r[0].removesuffix(" (estimé)") for r in summary[1:-1]] == names
    assert summary[-1][0] == "Totaux" and figure(summary[-1][-1]) == table.total == Decimal("4139361.80")
    for line, block in zip(summary[1:-1], table.blocks, strict=True):
        assert figure(line[-1]) == block.total
        assert sum(figure(cell) for cell in line[1:-1]) == block.total


def test_each_measure_table_adds_up_to_the_tables_amounts(annex) -> None:
    dep, table, document = annex
    specs = measure_tables(dep)
    assert [s.measure.value for s in specs] == ["ASLL", "AML", "DSF", "GLA", "FAL"]
    assert len(document.tables) == 1 + len(specs)
    for spec, grid in zip(specs, document.tables[1:], strict=True):
        lines = rows(grid)
        assert lines[-1][0] == f"Total {spec.measure.value}"
        amounts = len(spec.groups)
        for offset, group in enumerate(spec.groups):
            column = len(lines[0]) - amounts + offset
            assert sum(figure(line[column]) for line in lines[1:-1]) == table.amounts[group] \
                == figure(lines[-1][column]), (spec.measure, group)
        assert all(any(figure(c) for c in line[-amounts:]) for line in lines[1:-1]), spec.measure


def test_the_outline_titles_are_the_tables_headings(annex) -> None:
    dep, _, document = annex
    headings = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold]
    assert titles(dep)[0] == SUMMARY
    assert [h for h in headings if h in titles(dep)] == list(titles(dep))
