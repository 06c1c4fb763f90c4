"""Example FAL measures (forfait annuel logement) and the monthly occupancy tables (004 annexe FAL)."""

from __future__ import annotations

from datetime import date, timedelta

from engine.checker.examples.plan import Plan, add_row, day_between, end_of

FAL_FAULTS = ("fal_long", "fal_prolong_long")


def fal(plan: Plan, association: str, fault: str | None = None) -> None:
    start = day_between(plan, date(2025, 6, 1), plan.as_of - timedelta(days=10)).replace(day=1)
    motif = plan.rng.choice(("cada", "dalo")) if fault is None and plan.rng.random() < 0.2 else ""
    months = 18 if motif else 12
    if fault == "fal_long":
        months = 13
    elif fault == "fal_prolong_long":
        start = day_between(plan, date(2025, 4, 1), date(2025, 9, 30)).replace(day=1)
    mesure_id = add_row(plan, association, "FAL", date_debut=start, duree_mois=months, motif=motif)
    if fault == "fal_long":
        plan.expect("FAL-DURATION", association, "au plus 12 mois", mesure_id=mesure_id)
    extra = 6 if fault == "fal_prolong_long" else (4 if fault is None and plan.rng.random() < 0.15 else 0)
    following = end_of(start, months) + timedelta(days=1)
    if extra and following <= plan.as_of:
        renewal = add_row(plan, association, "FAL", date_debut=following, duree_mois=extra,
                          renouvellement_de=mesure_id)
        if fault == "fal_prolong_long":
            plan.expect("FAL-DURATION", association, "au plus 4 mois", mesure_id=renewal)


def over_cap(plan: Plan, association: str, count: int = 31, start: date = date(2026, 1, 1)) -> None:
    """`count` FAL measures running at once for one association (004 annexe FAL : 30 au plus)."""
    for _ in range(count):
        add_row(plan, association, "FAL", date_debut=start, duree_mois=12)
    plan.expect("FAL-CAP", association, f"{count} mesures FAL en cours le {start}", due=start)
