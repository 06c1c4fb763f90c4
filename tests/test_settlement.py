"""The settlement (DOMAIN §5): months counted, DSF of the year, caps, advance/balance/refund."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.activity import ActivityMeasure, Occupancy, Register, Result
from engine.calendar import holiday_calendar
from engine.finance import Block, build_table, payment_split
from engine.load.settlement_rules import load_settlement_rules
from engine.load.yamlfile import load_yaml
from engine.model import Measure
from engine.render.solde_json import solde_json
from engine.rules import MeasureRecord
from engine.settlement import (
    CapScope,
    MonthCount,
    Status,
    advance_schedule,
    months_run,
    payment,
    settle,
    settle_year,
)
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS, ROOT

CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def world():
    conventions = load_conventions(CONVENTIONS).conventions
    table = build_table(conventions, 2026)
    return conventions, table, load_settlement_rules(CONVENTIONS)


def _block(table, slug: str) -> Block:
    return next(b for b in table.blocks if b.association.slug == slug)


def measure(mid: str, kind: Measure, start=None, months=None, end=None, result=None, on=None,
            association="acarlogi", type_="GSL") -> ActivityMeasure:
    record = MeasureRecord(mid, association, kind, type_ if kind in (Measure.ASLL, Measure.AML) else "",
                           "", None, start, months, None, None, "")
    return ActivityMeasure(record, end, result, on, f"mesures.csv:{mid}")


def dsf(count: int, result: Result, day: date, prefix: str = "D") -> list[ActivityMeasure]:
    return [measure(f"{prefix}{i}", Measure.DSF, result=result, on=day) for i in range(count)]


def gla(association: str, days: list[int]) -> list[Occupancy]:
    return [Occupancy(association, Measure.GLA, f"L{i}", 2026, 1 + i % 12, d, "o")
            for i, d in enumerate(days)]


def register(*measures, occupancy=(), received=("acarlogi",)) -> Register:
    return Register(tuple(measures), tuple(occupancy), frozenset(received))


def test_measure_started_in_2025_counts_only_its_2026_months():
    m = measure("M1", Measure.ASLL, date(2025, 10, 1), 12)
    assert months_run(m, 2026, MonthCount.ONE_DAY) == 9  # January to September 2026


def test_measure_ended_early_counts_the_month_it_stopped_in():
    m = measure("M1", Measure.ASLL, date(2026, 3, 1), 12, end=date(2026, 6, 10))
    assert months_run(m, 2026, MonthCount.ONE_DAY) == 4  # March to June
    assert months_run(m, 2026, MonthCount.WHOLE) == 3  # June not complete


def test_acarlogi_matches_the_interfaces_example(world):
    conventions, table, rules = world
    asll = [measure(f"A{i}", Measure.ASLL, date(2026, 1, 1), 12) for i in range(70)]  # 840 points × mois
    done = dsf(150, Result.REALISE, date(2026, 5, 2))
    closed = dsf(50, Result.PORTE_CLOSE, date(2026, 9, 2), "P")
    old = dsf(1, Result.REALISE, date(2025, 12, 30), "OLD")  # 2025: not counted in 2026
    s = settle(_block(table, "acarlogi"), register(*asll, *done, *closed, *old), conventions.departement,
               table.period, rules, paid=Decimal("104037.50"))
    row = solde_json(2026, (s,))["associations"][0]
    assert row == {"association": "acarlogi", "statut": "calcule", "subvention": "148625.00",
                   "avance": "104037.50", "avance_versee": "104037.50", "versement": "enregistre",
                   "realise": {"asll": "72198.00", "aml": "0.00", "dsf": "24357.00",
                               "portes_closes": "1956.00", "gla": "0.00", "fal": "0.00", "total": "98511.00"},
                   "taux_realisation": "0.6628", "solde": "0.00", "remboursement": "5526.50"}


def _acarlogi_year():
    asll = [measure(f"A{i}", Measure.ASLL, date(2026, 1, 1), 12) for i in range(70)]
    return register(*asll, *dsf(150, Result.REALISE, date(2026, 5, 2)),
                    *dsf(50, Result.PORTE_CLOSE, date(2026, 9, 2), "P"))


def test_no_payment_recorded_no_refund_computed_position_on_the_advance_due(world):
    conventions, table, rules = world
    s = settle(_block(table, "acarlogi"), _acarlogi_year(), conventions.departement, table.period, rules)
    assert (s.paid, s.refund, s.payment_recorded) == (None, None, False)
    assert s.base == s.advance == Decimal("104037.50") and s.balance == Decimal("0.00")
    row = solde_json(2026, (s,))
    assert row["associations"][0]["remboursement"] is None
    assert row["associations"][0]["versement"] == "non_enregistre"
    assert row["totaux"]["remboursement"] == "0.00" and row["totaux"]["avance_versee"] == "0.00"


def test_refund_computed_on_the_amount_actually_paid(world):
    conventions, table, rules = world
    s = settle(_block(table, "acarlogi"), _acarlogi_year(), conventions.departement, table.period, rules,
               paid=Decimal("100000.00"))
    assert s.refund == Decimal("1489.00")  # 100 000,00 paid − 98 511,00 realised, not 104 037,50 − …
    low = settle(_block(table, "acarlogi"), _acarlogi_year(), conventions.departement, table.period, rules,
                 paid=Decimal("50000.00"))
    # half the advance paid: the unpaid 54 037,50 of the advance is still owed, beside the 30 % balance
    assert (low.refund, low.balance) == (Decimal("0.00"), Decimal("48511.00"))


def test_payments_are_summed_per_association_and_strangers_refused(world):
    from engine.activity import Payment
    conventions, table, rules = world
    pay = (Payment("acarlogi", date(2026, 7, 3), Decimal("50000.00"), "M1", "p:2"),
           Payment("acarlogi", date(2026, 7, 10), Decimal("54037.50"), "M2", "p:3"))
    reg = dataclasses.replace(_acarlogi_year(), payments=pay)
    s = next(x for x in settle_year(table, reg, conventions.departement, rules)
             if x.association == "acarlogi")
    assert (s.paid, s.refund) == (Decimal("104037.50"), Decimal("5526.50"))
    unknown = Payment("inconnue", date(2026, 7, 3), Decimal("1.00"), "M", "p:2")
    stranger = dataclasses.replace(reg, payments=(unknown,))
    with pytest.raises(Exception, match="sans subvention"):
        settle_year(table, stranger, conventions.departement, rules)


def test_no_activity_is_grille_absente_with_nothing_computed(world):
    conventions, table, rules = world
    s = settle(_block(table, "acarlogi"), register(received=()), conventions.departement, table.period, rules)
    assert s.status is Status.GRILLE_ABSENTE
    assert (s.realised, s.balance, s.refund, s.rate) == (None, None, None, None)


def test_each_measure_capped_at_its_annex_maximum(world):
    conventions, table, rules = world
    done = dsf(400, Result.REALISE, date(2026, 5, 2))
    s = settle(_block(table, "acarlogi"), register(*done), conventions.departement, table.period, rules)
    assert s.counted("dsf") == Decimal("40595.00")  # 250 DSF allocated, 400 done
    loose = dataclasses.replace(rules, cap=CapScope.ASSOCIATION)
    s = settle(_block(table, "acarlogi"), register(*done), conventions.departement, table.period, loose)
    assert s.total == Decimal("64952.00")  # 400 × 162,38 counted in full under the association's total


def test_fal_paid_per_day_and_gla_per_housing_month(world):
    conventions, table, rules = world
    fal = [Occupancy("aide-aux-sans-abri-le-petit-atre", Measure.FAL, "L1", 2026, m, 31, "o") for m in (1, 3)]
    s = settle(_block(table, "aide-aux-sans-abri-le-petit-atre"),
               register(occupancy=fal, received=("aide-aux-sans-abri-le-petit-atre",)),
               conventions.departement, table.period, rules)
    assert s.counted("fal") == Decimal("350.39")  # 62 × 2 062,80 / 365 = 350,393…
    slug = "immobiliere-sociale-62"
    s = settle(_block(table, slug), register(occupancy=gla(slug, [1, 0]), received=(slug,)),
               conventions.departement, table.period, rules)
    assert s.counted("gla") == Decimal("41.63")  # one housing-month (the vacant one does not count)


def test_activity_of_an_association_without_subsidy_is_refused(world):
    conventions, table, rules = world
    with pytest.raises(Exception, match="sans subvention"):
        settle_year(table, register(received=("inconnue",)), conventions.departement, rules)


def test_advance_due_one_month_after_signature_moved_to_a_working_day(world):
    conventions, table, rules = world
    due = advance_schedule(table, {"acarlogi": date(2026, 6, 14)}, rules, holiday_calendar("FR"))
    assert [(d.association, d.amount, d.due) for d in due] == [
        ("acarlogi", Decimal("104037.50"), date(2026, 7, 15))]  # 14 July is a holiday → 15 July


cents = st.integers(min_value=1, max_value=50_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=150, deadline=None)
@given(dsf_max=cents, closed_max=cents, gla_max=cents, done=st.integers(0, 400), closed=st.integers(0, 400),
       housing_months=st.integers(0, 300))
def test_settlement_properties(world, dsf_max, closed_max, gla_max, done, closed, housing_months):
    conventions, table, rules = world
    base = _block(table, "acarlogi")
    amounts = {"asll": Decimal("0.00"), "aml": Decimal("0.00"), "dsf": dsf_max, "portes_closes": closed_max,
               "gla": gla_max, "fal": Decimal("0.00")}
    subsidy = sum(amounts.values())
    advance = (subsidy * Decimal("0.7")).quantize(CENT, "ROUND_HALF_UP")
    cap = (subsidy * Decimal("0.3")).quantize(CENT, "ROUND_HALF_UP")
    block = dataclasses.replace(base, amounts=amounts, advance=advance, balance_cap=cap)
    day = date(2026, 2, 1)
    acts = dsf(done, Result.REALISE, day) + dsf(closed, Result.PORTE_CLOSE, day, "P")
    s = settle(block, register(*acts, occupancy=gla("acarlogi", [20] * housing_months)),
               conventions.departement, table.period, rules, paid=advance)
    assert s.advance + s.balance - s.refund <= s.subsidy
    assert (s.refund > 0) == (s.total < s.advance)
    assert s.balance <= cap
    assert s.balance == 0 or s.refund == 0
    for value in (s.total, s.balance, s.refund, *(r.counted for r in s.realised)):
        assert value == value.quantize(CENT)
    assert s.total == sum(r.counted for r in s.realised)


CASES = load_yaml(ROOT / "tests" / "cases" / "solde.yaml").data


@pytest.mark.parametrize("case", CASES["mois"], ids=[c["nom"] for c in CASES["mois"]])
def test_months_counted_cases(case):
    end = date.fromisoformat(case["fin_reelle"]) if case.get("fin_reelle") else None
    m = measure("M", Measure.ASLL, date.fromisoformat(case["debut"]), case["duree_mois"], end=end)
    assert months_run(m, 2026, MonthCount(case["mois_compte"])) == case["attendu"]


@pytest.mark.parametrize("case", CASES["solde"], ids=[c["nom"] for c in CASES["solde"]])
def test_settlement_cases(world, case):
    conventions, _, _ = world
    subsidy, total = Decimal(case["subvention"]), Decimal(case["realise"])
    advance, cap = payment_split(conventions.departement, subsidy)
    paid = Decimal(case.get("verse", advance))
    balance, refund, rate = payment(subsidy, paid, cap, total, 4, advance)
    assert {"avance": f"{advance}", "solde": f"{balance}", "remboursement": f"{refund}",
            "taux": f"{rate}"} == case["attendu"]


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days, length=st.integers(0, 900), count=st.sampled_from(list(MonthCount)))
def test_months_run_equals_counting_month_by_month(start, length, count):
    from datetime import timedelta

    from engine.calendar import days_in_month
    end = start + timedelta(days=length)
    m = measure("M", Measure.ASLL, start, 60, end=end)
    expected = 0
    for month in range(1, 13):
        first, last = date(2026, month, 1), date(2026, month, days_in_month(2026, month))
        if count is MonthCount.ONE_DAY:
            expected += start <= last and end >= first
        else:
            expected += start <= first and end >= last
    assert months_run(m, 2026, count) == expected


def test_2025_counts_only_from_the_convention_start_1_july(world):
    conventions, _, rules = world
    table = build_table(conventions, 2025)
    asll = [measure("A", Measure.ASLL, date(2025, 3, 1), 12)]  # March 2025 – February 2026
    dsf_before = dsf(1, Result.REALISE, date(2025, 6, 30))  # under the previous convention
    dsf_in = dsf(2, Result.REALISE, date(2025, 7, 1), "I")
    s = settle(_block(table, "acarlogi"), register(*asll, *dsf_before, *dsf_in), conventions.departement,
               table.period, rules)
    assert s.counted("asll") == Decimal("515.70")  # July–December: 6 × 85,95
    assert s.counted("dsf") == Decimal("324.76")  # 2 × 162,38
