"""The financial table's columns, shared by the XLSX, the DOCX and the commission pack's annexe 3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from engine.finance import Block, Row, Table
from engine.model import Departement, Unit
from engine.money import format_eur


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


SOFT_HYPHEN = "\u00ad"
UNIT_WORDS = {Unit.MONTH: "par mois", Unit.YEAR: "par an", Unit.ACT: ""}
COUNT_LABELS = {"asll_points": "Points ASLL", "aml_points": "Points AML", "dsf": "DSF",
                "portes_closes": "Portes closes", "gla": "Logements GLA", "fal": "FAL",
                "fal_accompagnement_seul": "FAL acc. seul"}
"""Short words, so that a 1,25 cm column never cuts one (« Logemen|ts »)."""


def headings(dep: Departement, table: Table) -> list[str]:
    """Each column's header; a count column gives its unit rate on a second line, as 004 annexe 3
    does (« Nbre points mensuels ASLL 85,95 €/mois »): « Points ASLL par mois⏎85,95 € »."""
    out = []
    for column in COLUMNS:
        if column.kind != "count":
            out.append(column.heading.replace("Arrondissement", f"Arrondis{SOFT_HYPHEN}sement"))
            continue
        rate = dep.rates[column.key]
        value = rate.in_force(table.period.start)
        label = " ".join(w for w in (COUNT_LABELS[column.key], UNIT_WORDS[rate.unit]) if w)
        out.append(f"{label}\n{format_eur(value.amount)}" if value is not None else label)
    return out


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


def service_line(dep: Departement, dated: date | None) -> str:
    """« SPSLH – Département du Pas-de-Calais – 26/02/2026 » (004 annexe 3 prints the date)."""
    line = f"{dep.service} – Département du {dep.name}"
    return f"{line} – tableau du {dated:%d/%m/%Y}" if dated is not None else line


def title(dep: Departement, table: Table) -> str:
    period = table.period
    return (f"Tableau financier ASLL - AML - DSF - FAL - GLA : conventionnement {table.year} "
            f"(du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}, {period.months} mois)")
