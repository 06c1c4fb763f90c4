"""The shipped conventions: valid, and the 2026 table meets the deliberation's legible totals.

The totals are those of 004 annexe 3's totals row, corrected where DOMAIN.md §3 shows a misprint
(GLA 800 × 499,56 = 399 648,00; DSF + portes closes 258 550,40).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from engine.cli import main
from engine.finance import build_table
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parent.parent
CONVENTIONS = ROOT / "conventions"
SEED_004 = ROOT.parent / "shared" / "seeds" / "004_665cc12d9ae3da1b.txt"

EXPECTED_2026 = {
    "asll_points": 2412, "aml_points": 309, "dsf": 1420, "portes_closes": 715, "gla": 800,
    "fal": 318, "fal_accompagnement_seul": 12,
    "amounts": {"asll": "2487736.80", "aml": "318702.60", "dsf": "230579.60",
                "portes_closes": "27970.80", "gla": "399648.00", "fal": "674724.00",
                "total": "4139361.80"},
}


@pytest.fixture(scope="module")
def loaded():
    return load_conventions(CONVENTIONS)


def test_shipped_data_is_valid_with_27_associations(loaded) -> None:
    assert len(loaded.conventions.associations) == 27


def test_validate_exits_zero_and_prints_warnings(capsys) -> None:
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert "27 associations" in captured.out
    assert "estimées" in captured.err


def test_2026_totals_are_exactly_the_deliberations(capsys) -> None:
    assert main(["table", "2026", "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert totals == EXPECTED_2026


def test_dsf_and_portes_closes_add_to_258_550_40(loaded) -> None:
    table = build_table(loaded.conventions, 2026)
    assert table.amounts["dsf"] + table.amounts["portes_closes"] == Decimal("258550.40")


def test_2025_is_estimated_except_is62_gla_given_by_the_seed(loaded) -> None:
    for association in loaded.conventions.associations:
        allocation = association.allocation(2025)
        assert allocation is not None, association.slug
        given = association.slug == "immobiliere-sociale-62"
        assert allocation.estimated is not given, association.slug
    is62 = loaded.conventions.association("immobiliere-sociale-62")
    assert build_table(loaded.conventions, 2025).blocks  # the half-year builds
    gla_2025 = [b for b in build_table(loaded.conventions, 2025).blocks if b.association is is62]
    assert gla_2025[0].amounts["gla"] == Decimal("199824.00")


def test_every_line_names_its_source(loaded) -> None:
    for association in loaded.conventions.associations:
        for allocation in association.allocations.values():
            assert all(len(line.source) > 3 for line in allocation.lines)


@pytest.mark.skipif(not SEED_004.exists(), reason="seeds absents (../shared)")
def test_signature_dates_are_those_of_annexe_1(loaded) -> None:
    text = SEED_004.read_text(encoding="utf-8")
    for association in loaded.conventions.associations:
        signed = association.convention_signed_on
        assert f"{signed:%d/%m/%Y}" in text or f"{signed:%d/%m/%y}" in text, association.slug


@pytest.mark.skipif(not SEED_004.exists(), reason="seeds absents (../shared)")
def test_associations_come_in_the_order_of_annexe_1(loaded) -> None:
    text = SEED_004.read_text(encoding="utf-8")
    annexe_1 = text[text.index("**Annexe 1"):text.index("## **Article 1")]
    positions = [annexe_1.index(f"| {a.name} ") for a in loaded.conventions.associations]
    assert [a.rank for a in loaded.conventions.associations] == list(range(1, 28))
    assert positions == sorted(positions)
