"""Where every figure of an association's amendment and table rows comes from.

Pure: conventions in, a trace out. Each amount is priced by `finance.amount`, the function the
financial table uses, on the rows of `finance.build_table`; the trace adds what a person needs to
check it against the texts: the YAML file and line of each count, the rate in force with its start
date, line and `source:`, the period's months, the formula, and the `estimated` / `inference` notes.
Example (004 annexe 3, Acarlogi, Lens-Liévin): 35 × 85,95 € × 12 mois = 36 099,00 €.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from engine.errors import FslError, InputError
from engine.finance import Block, amount, build_table
from engine.model import (
    COLUMNS,
    Allocation,
    AllocationLine,
    Association,
    Conventions,
    Departement,
    Measure,
    Period,
    Rate,
    Unit,
)
from engine.money import format_count, format_eur

DEPARTEMENT_FILE = "departement.yaml"


@dataclass(frozen=True)
class Where:
    """A place in the data: a file (shown relative to the conventions folder's parent) and a line."""

    path: str
    line: int | None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Figure:
    """One amount: count × rate (× months, or × months / 12) = amount."""

    column: str
    label: str
    group: str
    count: int
    count_at: Where
    rate: Decimal
    rate_start: str
    rate_source: str
    rate_at: Where
    unit: Unit
    months: int
    amount: Decimal

    @property
    def formula(self) -> str:
        head = f"{format_count(self.count)} × {format_eur(self.rate)}"
        if self.unit is Unit.MONTH:
            head += f" × {self.months} mois"
        elif self.unit is Unit.YEAR:
            head += f" × {self.months} / 12"
        return f"{head} = {format_eur(self.amount)}"


@dataclass(frozen=True)
class TraceLine:
    """One association × territory row of the table, with its figures."""

    territory: str
    territory_name: str
    arrondissement: str | None
    arrondissement_name: str | None
    at: Where
    source: str
    inference: str | None
    figures: tuple[Figure, ...]
    amounts: dict[str, Decimal]
    total: Decimal


@dataclass(frozen=True)
class TracePeriod:
    """One period the amendment states: its rows, totals, and (for the year) the payment split."""

    year: int
    period: Period
    estimated: bool
    source: str
    at: Where
    lines: tuple[TraceLine, ...]
    amounts: dict[str, Decimal]
    total: Decimal
    advance: Decimal
    balance_cap: Decimal
    measures: dict[Measure, Decimal] = field(default_factory=dict)
    """Each measure's maximum subsidy of the period, as its annex states it (sum of its groups)."""


@dataclass(frozen=True)
class Trace:
    association: Association
    year: int
    at: Where
    periods: tuple[TracePeriod, ...]
    advance_share: Decimal
    balance_share: Decimal
    split_at: Where
    annexes_estimated: bool
    annexes_source: str


def explain(conventions: Conventions, year: int, slug: str) -> Trace:
    """The trace of `slug`'s amendment for `year`: every period of the convention up to `year`."""
    association = conventions.association(slug)
    if association is None:
        known = ", ".join(a.slug for a in conventions.associations[:5])
        raise FslError(f"association « {slug} » inconnue ; par exemple : {known}")
    if association.allocation(year) is None:
        raise InputError(f"aucune allocation {year} pour cette association", association.path,
                         None, "allocations")
    dep = conventions.departement
    shown = _shower(conventions)
    dep_file = shown(str(Path(conventions.root) / DEPARTEMENT_FILE))
    periods = tuple(
        _period(dep, association, allocation, _block(conventions, p.year, slug), p, shown(association.path),
                dep_file)
        for p in sorted(dep.periods, key=lambda p: p.year)
        if p.year <= year and (allocation := association.allocation(p.year)) is not None
    )
    return Trace(association, year, Where(shown(association.path), None), periods,
                 dep.advance_share, dep.balance_share, Where(dep_file, None),
                 association.annexes_estimated, association.annexes_source)


def _block(conventions: Conventions, year: int, slug: str) -> Block:
    """The association's block of the year's financial table (the table's own pricing)."""
    table = build_table(conventions, year)
    return next(b for b in table.blocks if b.association.slug == slug)


def _period(dep: Departement, association: Association, allocation: Allocation, block: Block, period: Period,
            path: str, dep_file: str) -> TracePeriod:
    lines = tuple(  # the table's rows are the allocation's lines, in order (finance._block)
        _line(dep, line, row.amounts, row.total, period, path, dep_file)
        for line, row in zip(allocation.lines, block.rows, strict=True)
    )
    return TracePeriod(period.year, period, allocation.estimated, allocation.source,
                       Where(path, allocation.line), lines, dict(block.amounts), block.total,
                       block.advance, block.balance_cap, _by_measure(dep, association, block))


def _by_measure(dep: Departement, association: Association, block: Block) -> dict[Measure, Decimal]:
    """The block's amounts added up by measure (DSF: diagnostics and portes closes), for its annexes."""
    totals: dict[Measure, Decimal] = {}
    for measure in sorted(association.annex_numbers, key=lambda m: association.annex_numbers[m]):
        groups = {rate.group for rate in dep.rates.values() if rate.measure is measure}
        totals[measure] = sum((block.amounts[g] for g in sorted(groups)), Decimal("0.00"))
    return totals


def _line(dep: Departement, line: AllocationLine, amounts, total: Decimal, period: Period,
          path: str, dep_file: str) -> TraceLine:
    figures = tuple(
        _figure(dep.rates[column], line, period, path, dep_file)
        for column in COLUMNS if line.count(column)
    )
    place = dep.territory(line.territory)
    district = dep.arrondissement(line.arrondissement) if line.arrondissement else None
    return TraceLine(line.territory, place.name if place else line.territory, line.arrondissement,
                     district.name if district else line.arrondissement, Where(path, line.line),
                     line.source, line.inference, figures, dict(amounts), total)


def _figure(rate: Rate, line: AllocationLine, period: Period, path: str, dep_file: str) -> Figure:
    value = rate.value_at(period.start)
    count = line.count(rate.column)
    return Figure(
        column=rate.column, label=rate.label, group=rate.group, count=count,
        count_at=Where(path, line.count_lines.get(rate.column, line.line)),
        rate=value.amount, rate_start=value.start.isoformat(), rate_source=value.source,
        rate_at=Where(dep_file, value.line), unit=rate.unit, months=period.months,
        amount=amount(rate, count, period),
    )


def _shower(conventions: Conventions):
    """Paths shown relative to the conventions folder's parent: `conventions/associations/x.yaml`."""
    base = Path(conventions.root).resolve().parent

    def shown(path: str) -> str:
        resolved = Path(path).resolve()
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            return resolved.as_posix()

    return shown
