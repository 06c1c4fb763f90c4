"""The year's settlement of each association: realised activity, advance, balance, refund.

Pure, like `finance`: frozen values in, frozen values out, Decimal half-up to the cent, no I/O,
no clock. 004, every annex, « Modalités de versement »: 70 % after the amendment is signed; « le
solde [...] dans la limite de 30 % de la subvention annuelle et au vu du nombre d'accompagnements
réalisés au 31 décembre de l'année N » ; « si [...] le montant de la subvention versée est
supérieur au taux de réalisation, l'association sera amenée à effectuer un remboursement ».

Acarlogi 2026 (INTERFACES.md): S = 148 625,00, A = 104 037,50 paid, R = 98 511,00 → balance
0,00, refund 5 526,50, rate 0,6628. Every reading of DOMAIN §5 is a `SettlementRules` field,
loaded from `conventions/solde.yaml`.

The position rests on the advance actually paid (`paiements.csv`); with no payment recorded it is
shown against the advance due (70 %) and no refund is computed: a refund of money never paid
cannot be asked (issue 18).
"""

from __future__ import annotations

import calendar as stdlib_calendar
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from engine.activity import ActivityMeasure, AsllAct, Register, Result
from engine.calendar import Counting, HolidayCalendar, days_in_month, deadline
from engine.errors import FslError
from engine.finance import Block, Table
from engine.model import GROUPS, Departement, Measure, Period
from engine.money import format_eur, to_cent

ZERO = Decimal("0.00")


class MonthCount(Enum):
    ONE_DAY = "un_jour"  # a month counts when the measure runs at least one day of it
    WHOLE = "mois_entier"  # only months covered from the 1st to the last day


class CapScope(Enum):
    MEASURE = "par_mesure"  # each amount of the annex capped at its « subvention maximum »
    ASSOCIATION = "association"  # only the association's total capped at its subsidy


class Status(Enum):
    CALCULE = "calcule"
    GRILLE_ABSENTE = "grille_absente"


@dataclass(frozen=True)
class SettlementRules:
    """The readings of DOMAIN §5, each from `conventions/solde.yaml` with its `source`."""

    month_count: MonthCount
    points: Mapping[Measure, Mapping[str, int]]
    cap: CapScope
    dsf_rate: str
    closed_door_rate: str
    fal_rate: str
    gla_rate: str
    gla_min_days: int
    rate_decimals: int
    advance_months: int
    advance_extend: bool
    holidays_country: str
    balance_due: tuple[int, int]  # (month, day) of year N+1
    clause: str  # the payment clause as the annexes word it, quoted by the letters
    sources: Mapping[str, str]
    fal_alone_rate: str  # the rate of a FAL housing with « accompagnement social » only
    act_points: Mapping[AsllAct, int]  # points of an ASLL diagnostic, of a CET that could not be signed


@dataclass(frozen=True)
class Realised:
    """One amount of the annex: the quantity done, its amount, the annex's maximum, what counts."""

    group: str
    quantity: Decimal  # points × months, acts, days of occupancy or housing-months
    unit: str
    amount: Decimal
    maximum: Decimal
    counted: Decimal
    unpaid: tuple[str, ...] = ()  # acts of the register the deliberation does not pay, each with why
    rate: Decimal | None = None  # the rate applied (amount = quantity × rate / per), for the letters
    per: int = 1


@dataclass(frozen=True)
class Settlement:
    """`advance` is the advance due (70 %); `paid` what `paiements.csv` records (None: nothing).
    Without a payment `balance` is the position against the advance due and `refund` is None."""

    association: str
    status: Status
    subsidy: Decimal
    advance: Decimal
    estimated: bool
    realised: tuple[Realised, ...] | None = None
    total: Decimal | None = None
    rate: Decimal | None = None
    balance: Decimal | None = None
    refund: Decimal | None = None
    paid: Decimal | None = None

    @property
    def payment_recorded(self) -> bool:
        return self.paid is not None

    @property
    def base(self) -> Decimal:
        """The advance the position rests on: paid when recorded, else due."""
        return self.advance if self.paid is None else self.paid

    def counted(self, group: str) -> Decimal:
        return next((r.counted for r in self.realised or () if r.group == group), ZERO)


