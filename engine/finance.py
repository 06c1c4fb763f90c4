"""The arithmetic of the conventions: pure, Decimal only, half-up to the cent.

An amount is count × the rate in force at the period's start, times the period's months for a
monthly rate, or prorated by months / 12 for an annual rate (004 annexe GLA: 800 × 499,56 × 6/12
= 199 824 € for 1 Jul–31 Dec 2025).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.errors import FslError
from engine.model import (
    COLUMNS,
    GROUPS,
    Allocation,
    Association,
    Conventions,
    Departement,
    Period,
    Rate,
    Unit,
)
from engine.money import to_cent

ZERO = Decimal("0.00")


def amount(rate: Rate, count: int, period: Period) -> Decimal:
    """count × rate for `period`, rounded half-up to the cent."""
    value = rate.value_at(period.start)
    if rate.unit is Unit.MONTH:
        raw = count * value.amount * period.months
    elif rate.unit is Unit.YEAR:
        raw = count * value.amount * period.months / Decimal(12)
    else:
        raw = count * value.amount
    return to_cent(raw)


@dataclass(frozen=True)
class Row:
    """One association × territory row of the financial table."""

    association: str
    territory: str
    arrondissement: str | None
    counts: Mapping[str, int]
    amounts: Mapping[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


@dataclass(frozen=True)
class Block:
    """An association's rows, its subtotal, and the payment split of its yearly subsidy."""

    association: Association
    rows: tuple[Row, ...]
    counts: Mapping[str, int]
    amounts: Mapping[str, Decimal]
    estimated: bool
    advance: Decimal
    balance_cap: Decimal

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


@dataclass(frozen=True)
class Table:
    year: int
    period: Period
    blocks: tuple[Block, ...]
    counts: Mapping[str, int]
    amounts: Mapping[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for block in self.blocks for row in block.rows)


_PRICED: dict[int, tuple[weakref.ref[Conventions], dict[int, Table]]] = {}


def build_table(conventions: Conventions, year: int) -> Table:
    """The financial table of `year`, priced once per loaded conventions and year: the build's
    table, pack, amendments' traces and SCDL file share the same `Table` (it is immutable)."""
    key = id(conventions)
    entry = _PRICED.get(key)
    if entry is None or entry[0]() is not conventions:
        entry = (weakref.ref(conventions, _forgetter(key)), {})
        _PRICED[key] = entry
    if year not in entry[1]:
        entry[1][year] = price_table(conventions, year)
    return entry[1][year]


def _forgetter(key: int) -> Callable[[weakref.ref[Conventions]], None]:
    """Drops the tables priced for conventions `key` once those conventions are gone."""
    def forget(_: weakref.ref[Conventions]) -> None:
        _PRICED.pop(key, None)
    return forget


def price_table(conventions: Conventions, year: int) -> Table:
    """The financial table of `year`: a block per association that has an allocation that year."""
    dep = conventions.departement
    period = dep.period(year)
    if period is None:
        known = ", ".join(str(p.year) for p in dep.periods)
        raise FslError(f"aucune période {year} dans departement.yaml (périodes : {known})")
    blocks = tuple(
        _block(dep, association, allocation, period)
        for association in conventions.associations
        if (allocation := association.allocation(year)) is not None
    )
    if not blocks:
        years = sorted({y for a in conventions.associations for y in a.allocations})
        raise FslError(f"aucune allocation {year} dans les conventions : rien à produire pour {year} "
                       f"(années qui en ont : {', '.join(map(str, years)) or 'aucune'})")
    return Table(year, period, blocks, _sum_counts(blocks), _sum_amounts(blocks))


def _block(dep: Departement, association: Association, allocation: Allocation, period: Period) -> Block:
    rows = tuple(
        Row(association.slug, line.territory, line.arrondissement,
            {c: line.count(c) for c in COLUMNS}, _row_amounts(dep, line.counts, period))
        for line in allocation.lines
    )
    amounts = _sum_amounts(rows)
    total = sum(amounts.values(), ZERO)
    advance, balance_cap = payment_split(dep, total)
    return Block(association, rows, _sum_counts(rows), amounts, allocation.estimated,
                 advance, balance_cap)


def _row_amounts(dep: Departement, counts: Mapping[str, int], period: Period) -> dict[str, Decimal]:
    amounts = dict.fromkeys(GROUPS, ZERO)
    for column in COLUMNS:
        rate = dep.rates[column]
        amounts[rate.group] += amount(rate, counts.get(column, 0), period)
    return amounts


def _sum_counts(parts: Sequence[Row | Block]) -> dict[str, int]:
    return {c: sum(p.counts[c] for p in parts) for c in COLUMNS}


def _sum_amounts(parts: Sequence[Row | Block]) -> dict[str, Decimal]:
    return {g: sum((p.amounts[g] for p in parts), ZERO) for g in GROUPS}


def payment_split(dep: Departement, yearly_subsidy: Decimal) -> tuple[Decimal, Decimal]:
    """The 70 % advance and the 30 % ceiling of the balance (004, « Modalités de versement »)."""
    return to_cent(yearly_subsidy * dep.advance_share), to_cent(yearly_subsidy * dep.balance_share)
