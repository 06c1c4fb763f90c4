"""The activity register: what each association did in a year, read from CSV files or filled grids.

One model for both sources (INTERFACES.md, « Activity register »): the measures of `mesures.csv`
with their actual end, DSF result and date, the FAL/GLA occupancy of `occupation.csv`, and the
payments already made on the year's subsidy (`paiements.csv`).
Pure values; `engine.load.activity` builds them, `engine.settlement` computes with them.
No household name or address is ever part of it: a household is its `mesure_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from engine.model import Measure
from engine.rules import MeasureRecord

ACTIVITY_COLUMNS: tuple[str, ...] = ("date_fin_reelle", "resultat", "date_realisation", "acte_asll",
                                     "dsf_suivi_asll")
OCCUPANCY_COLUMNS: tuple[str, ...] = ("association", "dispositif", "logement_id", "mois", "jours_occupes")
OCCUPANCY_OPTIONAL: tuple[str, ...] = ("accompagnement_seul",)  # FAL: accompagnement social seul (oui)
YES, NO = "oui", "non"
OCCUPANCY_MEASURES: tuple[Measure, ...] = (Measure.FAL, Measure.GLA)
PAYMENT_COLUMNS: tuple[str, ...] = ("association", "date", "montant", "mandat")


class Result(Enum):
    """How a DSF ended (004 annexe DSF): carried out, or a closed door after 2 visit attempts."""

    REALISE = "realise"
    PORTE_CLOSE = "porte_close"


class AsllAct(Enum):
    """An ASLL act paid in points, not in months (004 annexe ASLL, Modalités de financement)."""

    DIAGNOSTIC = "diagnostic"  # « sur décision de la CL FSL, à effectuer des diagnostics »
    CET_NON_SIGNE = "cet_non_signe"  # « Lorsque le CET ne peut pas être signé »


@dataclass(frozen=True)
class ActivityMeasure:
    """A measure of the register with what happened to it; `where` is `file:line` or `file:SHEET!row`."""

    record: MeasureRecord
    actual_end: date | None
    result: Result | None
    realised_on: date | None
    where: str
    attempts: int | None = None  # closed-door visit attempts of evenements.csv (None: no such file)
    act: AsllAct | None = None  # an ASLL row that is a diagnostic or a CET that could not be signed
    own_asll: bool = False  # a DSF the association declares for a household it follows in ASLL

    @property
    def association(self) -> str:
        return self.record.association

    @property
    def measure(self) -> Measure:
        return self.record.measure

    @property
    def last_day(self) -> date | None:
        """The actual end when known, else the planned end (start + months − 1 day)."""
        return self.actual_end or self.record.end


@dataclass(frozen=True)
class Occupancy:
    """Days one housing was occupied in one month (paid vacancy included), FAL or GLA."""

    association: str
    measure: Measure
    housing: str
    year: int
    month: int
    days: int
    where: str
    accompaniment_only: bool = False  # FAL paid as « accompagnement social » only (no gestion locative)


@dataclass(frozen=True)
class Payment:
    """One payment already made on the year's subsidy (the advance, by a mandate of the payeur)."""

    association: str
    day: date
    amount: Decimal
    mandate: str
    where: str


@dataclass(frozen=True)
class Register:
    """The activity of the associations in `received` (those whose register or grid came in), and
    the payments recorded in the folder (for any association, activity received or not)."""

    measures: tuple[ActivityMeasure, ...]
    occupancy: tuple[Occupancy, ...]
    received: frozenset[str]
    payments: tuple[Payment, ...] = ()

    def paid(self) -> dict[str, Decimal]:
        """The total paid to each association with at least one payment recorded."""
        totals: dict[str, Decimal] = {}
        for p in self.payments:
            totals[p.association] = totals.get(p.association, Decimal("0.00")) + p.amount
        return totals

    def by_association(self) -> dict[str, Register]:
        """Each association's part of the register, in one pass (`of` for every association)."""
        measures: dict[str, list[ActivityMeasure]] = {}
        occupancy: dict[str, list[Occupancy]] = {}
        for m in self.measures:
            measures.setdefault(m.association, []).append(m)
        for o in self.occupancy:
            occupancy.setdefault(o.association, []).append(o)
        return {slug: Register(tuple(measures.get(slug, ())), tuple(occupancy.get(slug, ())),
                               frozenset({slug}))
                for slug in self.received}

    def of(self, association: str) -> Register:
        """The part of the register that belongs to one association."""
        return Register(
            tuple(m for m in self.measures if m.association == association),
            tuple(o for o in self.occupancy if o.association == association),
            self.received & {association},
        )
