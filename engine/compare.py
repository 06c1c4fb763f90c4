"""Two years' allocations side by side, per association and measure, with the difference.

Pure: both sides are the financial tables of `finance.build_table` (no second pricing); an
association without an allocation one year counts 0,00 € that year and is listed as such; a year
whose allocation is estimated is marked, so a comparison never passes an estimate for a fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from engine.finance import ZERO, Block, Table, build_table
from engine.model import GROUPS, Conventions


@dataclass(frozen=True)
class Side:
    """One association's (or the total's) amounts by measure group in one year."""

    amounts: Mapping[str, Decimal]
    present: bool = True
    estimated: bool = False

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


@dataclass(frozen=True)
class Line:
    slug: str
    name: str
    before: Side
    after: Side

    def difference(self, group: str | None = None) -> Decimal:
        if group is None:
            return self.after.total - self.before.total
        return self.after.amounts[group] - self.before.amounts[group]


@dataclass(frozen=True)
class Comparison:
    year_a: int
    year_b: int
    lines: tuple[Line, ...]
    totals: Line

    @property
    def estimated(self) -> bool:
        return any(line.before.estimated or line.after.estimated for line in self.lines)


def compare(conventions: Conventions, year_a: int, year_b: int) -> Comparison:
    """Every association with an allocation in either year, in the order of 004 annexe 1."""
    table_a, table_b = build_table(conventions, year_a), build_table(conventions, year_b)
    blocks_a, blocks_b = _by_slug(table_a), _by_slug(table_b)
    lines = tuple(
        Line(a.slug, a.name, _side(blocks_a.get(a.slug)), _side(blocks_b.get(a.slug)))
        for a in conventions.associations
        if a.slug in blocks_a or a.slug in blocks_b
    )
    totals = Line("", "Total", _table_side(table_a), _table_side(table_b))
    return Comparison(year_a, year_b, lines, totals)


def _by_slug(table: Table) -> dict[str, Block]:
    return {block.association.slug: block for block in table.blocks}


def _side(block: Block | None) -> Side:
    if block is None:
        return Side(dict.fromkeys(GROUPS, ZERO), present=False)
    return Side(dict(block.amounts), estimated=block.estimated)


def _table_side(table: Table) -> Side:
    return Side(dict(table.amounts), estimated=any(b.estimated for b in table.blocks))
