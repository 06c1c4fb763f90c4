"""Reconciliation: a financial table made elsewhere, checked cell by cell with the engine's arithmetic.

Pure: values in, disagreements out. The checks, on every legible cell:
- product: an amount is count × rate (004 annexe 3, e.g. 35 points × 85,95 € × 12 = 36 099,00);
- row sums: « Cumul DSF et portes closes », « ASLL + AML + DSF »;
- association total: the « montant financier du conventionnement » of the rows of one association;
- totals row: against the engine's table of the year (GLA: 800 × 499,56 = 399 648,00, where 004
  printed 395 646,00), and against the sum of its column when every cell of that column is legible.
A row whose association and territory the engine knows is also checked against the engine's counts.
A computed value always comes from counts and rates, never from another printed total.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from engine.finance import Table, amount
from engine.model import COLUMNS, GROUPS, Departement, Period, Unit
from engine.money import format_count, format_number

ZERO = Decimal("0.00")
TOTAL_LABEL = "totaux"
AMOUNTS = {f"montant_{group}": group for group in GROUPS}
SUMS: Mapping[str, tuple[str, ...]] = {
    "montant_dsf_portes_closes": ("dsf", "portes_closes"),
    "montant_asll_aml_dsf": ("asll", "aml", "dsf", "portes_closes"),
    "montant_convention": GROUPS,
}
NUMERIC_COLUMNS: tuple[str, ...] = (
    *COLUMNS, "montant_asll", "montant_aml", "montant_dsf", "montant_portes_closes",
    "montant_dsf_portes_closes", "montant_asll_aml_dsf", "montant_gla", "montant_fal", "montant_convention",
)
"""The numeric columns of the published format, in the order of 004 annexe 3."""
TEXT_COLUMNS = ("association", "territoire", "arrondissement", "remarque")


@dataclass(frozen=True)
class Cell:
    """A printed cell: its value (None when empty or illegible) and its text as printed."""

    value: Decimal | None
    legible: bool = True
    text: str = ""


@dataclass(frozen=True)
class PublishedRow:
    line: int
    association: str
    territory: str
    cells: Mapping[str, Cell]

    @property
    def is_total(self) -> bool:
        return self.association.strip().casefold() == TOTAL_LABEL

    def label(self) -> str:
        parts = [p for p in (self.association.strip(), self.territory.strip()) if p]
        return " – ".join(parts) or f"ligne {self.line}"


@dataclass(frozen=True)
class PublishedTable:
    path: str
    rows: tuple[PublishedRow, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    line: int
    where: str
    column: str
    printed: Decimal
    computed: Decimal
    how: str
    check: str
    blank: bool = False

    def is_count(self) -> bool:
        return self.column in COLUMNS


@dataclass(frozen=True)
class Reconciliation:
    disagreements: tuple[Disagreement, ...]
    checked: int
    unchecked: Mapping[str, int]


@dataclass(frozen=True)
class Computed:
    value: Decimal
    how: str


class _Run:
    """The state of one reconciliation: what was checked, what could not be."""

    def __init__(self, dep: Departement, period: Period) -> None:
        self.dep, self.period = dep, period
        self.found: list[Disagreement] = []
        self.checked = 0
        self.unchecked: dict[str, int] = defaultdict(int)

    def compare(self, row: PublishedRow, column: str, expected: Computed | None, check: str) -> None:
        cell = row.cells.get(column)
        if cell is None:
            return
        if not cell.legible or expected is None:
            self.unchecked["cellules illisibles ou sans les nombres qui les expliquent"] += 1
            return
        self.record(row.line, row.label(), column, cell.value, expected, check)

    def record(self, line: int, where: str, column: str, printed: Decimal | None,
               expected: Computed, check: str) -> None:
        """One comparison; a blank cell is a printed zero."""
        self.checked += 1
        value = printed if printed is not None else Decimal(0)
        if value != expected.value:
            self.found.append(Disagreement(line, where, column, value, expected.value,
                                           expected.how, check, blank=printed is None))


def reconcile(published: PublishedTable, dep: Departement, table: Table) -> Reconciliation:
    """Every disagreement between `published` and the arithmetic of the engine, in file order."""
    run = _Run(dep, table.period)
    data_rows = [r for r in published.rows if not r.is_total]
    values = {r.line: _row(run, r, None) for r in data_rows}
    _association_totals(run, data_rows, values, _engine_totals(table))
    _engine_counts(run, data_rows, table)
    for total_row in (r for r in published.rows if r.is_total):
        _row(run, total_row, table.counts)
        _engine_total_counts(run, total_row, table)
        _column_sums(run, total_row, data_rows)
    found = sorted(run.found, key=lambda d: (d.line, NUMERIC_COLUMNS.index(d.column)))
    return Reconciliation(tuple(found), run.checked, dict(run.unchecked))


def _row(run: _Run, row: PublishedRow, fallback: Mapping[str, int] | None) -> dict[str, Computed | None]:
    """Products and row sums of one row; returns each group's value for the totals."""
    values: dict[str, Computed | None] = {}
    for group in GROUPS:
        computed = _product(run, row, group, fallback)
        run.compare(row, f"montant_{group}", computed, "produit")
        values[group] = computed or _printed(row, f"montant_{group}")
    for column, groups in SUMS.items():
        if column != "montant_convention" or row.is_total:
            run.compare(row, column, _sum([values[g] for g in groups]), "somme de la ligne")
    return values


