"""Finance: amounts are count × rate exactly, rounded half-up; parts sum to totals."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import FslError
from engine.finance import amount, build_table, payment_split
from engine.model import (
    COLUMNS,
    Allocation,
    AllocationLine,
    Association,
    Conventions,
    Period,
    frozen_mapping,
)
from engine.validation import load_conventions

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "finance.yaml").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dep(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("conv")
    shutil.copytree(ROOT / "tests" / "fixtures" / "conventions", root, dirs_exist_ok=True)
    shutil.copy(ROOT / "conventions" / "departement.yaml", root / "departement.yaml")
    return load_conventions(root).conventions.departement


@pytest.mark.parametrize("case", CASES, ids=[c["cas"] for c in CASES])
def test_amount_cases(case, dep) -> None:
    period = dep.period(case["annee"])
    assert amount(dep.rates[case["colonne"]], case["nombre"], period) == Decimal(case["montant"])


def test_rate_in_force_is_the_one_at_period_start(dep) -> None:
    rate = dep.rates["asll_points"]
    later = type(rate.values[0])(date(2026, 7, 1), Decimal("90.00"), "test")
    dated = type(rate)(rate.column, rate.measure, rate.unit, rate.group, rate.label, (*rate.values, later))
    assert amount(dated, 1, dep.period(2026)) == Decimal("1031.40")  # 85,95 × 12: July's value ignored
    assert amount(dated, 1, Period(2027, date(2027, 1, 1), date(2027, 12, 31))) == Decimal("1080.00")


def test_payment_split_is_70_and_30_percent(dep) -> None:
    assert payment_split(dep, Decimal("52473.60")) == (Decimal("36731.52"), Decimal("15742.08"))


counts = st.fixed_dictionaries({c: st.integers(min_value=0, max_value=3000) for c in COLUMNS})


def _conventions(dep, lines_counts: list[dict[str, int]], year: int) -> Conventions:
    lines = tuple(
        AllocationLine("artois", None, frozen_mapping({k: v for k, v in c.items() if v}), "test")
        for c in lines_counts
    )
    allocation = Allocation(year, False, "test", lines)
    association = Association("x", "X", ("artois",), date(2025, 7, 1), None, frozen_mapping({}), False,
                              "test", frozen_mapping({year: allocation}))
    return Conventions(dep, (association, association))


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(counts, min_size=1, max_size=5), year=st.sampled_from([2025, 2026, 2027]))
def test_parts_sum_to_totals(dep, lines, year) -> None:
    table = build_table(_conventions(dep, lines, year), year)
    for block in table.blocks:
        assert block.total == sum((row.total for row in block.rows), Decimal(0))
    assert table.total == sum((block.total for block in table.blocks), Decimal(0))
    for group, value in table.amounts.items():
        assert value == sum((row.amounts[group] for row in table.rows), Decimal(0))
    for column in COLUMNS:
        assert table.counts[column] == 2 * sum(line[column] for line in lines)


@settings(max_examples=100, deadline=None)
@given(count=st.integers(min_value=0, max_value=100_000), year=st.sampled_from([2025, 2026]))
def test_monthly_amount_is_count_times_rate_times_months_exactly(dep, count, year) -> None:
    period = dep.period(year)
    for column in ("asll_points", "aml_points"):
        rate = dep.rates[column].in_force(period.start).amount
        assert amount(dep.rates[column], count, period) == count * rate * period.months
    assert amount(dep.rates["dsf"], count, period) == count * Decimal("162.38")


def test_a_rate_without_a_value_in_force_is_a_french_error(dep) -> None:
    rate = dep.rates["asll_points"]
    with pytest.raises(FslError, match=re.escape(f"aucun taux « {rate.label} » en vigueur au 01/01/1990")):
        rate.value_at(date(1990, 1, 1))


def test_a_year_without_a_period_is_a_french_error(dep) -> None:
    with pytest.raises(FslError, match=r"aucune période 1990 dans departement.yaml \(périodes : "):
        dep.required_period(1990)