@dataclass(frozen=True)
class AdvanceDue:
    """The 70 % of an amendment whose signature date is known, and the day it is due."""

    association: str
    signed_on: date
    amount: Decimal
    due: date


def settle_year(table: Table, register: Register, dep: Departement,
                rules: SettlementRules) -> tuple[Settlement, ...]:
    """One settlement per association of the year's table, in the table's order."""
    known = {b.association.slug for b in table.blocks}
    strangers = sorted(register.received - known)
    if strangers:
        raise FslError(f"activité reçue pour une association sans subvention {table.year} : "
                       f"{', '.join(strangers)}")
    paid = register.paid()
    unknown = sorted(set(paid) - known)
    if unknown:
        raise FslError(f"versement enregistré (paiements.csv) pour une association sans subvention "
                       f"{table.year} : {', '.join(unknown)}")
    parts, nothing = register.by_association(), Register((), (), frozenset())
    return tuple(settle(block, parts.get(block.association.slug, nothing), dep, table.period, rules,
                        paid.get(block.association.slug))
                 for block in table.blocks)


def settle(block: Block, register: Register, dep: Departement, period: Period,
           rules: SettlementRules, paid: Decimal | None = None) -> Settlement:
    """Settle one association (`register` holds its activity only; `paid`: its payments, if any)."""
    slug, subsidy, advance = block.association.slug, block.total, block.advance
    if slug not in register.received:
        return Settlement(slug, Status.GRILLE_ABSENTE, subsidy, advance, block.estimated, paid=paid)
    realised = tuple(_capped(r, rules) for r in realised_amounts(register, dep, period, rules, block.amounts))
    total = sum((r.counted for r in realised), ZERO)
    if rules.cap is CapScope.ASSOCIATION:
        total = min(total, subsidy)
    base = advance if paid is None else paid
    balance, refund, rate = payment(subsidy, base, block.balance_cap, total, rules.rate_decimals, advance)
    return Settlement(slug, Status.CALCULE, subsidy, advance, block.estimated, realised, total, rate,
                      balance, None if paid is None else refund, paid)


def payment(subsidy: Decimal, advance: Decimal, balance_cap: Decimal, total: Decimal,
            decimals: int, due: Decimal | None = None) -> tuple[Decimal, Decimal, Decimal]:
    """Balance, refund and rate of realisation for a realised `total` (DOMAIN §5), `advance`
    being what was paid and `due` the 70 % (the same when omitted).

    The balance never takes advance + balance past the subsidy, even when 70 % and 30 % both
    round up (0,05 € → 0,04 + 0,01); a part of the advance due but not paid is added to the 30 %
    limit (it is still owed as advance, not as balance).
    """
    unpaid = max((advance if due is None else due) - advance, ZERO)
    cap = min(balance_cap + unpaid, subsidy - advance)
    return (min(max(total - advance, ZERO), max(cap, ZERO)), max(advance - total, ZERO),
            realisation_rate(total, subsidy, decimals))


def realisation_rate(total: Decimal, subsidy: Decimal, decimals: int) -> Decimal:
    """R / S, half-up to `decimals` places (0 when there is no subsidy)."""
    step = Decimal(1).scaleb(-decimals)
    return (total / subsidy).quantize(step, ROUND_HALF_UP) if subsidy else Decimal(0).quantize(step)


def _capped(realised: Realised, rules: SettlementRules) -> Realised:
    if rules.cap is CapScope.MEASURE:
        counted = min(realised.amount, realised.maximum)
    else:
        counted = realised.amount
    return dataclasses.replace(realised, counted=counted)


