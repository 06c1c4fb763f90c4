"""Example ASLL measures, each clean or carrying one injected fault (004 annexe ASLL).

Each function adds the measure's rows (mesures.csv), the documents its rules expect and its
events, and writes down in the plan every finding the fault must produce.
"""

from __future__ import annotations

from datetime import date, timedelta

from engine.calendar import add_months, add_working_days, end_of_month, first_of_next_month
from engine.checker.examples.plan import (
    EARLIEST,
    Piece,
    Plan,
    add_row,
    day_between,
    due_forward,
    end_of,
    place,
)

# --- ASLL ------------------------------------------------------------------------------------

ASLL_FAULTS = ("cet_late", "cet_missing", "cet_unsigned", "cet_modified", "cet_flipped", "cet_empty_field",
               "cet_garbage", "cet_absent_file", "cet_text", "bilan_late", "bilan_missing",
               "bilan_unsigned", "inter_unsigned", "start_late", "duration_long", "chain_total",
               "overlap", "doors_late", "doors_missing", "suspension_long", "visits_short",
               "renewal_unasked", "worker_absent", "other_support")
ABSENCE_LIMIT = 21  # ABSENCE-TS, jours_ouvres_max
PROMPT_WORKING_DAYS = 5  # ASLL-INDISPO-SLISL: « sans tarder », pas-de-calais.yaml sans_tarder.delai


def asll(plan: Plan, association: str, fault: str | None = None) -> None:
    """One ASLL measure, maybe renewed, with its CET, bilans and events (004 annexe ASLL)."""
    if fault == "chain_total":
        return _asll_chain(plan, association, [12, 12, 3], date(2024, 7, 10), fault)
    if fault == "other_support":
        return _other_support(plan, association)
    months = plan.rng.choice((3, 6, 6, 9, 12))
    latest = plan.as_of - timedelta(days=20)
    if fault and fault.startswith(("bilan", "inter")):
        months = plan.rng.choice((3, 6))
        latest = add_months(plan.as_of, -months - 1) - timedelta(days=25)
    elif fault in ("doors_late", "doors_missing", "suspension_long", "visits_short", "worker_absent"):
        months, latest = 12, plan.as_of - timedelta(days=200)
    elif fault == "overlap":
        latest = plan.as_of - timedelta(days=250)
    elif fault:
        latest = plan.as_of - timedelta(days=75)
    decision = day_between(plan, EARLIEST, latest)
    renewals = [months]
    if fault is None and plan.rng.random() < 0.25:
        renewals.append(plan.rng.choice((3, 6, 12)))
    if fault in ("overlap", "renewal_unasked"):
        renewals = [6, 6]
    _asll_chain(plan, association, renewals, decision, fault)


def _other_support(plan: Plan, association: str) -> None:
    """ASLL-CUMUL-AUTRE: an AVDL declared (event autre_accompagnement) during a clean ASLL."""
    decision = day_between(plan, EARLIEST, plan.as_of - timedelta(days=240))
    _asll_chain(plan, association, [6], decision, None)
    row = plan.measures[-1]
    day = row["date_debut"] + timedelta(days=40)
    plan.event(row["mesure_id"], "autre_accompagnement", day, "AVDL en cours")
    plan.expect("ASLL-CUMUL-AUTRE", association, "autre accompagnement déclaré", mesure_id=row["mesure_id"],
                due=day)


def asll_period_chain(plan: Plan, association: str, periods: list[int], decision: date) -> str:
    """A clean ASLL chain decided on `decision`; returns the id of its first measure."""
    first = plan.measure_id()
    _asll_chain(plan, association, periods, decision, None)
    return first


