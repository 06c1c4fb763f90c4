"""`fsl solde YEAR --json`: the settlements as INTERFACES.md writes them (decimal strings, never floats).

`avance` is the advance due (70 %), `avance_versee` the total of `paiements.csv` (null: no payment
recorded, `versement` « non_enregistre »: the balance is then a position against the advance due
and `remboursement` is null, never computed on money not known to be paid)."""

from __future__ import annotations

from decimal import Decimal

from engine.model import GROUPS
from engine.money import json_amount
from engine.settlement import ZERO, Settlement, Status


def solde_json(year: int, settlements: tuple[Settlement, ...]) -> dict:
    return {"year": year, "associations": [_association(s) for s in settlements],
            "totaux": _totals(settlements)}


def _association(s: Settlement) -> dict:
    computed = s.status is Status.CALCULE
    return {
        "association": s.association, "statut": s.status.value,
        "subvention": json_amount(s.subsidy), "avance": json_amount(s.advance),
        "avance_versee": json_amount(s.paid) if s.paid is not None else None,
        "versement": "enregistre" if s.payment_recorded else "non_enregistre",
        "realise": _realised(s) if computed else None,
        "taux_realisation": f"{s.rate}" if computed else None,
        # settle() gives a computed settlement its total, rate and balance (Status.CALCULE)
        "solde": json_amount(s.balance) if computed and s.balance is not None else None,
        "remboursement": json_amount(s.refund) if computed and s.refund is not None else None,
    }


def _realised(s: Settlement) -> dict:
    amounts = {group: json_amount(s.counted(group)) for group in GROUPS}
    unpaid = [line for r in s.realised or () for line in r.unpaid]
    extra = {"non_remuneres": unpaid} if unpaid else {}  # what the deliberation does not pay, and why
    total = json_amount(s.total) if s.total is not None else None
    return {**amounts, "total": total, **extra}


def _totals(settlements: tuple[Settlement, ...]) -> dict:
    computed = [s for s in settlements if s.status is Status.CALCULE]
    return {
        "subvention": json_amount(_sum(s.subsidy for s in settlements)),
        "avance": json_amount(_sum(s.advance for s in settlements)),
        "avance_versee": json_amount(_sum(s.paid for s in settlements if s.payment_recorded)),
        "realise": json_amount(_sum(s.total for s in computed)),
        "solde": json_amount(_sum(s.balance for s in computed)),
        "remboursement": json_amount(_sum(s.refund for s in computed if s.refund is not None)),
    }


def _sum(values) -> Decimal:
    return sum(values, ZERO)
