"""Example AML measures (aide à la médiation locative), clean or with one injected fault (004 annexe AML)."""

from __future__ import annotations

from datetime import date, timedelta

from engine.calendar import add_months, end_of_month, first_of_next_month
from engine.checker.examples.asll import asll_period_chain
from engine.checker.examples.plan import Piece, Plan, add_row, day_between, due_forward, end_of, place

AML_FAULTS = ("aml_first_long", "aml_fourth", "cteop_late", "cteop_unsigned", "aml_bilan_missing",
              "aml_absence", "aml_relay_overlap", "echec_late", "aml_visits_short", "aml_renewal_unasked",
              "aml_no_concertation")


def aml(plan: Plan, association: str, fault: str | None = None) -> None:
    periods = [9, 9] if fault is None and plan.rng.random() < 0.3 else [9]
    start = first_of_next_month(day_between(plan, date(2025, 5, 1), plan.as_of - timedelta(days=40)))
    renews = ""
    if fault == "aml_first_long":
        periods = [10]
    elif fault == "aml_fourth":
        periods, start = [9, 9, 6, 3], date(2024, 3, 1)
    elif fault == "aml_no_concertation":
        periods, start = [9, 9, 6], date(2024, 6, 1)
    elif fault == "aml_renewal_unasked":
        periods, start = [9, 9], date(2025, 1, 1)
    elif fault in ("aml_absence", "echec_late", "aml_bilan_missing", "aml_visits_short"):
        start = first_of_next_month(day_between(plan, date(2025, 5, 1), add_months(plan.as_of, -11)))
    elif fault == "aml_relay_overlap" or (fault is None and plan.rng.random() < 0.15):
        renews, start = _relay(plan, association, overlap_months=5 if fault else 2)
    _aml_chain(plan, association, periods, start, renews, fault)


def _relay(plan: Plan, association: str, overlap_months: int) -> tuple[str, date]:
    """An ASLL measure that an AML measure takes over (renouvellement_de), starting before its end."""
    decision = day_between(plan, date(2025, 5, 1), add_months(plan.as_of, -14))
    asll_id = asll_period_chain(plan, association, [12], decision)
    row = next(r for r in plan.measures if r["mesure_id"] == asll_id)
    asll_end = end_of(row["date_debut"], 12)
    start = add_months(asll_end + timedelta(days=1), -overlap_months)
    if overlap_months > 3:
        plan.expect("AML-CUMUL", association, "chevauchement", mesure_id=plan.measure_id(),
                    due=asll_end + timedelta(days=1))
    return asll_id, start


def _aml_chain(plan: Plan, association: str, periods: list[int], start: date, renews: str,
               fault: str | None) -> None:
    kind = plan.rng.choice(("simple", "renforcee"))
    for rank, months in enumerate(periods, start=1):
        if start > plan.as_of:
            return
        if rank > 1 and fault == "aml_renewal_unasked":
            plan.expect("AML-RENOUVELLEMENT", association, "sans demande motivée",
                        mesure_id=plan.measure_id(), due=start)
        elif rank > 1:  # AML-RENOUVELLEMENT: the motivated request, before the renewal starts
            plan.event(renews, "demande_renouvellement", start - timedelta(days=12), "demande motivée")
        if rank == 3 and fault == "aml_no_concertation":
            plan.expect("AML-CONCERTATION", association, "sans concertation", mesure_id=plan.measure_id(),
                        due=start)
        elif rank == 3:  # AML-CONCERTATION: the meeting before a third period
            plan.event(renews, "concertation", start - timedelta(days=20), "concertation SLISL")
        mesure_id = add_row(plan, association, "AML", type=kind, date_debut=start, duree_mois=months,
                            renouvellement_de=renews)
        end = end_of(start, months)
        if rank == 1:
            place(plan, _cteop(plan, association, mesure_id, start, fault))
            _aml_events(plan, association, mesure_id, start, end, fault)
        if (fault == "aml_first_long" and rank == 1) or (fault == "aml_fourth" and rank == 4):
            motif = "au plus 9 mois" if rank == 1 else "période n°4"
            plan.expect("AML-DURATION", association, motif, mesure_id=mesure_id)
        place(plan, Piece("AML-BILAN-FINAL", "bilan_final", association, add_months(end, -1), mesure_id,
                          roles=("menage",), missing=fault == "aml_bilan_missing" and rank == 1,
                          title="Bilan final AML"))
        renews, start = mesure_id, end + timedelta(days=1)


def _cteop(plan: Plan, association: str, mesure_id: str, start: date, fault: str | None) -> Piece:
    return Piece("AML-CTEOP", "cteop", association, due_forward(plan, start), mesure_id,
                 roles=("menage", "association", "bailleur"), late=9 if fault == "cteop_late" else 0,
                 unsigned=("bailleur",) if fault == "cteop_unsigned" else (),
                 title="Contrat tripartite d'engagements et d'objectifs partagés (CTEOP)")


def _aml_events(plan: Plan, association: str, mesure_id: str, start: date, end: date,
                fault: str | None) -> None:
    if fault in ("aml_absence", "aml_visits_short") or (fault is None and plan.rng.random() < 0.3):
        _tracked_visits(plan, association, mesure_id, start, end, fault == "aml_absence",
                        fault == "aml_visits_short")
    elif fault == "echec_late" or (fault is None and plan.rng.random() < 0.15):
        left = min(end, plan.as_of - timedelta(days=45))
        if left < start:
            return
        plan.event(mesure_id, "sortie_logement", left, f"départ de {plan.household()}")
        place(plan, Piece("AML-ECHEC", "demande_echec", association, due_forward(plan, left), mesure_id,
                          late=5 if fault == "echec_late" else 0, title="Demande de prise en charge"))


def tracked_visits(plan: Plan, rule: str, mesure_id: str, start: date, end: date, short: bool) -> None:
    """Two home visits a month (004 annexes AML and FAL « La fréquence d'intervention »); one
    month with a single visit when `short`."""
    _tracked_visits(plan, "", mesure_id, start, end, False, short, rule)


def _tracked_visits(plan: Plan, association: str, mesure_id: str, start: date, end: date, gap: bool,
                    short: bool = False, rule: str = "AML-VISITS") -> None:
    months, day = [], start
    while day <= min(end, plan.as_of):
        months.append(day)
        day = first_of_next_month(day)
    silent = set(months[1:3]) if gap else set()
    association = association or next(r["association"] for r in plan.measures if r["mesure_id"] == mesure_id)
    for index, first in enumerate(months):
        if first in silent:  # one finding per measure, dated by its first month short of visits
            if first == min(silent):
                plan.expect(rule, association, "0 visite", mesure_id=mesure_id, due=end_of_month(first))
            continue
        last = min(end_of_month(first), plan.as_of, end)
        count = 1 if short and index == 1 else 2
        for _ in range(count):
            plan.event(mesure_id, "visite", day_between(plan, first, last), "visite au domicile")
        if count == 1:
            plan.expect(rule, association, "1 visite", mesure_id=mesure_id, due=end_of_month(first))
    if gap:
        plan.expect("AML-ABSENCE", association, "aucune visite", mesure_id=mesure_id,
                    due=end_of_month(months[2]))
