"""`fsl table YEAR --json`: the contract of INTERFACES.md (amounts as two-decimal strings)."""

from __future__ import annotations

from engine.finance import Table
from engine.model import COLUMNS, GROUPS
from engine.money import json_amount


def table_json(table: Table) -> dict:
    rows = [
        {"association": r.association, "territory": r.territory,
         **{c: r.counts[c] for c in COLUMNS}, "amounts": _amounts(r.amounts, r.total)}
        for r in table.rows
    ]
    totals = {**{c: table.counts[c] for c in COLUMNS}, "amounts": _amounts(table.amounts, table.total)}
    return {"year": table.year, "rows": rows, "totals": totals}


def _amounts(amounts, total) -> dict[str, str]:
    return {**{g: json_amount(amounts[g]) for g in GROUPS}, "total": json_amount(total)}
