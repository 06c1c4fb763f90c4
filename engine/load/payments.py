"""Read `paiements.csv` of an activity folder: the payments already made on the year's subsidy.

`association;date;montant;mandat`, read like the other CSV files of the folder (UTF-8, `;`, dates
AAAA-MM-JJ or JJ/MM/AAAA, every error `file:line: field: message`). An amount is euros and cents,
`104037.50` or `104 037,50`, read as a Decimal, never a float. The settlement takes the advance
actually paid from here; an association without a line has no payment recorded.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from decimal import Decimal
from pathlib import Path

from engine.activity import PAYMENT_COLUMNS, Payment
from engine.checker.registry import _ID, _SLUG, Row, _shown, read_rows
from engine.errors import InputError

PAYMENTS_FILE = "paiements.csv"
_AMOUNT = re.compile(r"([0-9]{1,10})(?:[.,]([0-9]{1,2}))?")
_SPACES = str.maketrans("", "", " \u00a0\u202f")
AMOUNT_EXAMPLE = "104037.50 ou 104 037,50"


def read_payments(path: Path, errors: list[InputError], associations: Collection[str] | None,
                  year: int | None) -> list[Payment]:
    """Every valid line of `path`; each wrong cell, and a mandate recorded twice, added to `errors`.

    A payment on the subsidy of `year` is dated in `year` or in the year after (an advance paid
    after a late signature), never before."""
    payments = [p for p in (payment_row(row, associations, year)
                            for row in read_rows(path, PAYMENT_COLUMNS, errors)) if p is not None]
    errors += _twice(payments)
    return payments


def payment_row(row: Row, associations: Collection[str] | None, year: int | None) -> Payment | None:
    before = len(row.errors)
    association = row.text("association", True, _SLUG, "acarlogi")
    day = row.day("date", True)
    amount = parse_amount(row)
    mandate = row.text("mandat", True, _ID, "2026-004512")
    if association and associations is not None and association not in associations:
        row.error("association", f"« {_shown(association)} » n'est pas une association des conventions")
    if day is not None and year is not None and not year <= day.year <= year + 1:
        row.error("date", f"{day:%d/%m/%Y} : un versement sur la subvention {year} est daté du "
                          f"01/01/{year} au 31/12/{year + 1}")
    if len(row.errors) > before:
        return None
    return Payment(association, day, amount, mandate, f"{row.path}:{row.line}")


def parse_amount(row: Row) -> Decimal | None:
    """`montant`: a positive amount in euros with at most two decimals (`.` or `,`, spaces allowed)."""
    value = row.text("montant", True, None, AMOUNT_EXAMPLE)
    if value is None:
        return None
    match = _AMOUNT.fullmatch(value.translate(_SPACES))
    if match is None:
        row.error("montant", f"« {_shown(value)} » n'est pas un montant en euros "
                             f"(exemple : {AMOUNT_EXAMPLE}, sans « € »)")
        return None
    amount = Decimal(f"{match[1]}.{(match[2] or '').ljust(2, '0')}")
    if amount <= 0:
        row.error("montant", f"« {_shown(value)} » : un versement est un montant positif")
        return None
    return amount


def _twice(payments: Iterable[Payment]) -> list[InputError]:
    """The same mandate twice for one association would count one payment twice."""
    errors, seen = [], {}
    for p in payments:
        first = seen.setdefault((p.association, p.mandate), p.where)
        if first != p.where:
            path, _, line = p.where.rpartition(":")
            errors.append(InputError(f"mandat « {p.mandate} » déjà enregistré pour « {p.association} » "
                                     f"(ligne {first.rpartition(':')[2]})", path, line, "mandat"))
    return errors