def realised_amounts(register: Register, dep: Departement, period: Period, rules: SettlementRules,
                     maxima: Mapping[str, Decimal]) -> tuple[Realised, ...]:
    """The realised amount of each group the association is funded for (or did something in)."""
    dsf_done, dsf_unpaid = _dsf(register, Result.REALISE, period)
    doors, doors_unpaid = _dsf(register, Result.PORTE_CLOSE, period)
    unpaid = {"dsf": dsf_unpaid, "portes_closes": doors_unpaid}
    acts = _act_points(register, period, rules)
    asll = _points_months(register, Measure.ASLL, period, rules) + acts
    quantities = {
        "asll": (asll, "points × mois" + (" et points d'actes" if acts else ""), "asll_points", 1),
        "aml": (_points_months(register, Measure.AML, period, rules), "points × mois", "aml_points", 1),
        "dsf": (dsf_done, "diagnostics", rules.dsf_rate, 1),
        "portes_closes": (doors, "portes closes", rules.closed_door_rate, 1),
        "gla": (_housing_months(register, period, rules.gla_min_days), "mois-logements", rules.gla_rate, 12),
        "fal": (_occupied_days(register, period), "jours d'occupation", rules.fal_rate,
                _days_in_year(period.year)),
    }
    out = []
    for group in GROUPS:
        quantity, unit, rate, divisor = quantities[group]
        maximum = maxima.get(group, ZERO)
        if quantity or maximum or unpaid.get(group):
            value = _rate(dep, rate, period)
            amount, per = quantity * value, divisor
            alone = _occupied_days(register, period, alone=True) if group == "fal" else 0
            if alone:  # 004 annexe FAL: a day without gestion locative at the accompagnement's rate
                alone_rate = _rate(dep, rules.fal_alone_rate, period)
                amount += alone * (alone_rate - value)
                unit = (f"{unit} ({quantity - alone} × {format_eur(value)} + {alone} × "
                        f"{format_eur(alone_rate)} en accompagnement seul) / {divisor}")
                value, per = None, 1
            out.append(Realised(group, Decimal(quantity), unit, to_cent(amount / divisor),
                                maximum, ZERO, unpaid.get(group, ()), value, per))
    return tuple(out)


def _rate(dep: Departement, column: str, period: Period) -> Decimal:
    value = dep.rates[column].in_force(period.start)
    if value is None:
        raise FslError(f"aucun taux « {column} » en vigueur au {period.start:%d/%m/%Y}")
    return value.amount


def _points_months(register: Register, measure: Measure, period: Period, rules: SettlementRules) -> int:
    """Σ points × months run in the period (004 annexe ASLL: GSL 1 point, ASL 2 points a month)."""
    points = rules.points[measure]
    return sum(points[m.record.kind] * months_in(m, period.start, period.end, rules.month_count)
               for m in register.measures if m.measure is measure and m.act is None)


def _act_points(register: Register, period: Period, rules: SettlementRules) -> int:
    """Σ points of the ASLL acts done in the period (004 annexe ASLL, Modalités de financement: a
    diagnostic « rémunéré à hauteur de 2 points », a CET that could not be signed « 1 point »)."""
    return sum(rules.act_points[m.act] for m in register.measures
               if m.measure is Measure.ASLL and m.act is not None and _in(period, m.realised_on))


def months_run(measure: ActivityMeasure, year: int, count: MonthCount) -> int:
    """How many months of `year` the measure counts for, from its start to its actual or planned end."""
    return months_in(measure, date(year, 1, 1), date(year, 12, 31), count)


def months_in(measure: ActivityMeasure, begin: date, finish: date, count: MonthCount) -> int:
    """The months between `begin` and `finish` (a period: from a 1st to a month's end) it counts for."""
    start, end = measure.record.start, measure.last_day
    if start is None or end is None:
        return 0
    first, last = max(start, begin), min(end, finish)
    if first > last:
        return 0
    months = (last.year - first.year) * 12 + last.month - first.month
    if count is MonthCount.ONE_DAY:
        return months + 1
    return max(0, months + 1 - (first.day != 1) - (last.day != days_in_month(last.year, last.month)))


