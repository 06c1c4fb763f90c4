"""The workbook's cells get their styles copied from the first cell given the same ones
(`CellStyles`): the bytes must be those openpyxl writes when every cell is styled by itself."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from engine.finance import build_table
from engine.render.table_xlsx import CellStyles, write_table_xlsx
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parents[1]


class _Forgetful(dict):
    """A memory that keeps nothing: every cell is styled through openpyxl itself (the reference)."""

    def __setitem__(self, key, value) -> None:
        pass


def _both(conventions: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    loaded = load_conventions(conventions).conventions
    table = build_table(loaded, 2026)
    fast, reference = tmp_path / "fast.xlsx", tmp_path / "reference.xlsx"
    write_table_xlsx(loaded.departement, table, fast)
    with monkeypatch.context() as patch:
        patch.setattr(CellStyles, "__init__", lambda self: setattr(self, "_given", _Forgetful()))
        write_table_xlsx(loaded.departement, table, reference)
    return fast.read_bytes(), reference.read_bytes()


def test_copied_styles_give_the_bytes_of_styling_each_cell(tmp_path: Path, monkeypatch) -> None:
    fast, reference = _both(ROOT / "conventions", tmp_path, monkeypatch)
    assert fast == reference


def test_a_quoted_name_keeps_its_own_style(small_conventions: Path, tmp_path: Path, monkeypatch) -> None:
    """A name read as a formula gets the quote prefix: a style of its own, never copied over."""
    alpha = small_conventions / "associations" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("nom: Association Alpha",
                                                               "nom: \"=Association Alpha\""),
                     encoding="utf-8")
    fast, reference = _both(small_conventions, tmp_path, monkeypatch)
    assert fast == reference
    with zipfile.ZipFile(io.BytesIO(fast)) as book:
        assert b'quotePrefix="1"' in book.read("xl/styles.xml")
