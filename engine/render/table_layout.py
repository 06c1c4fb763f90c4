"""The financial table's columns, shared by the XLSX, the DOCX and the commission pack's annexe 3."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from engine.finance import Block, Row, Table
from engine.model import Departement


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str  # "text", "count" or "amount"
    key: str


COLUMNS: tuple[Column, ...] = (
    Column("Association", "text", "association"),
    Column("Territoire", "text", "territory"),
    Column("Arrondissement (DSF)", "text", "arrondissement"),
    Column("Points ASLL mensuels", "count", "asll_points"),
    Column("Points AML mensuels", "count", "aml_points"),
    Column("DSF", "count", "dsf"),
    Column("Portes closes", "count", "portes_closes"),
    Column("Logements GLA", "count", "gla"),
    Column("FAL", "count", "fal"),
    Column("FAL accompagnement seul", "count", "fal_accompagnement_seul"),
    Column("Montant ASLL", "amount", "asll"),
    Column("Montant AML", "amount", "aml"),
    Column("Montant DSF", "amount", "dsf"),
    Column("Montant portes closes", "amount", "portes_closes"),
    Column("Montant GLA", "amount", "gla"),
    Column("Montant FAL", "amount", "fal"),
    Column("Total", "amount", "total"),
)


def row_cells(dep: Departement, block: Block, row: Row) -> list[str | int | Decimal | None]:
    """The cells of one territory row (association name on every row, for sorting and filters)."""
    territory = dep.territory(row.territory)
    arrondissement = dep.arrondissement(row.arrondissement) if row.arrondissement else None
    text = {
        "association": block.association.name,
        "territory": territory.name if territory else row.territory,
        "arrondissement": arrondissement.name if arrondissement else None,
    }
    return _cells(text, row.counts, {**row.amounts, "total": row.total})


def subtotal_cells(block: Block) -> list[str | int | Decimal | None]:
    label = f"Sous-total {block.association.name}" + (" (estimé)" if block.estimated else "")
    text = {"association": label, "territory": None, "arrondissement": None}
    return _cells(text, block.counts, {**block.amounts, "total": block.total})


def total_cells(table: Table) -> list[str | int | Decimal | None]:
    text = {"association": "Totaux", "territory": None, "arrondissement": None}
    return _cells(text, table.counts, {**table.amounts, "total": table.total})


def _cells(text, counts, amounts) -> list[str | int | Decimal | None]:
    out: list[str | int | Decimal | None] = []
    for column in COLUMNS:
        if column.kind == "text":
            out.append(text[column.key])
        elif column.kind == "count":
            out.append(counts.get(column.key, 0) or None)
        else:
            out.append(amounts.get(column.key) or None)
    return out


def title(dep: Departement, table: Table) -> str:
    period = table.period
    return (f"Tableau financier ASLL - AML - DSF - FAL - GLA : conventionnement {table.year} "
            f"(du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}, {period.months} mois)")
