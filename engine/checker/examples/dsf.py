"""Example DSF (diagnostics sociaux et financiers) before hearings (004 annexe DSF)."""

from __future__ import annotations

from datetime import date, timedelta

from engine.checker.examples.plan import Piece, Plan, add_row, day_between, place

DSF_FAULTS = ("dsf_late", "dsf_missing", "dsf_one_attempt")


def dsf(plan: Plan, association: str, fault: str | None = None, closed_door: bool = False) -> None:
    latest = plan.as_of - timedelta(days=20) if fault else plan.as_of + timedelta(days=60)
    hearing = day_between(plan, date(2025, 9, 1), latest)
    while hearing.weekday() >= 5:
        hearing -= timedelta(days=1)
    mesure_id = add_row(plan, association, "DSF", date_audience=hearing)
    if closed_door or fault == "dsf_one_attempt":
        attempts = 1 if fault else 2
        for index in range(attempts):
            plan.event(mesure_id, "porte_close", hearing - timedelta(days=30 - 8 * index),
                       f"{plan.household()} absent")
        if fault:
            plan.expect("DSF-PORTE-CLOSE", association, "1 tentative", mesure_id=mesure_id)
        return
    place(plan, Piece("DSF-TRANSMISSION", "dsf", association, hearing - timedelta(days=10), mesure_id,
                      late=3 if fault == "dsf_late" else 0, missing=fault == "dsf_missing",
                      title="Diagnostic social et financier"))