def _in(period: Period, day: date | None) -> bool:
    return day is not None and period.start <= day <= period.end


MIN_ATTEMPTS = 2
CLOSED_DOOR_RULE = "DSF-PORTE-CLOSE (004 annexe DSF, La porte close : « rémunérée après 2 tentatives »)"
OWN_ASLL_RULE = ("DSF-SUIVI-ASLL (004 annexe DSF, Modalités de financement : « L'association effectue les "
                 "DSF pour les ménages qu'elle a en suivi ASLL sans être rémunérée pour le DSF »)")


def _dsf(register: Register, result: Result, period: Period) -> tuple[int, tuple[str, ...]]:
    """DSF counted in the period of their `date_realisation` (one of N−1 is not counted in N), less
    those the deliberation does not pay: a closed door after fewer than 2 recorded attempts (as the
    checker's DSF-PORTE-CLOSE), a DSF for a household the association follows in ASLL on that day
    (same `menage`). Returns the count paid and one line per act not paid, with the rule."""
    paid, unpaid = 0, []
    for m in register.measures:
        if m.measure is not Measure.DSF or m.result is not result or not _in(period, m.realised_on):
            continue
        why = _unpaid_dsf(register, m)
        if why is None:
            paid += 1
        else:
            unpaid.append(f"{m.record.mesure_id} : {why}")
    return paid, tuple(unpaid)


def _unpaid_dsf(register: Register, dsf: ActivityMeasure) -> str | None:
    if dsf.own_asll:  # declared in the grid: « DSF pour un ménage suivi en ASLL par l'association »
        return f"ménage suivi en ASLL par l'association (déclaré), DSF non rémunéré : {OWN_ASLL_RULE}"
    if dsf.result is Result.PORTE_CLOSE and dsf.attempts is not None and 0 < dsf.attempts < MIN_ATTEMPTS:
        return (f"porte close après {dsf.attempts} tentative de visite, non rémunérée : "
                f"{CLOSED_DOOR_RULE}")
    household = dsf.record.household
    if dsf.result is Result.REALISE and household:
        for m in register.measures:
            start, end = m.record.start, m.last_day
            if (m.measure is Measure.ASLL and m.record.household == household and start is not None
                    and end is not None and start <= dsf.realised_on <= end):
                return (f"ménage suivi en ASLL par l'association ({m.record.mesure_id}) le jour du "
                        f"diagnostic, DSF non rémunéré : {OWN_ASLL_RULE}")
    return None


def _occupied_days(register: Register, period: Period, alone: bool = False) -> int:
    """FAL days occupied in the period (`alone`: those of housings with accompagnement seul only)."""
    return sum(o.days for o in register.occupancy
               if o.measure is Measure.FAL and (o.accompaniment_only or not alone)
               and _in(period, date(o.year, o.month, 1)))


def _housing_months(register: Register, period: Period, min_days: int) -> int:
    return sum(1 for o in register.occupancy
               if o.measure is Measure.GLA and o.days >= min_days and _in(period, date(o.year, o.month, 1)))


def _days_in_year(year: int) -> int:
    return 366 if stdlib_calendar.isleap(year) else 365


def advance_schedule(table: Table, signed: Mapping[str, date], rules: SettlementRules,
                     holidays: HolidayCalendar) -> tuple[AdvanceDue, ...]:
    """The 70 % of each amendment signed, due « dans le mois qui suit la signature » (art. 641/642)."""
    return tuple(
        AdvanceDue(b.association.slug, signed[b.association.slug], b.advance,
                   deadline(signed[b.association.slug], rules.advance_months, Counting.MONTHS,
                            holidays, extend=rules.advance_extend))
        for b in table.blocks if b.association.slug in signed
    )


def balance_due(year: int, rules: SettlementRules) -> date:
    """The day the balance of `year` is due (end of Q1 of N+1 by default)."""
    month, day = rules.balance_due
    return date(year + 1, month, day)
