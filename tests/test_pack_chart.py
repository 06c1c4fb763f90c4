"""The report's chart: amounts by measure and territory, the table's total, reproducible bytes."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from engine.finance import build_table
from engine.model import Measure
from engine.pack import chart
from engine.pack.chart import amounts_by_territory, chart_png
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parents[1]


def test_amounts_by_territory_add_up_to_the_table(small_conventions: Path) -> None:
    conventions = load_conventions(small_conventions).conventions
    table = build_table(conventions, 2026)
    data = amounts_by_territory(conventions.departement, table)
    assert list(data) == ["Artois", "Hénin-Carvin", "CommunAupôle Lens-Liévin"]
    assert sum(sum(by_measure.values()) for by_measure in data.values()) == table.total
    # DSF holds the diagnostics and the closed doors: 90 × 162,38 + 45 × 39,12
    assert data["CommunAupôle Lens-Liévin"][Measure.DSF] == Decimal("16374.60")


def test_chart_is_a_png_without_software_stamp_and_reproducible(small_conventions: Path) -> None:
    conventions = load_conventions(small_conventions).conventions
    table = build_table(conventions, 2026)
    first = chart_png(conventions.departement, table)
    assert first.startswith(b"\x89PNG")
    assert b"matplotlib" not in first
    assert chart_png(conventions.departement, table) == first


def test_chart_laid_out_once_gives_the_bytes_of_savefigs_own_layout_pass(monkeypatch) -> None:
    """`png_bytes` spares savefig its layout draw: the PNG must not change (the report's bytes)."""
    conventions = load_conventions(ROOT / "conventions").conventions
    table = build_table(conventions, 2026)
    fast = chart_png(conventions.departement, table)

    def reference(figure) -> bytes:
        figure.tight_layout()  # the layout engine left on the figure: savefig draws it once more
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    monkeypatch.setattr(chart, "png_bytes", reference)
    assert chart_png(conventions.departement, table) == fast