def _product(run: _Run, row: PublishedRow, group: str, fallback) -> Computed | None:
    """count × rate for the group's columns (FAL: full forfaits + « accompagnement seul »).

    On the totals row a count left blank or illegible is the engine's; on another row a blank
    count is zero, unless an amount is printed without any count to explain it.
    """
    parts = []
    for column in (c for c in COLUMNS if run.dep.rates[c].group == group):
        count, from_data = _count(row, column), False
        if fallback is not None and not count:
            count, from_data = fallback.get(column), True
        if count is None:
            return None
        parts.append((column, count, from_data))
    if fallback is None and not any(n for _, n, _ in parts) and _has_value(row, f"montant_{group}"):
        return None
    rates = run.dep.rates
    total = sum((amount(rates[c], n, run.period) for c, n, _ in parts), ZERO)
    shown = [_how(run, c, n, from_data) for c, n, from_data in parts if n] or ["0"]
    return Computed(total, " + ".join(shown))


def _count(row: PublishedRow, column: str) -> int | None:
    cell = row.cells.get(column)
    if cell is None or not cell.legible:
        return None
    return int(cell.value or 0)


def _has_value(row: PublishedRow, column: str) -> bool:
    cell = row.cells.get(column)
    return cell is not None and cell.value is not None


def _legible(row: PublishedRow, column: str) -> bool:
    cell = row.cells.get(column)
    return cell is None or cell.legible


def _how(run: _Run, column: str, count: int, from_data: bool = False) -> str:
    """« 18 × 85,95 × 12 mois », « 800 (conventions) × 499,56 »."""
    rate = run.dep.rates[column]
    value = format_number(rate.value_at(run.period.start).amount)
    months = run.period.months
    shown = format_count(count) + (" (conventions)" if from_data else "")
    if rate.unit is Unit.MONTH:
        return f"{shown} × {value} × {months} mois"
    if rate.unit is Unit.YEAR and months != 12:
        return f"{shown} × {value} × {months}/12"
    return f"{shown} × {value}"


def _printed(row: PublishedRow, column: str) -> Computed | None:
    cell = row.cells.get(column)
    if cell is None or not cell.legible:
        return None
    value = cell.value if cell.value is not None else ZERO
    return Computed(value, format_number(value))


def _sum(parts: list[Computed | None]) -> Computed | None:
    present = [p for p in parts if p is not None]
    if len(present) < len(parts):
        return None
    nonzero = [p for p in present if p.value]
    how = nonzero[0].how if len(nonzero) == 1 else " + ".join(format_number(p.value) for p in nonzero)
    return Computed(sum((p.value for p in present), ZERO), how or "0")