def _asll_chain(plan: Plan, association: str, periods: list[int], decision: date, fault: str | None) -> None:
    kind = plan.rng.choice(("GSL", "GSL", "ASL"))
    start = first_of_next_month(decision)
    motif = ""
    if fault is None and plan.rng.random() < 0.1:
        motif, start = plan.rng.choice(("sortie_chrs", "sortie_alt")), add_months(start, -1)
    if fault == "start_late":
        start = add_months(start, 1)
        plan.expect("ASLL-START", association, "attendu le", mesure_id=plan.measure_id(),
                    due=first_of_next_month(decision))
    previous = None
    for rank, months in enumerate(periods, start=1):
        if fault == "duration_long" and rank == 1:
            months = 14
        if start > plan.as_of:
            return
        if previous is not None:
            decision = start - timedelta(days=plan.rng.randint(8, 25))
            _renewal_request(plan, association, previous, decision, fault)
        mesure_id = add_row(plan, association, "ASLL", type=kind, date_decision=decision,
                            date_debut=start, duree_mois=months, renouvellement_de=previous or "",
                            motif=motif if rank == 1 else "")
        _asll_period(plan, association, mesure_id, decision, start, months, kind, rank, fault)
        _asll_duration_fault(plan, association, mesure_id, fault, rank)
        previous, start = mesure_id, end_of(start, months) + timedelta(days=1)
        if fault == "overlap":
            overlap_start = end_of_month(start - timedelta(days=1)).replace(day=1)
            plan.expect("ASLL-CUMUL", association, "chevauchement", mesure_id=plan.measure_id(), due=start)
            start = overlap_start
            fault = None


def _renewal_request(plan: Plan, association: str, previous: str, decision: date, fault: str | None) -> None:
    """ASLL-RENOUVELLEMENT: the association asks for the renewal (with its reasons) before the
    decision; the fault leaves the request out."""
    if fault == "renewal_unasked":
        plan.expect("ASLL-RENOUVELLEMENT", association, "sans demande motivée", mesure_id=plan.measure_id(),
                    due=decision)
        return
    plan.event(previous, "demande_renouvellement", decision - timedelta(days=3), "demande motivée")


def _asll_duration_fault(plan: Plan, association: str, mesure_id: str, fault: str | None, rank: int) -> None:
    if fault == "duration_long" and rank == 1:
        plan.expect("ASLL-DURATION", association, "au plus 12 mois", mesure_id=mesure_id)
    if fault == "chain_total" and rank == 3:
        plan.expect("ASLL-DURATION", association, "durée cumulée de 27 mois", mesure_id=mesure_id)


def _asll_period(plan: Plan, association: str, mesure_id: str, decision: date, start: date, months: int,
                 kind: str, rank: int, fault: str | None) -> None:
    end = end_of(start, months)
    if rank == 1:
        place(plan, _cet(plan, association, mesure_id, decision, fault))
        if fault == "inter_unsigned" or (fault is None and plan.rng.random() < 0.2):
            place(plan, Piece("ASLL-BILAN-INTER", "bilan_intermediaire", association, None, mesure_id,
                              roles=("menage",), received=start + timedelta(days=months * 15),
                              unsigned=("menage",) if fault == "inter_unsigned" else (),
                              title="Bilan intermédiaire"))
    bilan_fault = fault if rank == 1 and fault in ("bilan_late", "bilan_missing", "bilan_unsigned") else None
    place(plan, Piece("ASLL-BILAN-FINAL", "bilan_final", association, add_months(end, -1), mesure_id,
                      roles=("menage",), late=7 if bilan_fault == "bilan_late" else 0,
                      missing=bilan_fault == "bilan_missing",
                      unsigned=("menage",) if bilan_fault == "bilan_unsigned" else (), title="Bilan final"))
    if rank == 1:
        _asll_events(plan, association, mesure_id, start, end, kind, fault)


def _cet(plan: Plan, association: str, mesure_id: str, decision: date, fault: str | None) -> Piece:
    roles = ("menage", "instructeur", "association")
    piece = Piece("ASLL-CET", "cet", association, due_forward(plan, decision), mesure_id, roles=roles,
                  title="Contrat d'engagement tripartite (CET)")
    if fault == "cet_late":
        piece.late = plan.rng.randint(1, 20)
    elif fault == "cet_missing":
        piece.missing = True
    elif fault == "cet_unsigned":
        piece.unsigned = ("instructeur",)
    elif fault == "cet_empty_field":
        piece.unsigned = piece.empty_fields = ("instructeur",)
    elif fault in ("cet_modified", "cet_flipped"):
        piece.tamper = fault.removeprefix("cet_")
    elif fault in ("cet_garbage", "cet_absent_file", "cet_text"):
        piece.file = fault.removeprefix("cet_").removesuffix("_file")
    return piece


