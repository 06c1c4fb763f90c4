"""Association totals retained by the engine against the printed annex 3 the Commission voted.

`conventions/published/annexe3-YEAR.csv` holds the printed figures (004 annexe 3 as scanned). Each
association whose retained total (counts × rates) differs from its printed « montant financier du
conventionnement » is an open point: the signer must know the act departs from the voted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from engine.model import Association, Conventions
from engine.money import format_eur
from engine.open_points import OpenPoint, PointKind, open_points


@dataclass(frozen=True)
class PrintedDifference:
    association: Association
    printed: Decimal
    retained: Decimal
    path: str
    line: int
    reason: str


def published_path(conventions: Conventions, year: int) -> Path:
    return Path(conventions.root) / "published" / f"annexe3-{year}.csv"


def printed_differences(conventions: Conventions, year: int) -> tuple[PrintedDifference, ...]:
    """Each association total that differs from the printed annex (none without the CSV file)."""
    from engine.finance import build_table
    from engine.load.published import read_published
    from engine.reconcile import normalise

    path = published_path(conventions, year)
    if not path.is_file():
        return ()
    published = read_published(path)
    blocks = {normalise(key): block for block in build_table(conventions, year).blocks
              for key in (block.association.slug, block.association.name)}
    differences = []
    for row in published.rows:
        cell = row.cells.get("montant_convention")
        found = blocks.get(normalise(row.association)) if row.association.strip() else None
        if cell is None or cell.value is None or found is None or cell.value == found.total:
            continue
        differences.append(PrintedDifference(found.association, cell.value, found.total,
                                             published.path, row.line, _reason(found.association, year)))
    return tuple(differences)


def _reason(association: Association, year: int) -> str:
    """The `inference:` notes of the year that explain the total (those naming it first)."""
    allocation = association.allocation(year)
    notes = [line.inference for line in (allocation.lines if allocation else ()) if line.inference]
    about_total = [n for n in notes if "total" in n.casefold()]
    return " ".join(about_total or notes) or "aucune note dans le fichier de l'association"


def printed_points(conventions: Conventions, year: int) -> tuple[OpenPoint, ...]:
    return tuple(
        OpenPoint(d.path, d.line, "montant_convention",
                  f"{d.association.name} : {format_eur(d.retained)} retenus, {format_eur(d.printed)} "
                  f"imprimés dans l'annexe 3 votée ; {d.reason.rstrip('. ')} ; fichier de "
                  f"l'association : {d.association.path}:{d.association.lines.get('allocations', 0)}",
                  PointKind.PUBLISHED, d.association.slug, year)
        for d in printed_differences(conventions, year))


def all_points(conventions: Conventions, year: int) -> tuple[OpenPoint, ...]:
    """What `fsl points` lists and `fsl build --final` refuses on: the model's points, then the
    totals departing from the printed annex."""
    return (*open_points(conventions, year), *printed_points(conventions, year))