def _association_totals(run: _Run, rows: list[PublishedRow], values,
                        engine: Mapping[str, Computed]) -> None:
    """A printed association total against the engine's (its counts × rates) when the engine
    knows the association, else against the sum of that association's printed rows.

    The engine's total does not depend on where the scan put each cell: a row of 004 annexe 3
    can carry cells of two associations (RECONSTRUCTION.md), which a sum of rows would mix.
    """
    blocks: dict[str, list[PublishedRow]] = defaultdict(list)
    for row in rows:
        if row.association.strip():
            blocks[normalise(row.association)].append(row)
    for row in rows:
        if not _has_value(row, "montant_convention"):
            continue
        if not row.association.strip():
            run.unchecked["totaux d'association sur une ligne sans association"] += 1
            continue
        known = engine.get(normalise(row.association))
        if known is not None:
            run.compare(row, "montant_convention", known, "total de l'association")
            continue
        block = blocks[normalise(row.association)]
        parts = [_sum([values[r.line][g] for g in GROUPS]) for r in block]
        run.compare(row, "montant_convention", _sum(parts), "total de l'association")


def _engine_totals(table: Table) -> dict[str, Computed]:
    """Each association's total in the engine's table, by slug and by name."""
    totals = {}
    for block in table.blocks:
        association = block.association
        how = " + ".join(format_number(block.amounts[g]) for g in GROUPS if block.amounts[g])
        computed = Computed(block.total, f"{how or '0'}, données des conventions « {association.slug} »")
        for key in (association.slug, association.name):
            totals[normalise(key)] = computed
    return totals


def _engine_counts(run: _Run, rows: list[PublishedRow], table: Table) -> None:
    """Rows whose association and territory the engine knows: their counts against the data."""
    engine = _engine_rows(run.dep, table)
    published: dict[tuple[str, str], list[PublishedRow]] = defaultdict(list)
    for row in rows:
        key = (normalise(row.association), normalise(row.territory))
        if key in engine:
            published[key].append(row)
    for key, group in published.items():
        for column in COLUMNS:
            cells = [c for r in group if (c := r.cells.get(column)) is not None and c.legible]
            if len(cells) < len(group):
                continue
            printed = sum((c.value or Decimal(0) for c in cells), Decimal(0))
            where = group[0].label() + (f" ({len(group)} lignes)" if len(group) > 1 else "")
            expected = Computed(Decimal(engine[key][column]), "données des conventions")
            run.record(group[0].line, where, column, printed, expected, "données")


def _engine_rows(dep: Departement, table: Table) -> dict[tuple[str, str], dict[str, int]]:
    rows: dict[tuple[str, str], dict[str, int]] = {}
    for block in table.blocks:
        association = block.association
        for row in block.rows:
            territory = dep.territory(row.territory)
            for a_key in {normalise(association.slug), normalise(association.name)}:
                for t_key in {normalise(row.territory), normalise(territory.name if territory else "")}:
                    counts = rows.setdefault((a_key, t_key), dict.fromkeys(COLUMNS, 0))
                    for column in COLUMNS:
                        counts[column] += row.counts[column]
    return rows


def _engine_total_counts(run: _Run, row: PublishedRow, table: Table) -> None:
    """The printed total counts against the engine's; a blank count was not printed."""
    for column in (c for c in COLUMNS if _has_value(row, c) or not _legible(row, c)):
        expected = Computed(Decimal(table.counts[column]), "total des conventions")
        run.compare(row, column, expected, "total du moteur")


def _column_sums(run: _Run, total: PublishedRow, rows: list[PublishedRow]) -> None:
    """The totals row against the sum of its column, when every cell of the column is legible."""
    for column in NUMERIC_COLUMNS:
        if column not in total.cells:
            continue
        cells = [c for r in rows if (c := r.cells.get(column)) is not None and c.legible]
        if len(cells) < len(rows):
            run.unchecked["totaux de colonne (colonne incomplète)"] += 1
            continue
        value = sum((c.value or Decimal(0) for c in cells), Decimal(0))
        run.compare(total, column, Computed(value, f"somme des {len(rows)} lignes"), "total de colonne")


def normalise(text: str) -> str:
    """Case, accents and spacing aside (« Hénin-Carvin » = « henin-carvin »)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u00a0", " "))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