def _asll_events(plan: Plan, association: str, mesure_id: str, start: date, end: date, kind: str,
                 fault: str | None) -> None:
    if fault == "worker_absent":
        return _worker_absent(plan, association, mesure_id, start)
    roll = plan.rng.random()
    if fault == "visits_short" or (fault is None and roll < 0.3):
        _visits(plan, mesure_id, start, end, 1 if kind == "GSL" else 2, fault == "visits_short", association)
    elif fault in ("doors_late", "doors_missing") or (fault is None and roll < 0.4):
        _closed_doors(plan, association, mesure_id, start, fault)
    elif fault == "suspension_long" or (fault is None and roll < 0.5):
        _suspension(plan, association, mesure_id, start, end, fault)


def _visits(plan: Plan, mesure_id: str, start: date, end: date, minimum: int, short: bool,
            association: str) -> None:
    months = []
    day = start
    while day <= min(end, plan.as_of):
        months.append(day)
        day = first_of_next_month(day)
    short_month = months[1] if short else None
    for first in months:
        count = minimum - 1 if first == short_month else minimum + plan.rng.randint(0, 1)
        last = min(end_of_month(first), plan.as_of, end)
        for _ in range(count):
            plan.event(mesure_id, "visite", day_between(plan, first, last), f"visite chez {plan.household()}")
    if short_month is not None:
        plan.expect("ASLL-VISITS", association, f"{short_month:%Y-%m} :", mesure_id=mesure_id,
                    due=end_of_month(short_month))


def _closed_doors(plan: Plan, association: str, mesure_id: str, start: date, fault: str | None) -> None:
    first = day_between(plan, start + timedelta(days=10), start + timedelta(days=90))
    second = first + timedelta(days=plan.rng.randint(3, 9))
    if second > plan.as_of - timedelta(days=20):
        return
    plan.event(mesure_id, "porte_close", first, f"{plan.household()} absent au rendez-vous")
    plan.event(mesure_id, "porte_close", second, "deuxième porte close")
    due = add_working_days(second, 5, plan.holidays)
    if fault == "doors_missing":
        plan.expect("ASLL-PORTES-CLOSES", association, "SLISL non prévenu", mesure_id=mesure_id, due=due,
                    days_late=(plan.as_of - due).days)
        return
    told = add_working_days(second, plan.rng.randint(1, 5), plan.holidays)
    if fault == "doors_late":
        told = due + timedelta(days=plan.rng.randint(1, 6))
        plan.expect("ASLL-PORTES-CLOSES", association, f"SLISL prévenu le {told}", mesure_id=mesure_id,
                    due=due, received=told, days_late=(told - due).days)
    plan.event(mesure_id, "notification_slisl", told, "courriel au SLISL")


def _suspension(plan: Plan, association: str, mesure_id: str, start: date, end: date,
                fault: str | None) -> None:
    suspended = day_between(plan, start + timedelta(days=15), start + timedelta(days=60))
    plan.event(mesure_id, "suspension", suspended, f"hospitalisation de {plan.household()}")
    limit = add_months(suspended, 3)
    told = add_working_days(suspended, PROMPT_WORKING_DAYS, plan.holidays)
    if fault == "suspension_long":  # nor was the SLISL told (ASLL-INDISPO-SLISL)
        if limit < plan.as_of and end > limit:
            plan.expect("ASLL-INDISPO", association, "sans reprise", mesure_id=mesure_id, due=limit,
                        days_late=(plan.as_of - limit).days)
        if told < plan.as_of:
            plan.expect("ASLL-INDISPO-SLISL", association, "SLISL non prévenu", mesure_id=mesure_id,
                        due=told, days_late=(plan.as_of - told).days)
        return
    plan.event(mesure_id, "notification_slisl", add_working_days(suspended, 2, plan.holidays),
               "SLISL prévenu de l'indisponibilité")
    back = suspended + timedelta(days=plan.rng.randint(20, 70))
    plan.event(mesure_id, "reprise", back, "retour au domicile")


def _worker_absent(plan: Plan, association: str, mesure_id: str, start: date) -> None:
    """ABSENCE-TS: the social worker away 45 days from the 20th day of the measure, then work
    resumes (reprise), and the Département was never told."""
    away = start + timedelta(days=20)
    plan.event(mesure_id, "absence_travailleur_social", away, "arrêt maladie de la travailleuse sociale")
    plan.event(mesure_id, "reprise", away + timedelta(days=45), "retour de la travailleuse sociale")
    beyond = add_working_days(away - timedelta(days=1), ABSENCE_LIMIT + 1, plan.holidays)
    plan.expect("ABSENCE-TS", association, "plus de 21", mesure_id=mesure_id, due=beyond)
