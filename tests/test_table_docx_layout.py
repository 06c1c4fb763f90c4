"""Tables people read: headers that fit their columns, rates in the headers, the table's date,
the association's name once per block, the pack's font and page numbers in the standalone DOCX."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from engine.cli import main
from engine.finance import build_table
from engine.render.table_docx import CELL_MARGIN_TWIPS, HEADER_SIZE_PT, WIDTHS_CM
from engine.render.table_layout import COLUMNS, SOFT_HYPHEN, headings
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parents[1]
# Arial Bold advance widths (1/1000 em, Adobe AFM); an unknown character counts as wide as « H ».
ARIAL_BOLD = {" ": 278, "\u00a0": 278, ",": 278, ".": 278, "(": 333, ")": 333, "-": 333, "€": 556,
              **dict.fromkeys("0123456789", 556),
              **dict(zip("abcdefghijklmnopqrstuvwxyzéè",
                         (556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611,
                          611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 556, 556), strict=True)),
              **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                         (722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667,
                          778, 722, 667, 611, 722, 667, 944, 667, 667, 611), strict=True))}


def width_pt(word: str, size: float) -> float:
    return sum(ARIAL_BOLD.get(ch, 722) for ch in word) * size / 1000


def test_no_header_word_is_wider_than_its_column() -> None:
    conventions = load_conventions(ROOT / "conventions").conventions
    texts = headings(conventions.departement, build_table(conventions, 2026))
    margins_pt = 2 * int(CELL_MARGIN_TWIPS) / 20
    for column, text in zip(COLUMNS, texts, strict=True):
        room = (WIDTHS_CM.get(column.key) or WIDTHS_CM[column.kind]) / 2.54 * 72 - margins_pt
        for line in text.split("\n"):
            for word in line.split(" "):
                pieces = word.split(SOFT_HYPHEN)
                for index, piece in enumerate(pieces):
                    shown = piece + ("-" if index < len(pieces) - 1 else "")
                    assert width_pt(shown, HEADER_SIZE_PT) <= room, (column.key, shown)
    assert "\n85,95\u00a0€" in texts[3] and "\n2\u00a0062,80\u00a0€" in texts[8]


def test_standalone_docx_has_the_date_arial_page_numbers_and_names_once(tmp_path: Path) -> None:
    assert main(["table", "2026", "--out", str(tmp_path)]) == 0
    document = Document(tmp_path / "tableau_financier_2026.docx")
    assert "tableau du 26/02/2026" in document.paragraphs[1].text
    assert document.styles["Normal"].font.name == "Arial"
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    names = [row.cells[0].text for row in document.tables[0].rows[1:]]
    audasse = [n for n in names if n == "AUDASSE"]
    assert audasse == ["AUDASSE"]  # four territory rows, the name on the first only
    assert names.count("") >= 10
