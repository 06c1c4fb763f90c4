"""Example FAL measures (forfait annuel logement) and the monthly occupancy tables (004 annexe FAL)."""

from __future__ import annotations

from datetime import date, timedelta

from engine.checker.examples.plan import Plan, add_row, day_between, end_of

FAL_FAULTS = ("fal_long", "fal_prolong_long", "fal_visits_short", "fal_household", "fal_other_support",
              "fal_extension_unasked")
HOUSEHOLD_PSEUDONYM = "p-4c1e9a"  # a keyed pseudonym as the register would carry it, never a name


def fal(plan: Plan, association: str, fault: str | None = None) -> None:
    if fault == "fal_household":
        return _household_overlap(plan, association)
    start = day_between(plan, date(2025, 6, 1), plan.as_of - timedelta(days=10)).replace(day=1)
    motif = plan.rng.choice(("cada", "dalo")) if fault is None and plan.rng.random() < 0.2 else ""
    months = 18 if motif else 12
    if fault == "fal_long":
        months = 13
    elif fault == "fal_prolong_long":
        start = day_between(plan, date(2025, 4, 1), date(2025, 9, 30)).replace(day=1)
    elif fault == "fal_visits_short":
        start = date(2026, 2, 1)
    elif fault == "fal_extension_unasked":
        start = date(2025, 6, 1)
    if fault == "fal_other_support":
        start, motif = date(2026, 1, 1), "violences"
    mesure_id = add_row(plan, association, "FAL", date_debut=start, duree_mois=months, motif=motif)
    if fault == "fal_other_support":
        plan.expect("FAL-CUMUL-AUTRE", association, "motif « violences »", mesure_id=mesure_id)
    if fault == "fal_visits_short":
        from engine.checker.examples.aml import tracked_visits

        tracked_visits(plan, "FAL-VISITS", mesure_id, start, end_of(start, months), short=True)
    if fault == "fal_long":
        plan.expect("FAL-DURATION", association, "au plus 12 mois", mesure_id=mesure_id)
    extra = 6 if fault == "fal_prolong_long" else (4 if fault is None and plan.rng.random() < 0.15 else 0)
    extra = 4 if fault == "fal_extension_unasked" else extra
    following = end_of(start, months) + timedelta(days=1)
    if extra and following <= plan.as_of:
        if fault == "fal_extension_unasked":
            plan.expect("FAL-PROLONGATION", association, "sans demande motivée", mesure_id=plan.measure_id(),
                        due=following)
        else:  # FAL-PROLONGATION: the justified request to the SPSLH first
            plan.event(mesure_id, "demande_renouvellement", following - timedelta(days=15),
                       "demande justifiée")
        renewal = add_row(plan, association, "FAL", date_debut=following, duree_mois=extra,
                          renouvellement_de=mesure_id)
        if fault == "fal_prolong_long":
            plan.expect("FAL-DURATION", association, "au plus 4 mois", mesure_id=renewal)


def over_cap(plan: Plan, association: str, count: int = 31, start: date = date(2026, 1, 1)) -> None:
    """`count` FAL measures running at once for one association (004 annexe FAL : 30 au plus)."""
    for _ in range(count):
        add_row(plan, association, "FAL", date_debut=start, duree_mois=12)
    plan.expect("FAL-CAP", association, f"{count} mesures FAL en cours le {start}", due=start)


def _household_overlap(plan: Plan, association: str) -> None:
    """FAL-CUMUL and ASLL-CUMUL: a FAL and an ASLL of the same household (same `menage` pseudonym,
    no `renouvellement_de` link) running at the same time."""
    from engine.checker.examples.asll import asll_period_chain

    fal_id = add_row(plan, association, "FAL", date_debut=date(2025, 9, 1), duree_mois=12,
                     menage=HOUSEHOLD_PSEUDONYM)
    asll_id = asll_period_chain(plan, association, [6], date(2025, 10, 10))
    next(r for r in plan.measures if r["mesure_id"] == asll_id)["menage"] = HOUSEHOLD_PSEUDONYM
    plan.expect("FAL-CUMUL", association, "même ménage", mesure_id=fal_id)
    plan.expect("ASLL-CUMUL", association, "même ménage", mesure_id=asll_id)
