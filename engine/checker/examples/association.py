"""Association-level documents: monthly occupancy tables, yearly activity grids, amendments."""

from __future__ import annotations

from datetime import date, timedelta

from engine.calendar import add_months, days_in_month, end_of_month, extend_to_working_day, months_between
from engine.checker.examples.plan import Piece, Plan, add_row, place

CHECKED_FROM = date(2025, 7, 1)  # conventions/regles/pas-de-calais.yaml, controle_depuis


def active_months(plan: Plan, association: str, dispositifs: tuple[str, ...]) -> list[tuple[int, int]]:
    months: set[tuple[int, int]] = set()
    for row in plan.measures:
        if row["association"] != association or row["dispositif"] not in dispositifs:
            continue
        start = row["date_debut"]
        end = add_months(start, int(row["duree_mois"])) - timedelta(days=1)
        first, last = max(start, CHECKED_FROM), min(end, plan.as_of)
        if first <= last:
            months.update(months_between(first, last))
    return sorted(months)


def occupancy_tables(plan: Plan, association: str, faults: tuple[str, ...] = ()) -> None:
    """FAL-OCCUPATION: month M due the last day of M+1, extended (art. 642)."""
    months = active_months(plan, association, ("FAL",))
    for index, (year, month) in enumerate(months):
        first = date(year, month, 1)
        due = extend_to_working_day(end_of_month(add_months(first, 1)), plan.holidays)
        piece = Piece("FAL-OCCUPATION", "tableau_occupation", association, due,
                      period=f"{year:04d}-{month:02d}", title="Tableau d'occupation des logements")
        if index == 1 and "late" in faults:
            piece.late = 4
        if index == 2 and "missing" in faults:
            piece.missing = True
        place(plan, piece)
        if index == 1 and "late" in faults:  # FAL-VACANCE-JUSTIFICATIF: proofs sent with the table, late
            place(plan, Piece("FAL-VACANCE-JUSTIFICATIF", "justificatif_vacance", association, due,
                              period=f"{year:04d}-{month:02d}", late=4,
                              title="Justificatifs de vacance technique"))


def activity_grids(plan: Plan, association: str, fault: str | None = None) -> None:
    """BILAN-ANNUEL: the grid of year N by 1 February N+1, extended (art. 642)."""
    years = sorted({year for year, _ in active_months(plan, association, ("ASLL", "AML", "FAL"))})
    for index, year in enumerate(years):
        due = extend_to_working_day(date(year + 1, 2, 1), plan.holidays)
        place(plan, Piece("BILAN-ANNUEL", "grille_activite", association, due, period=str(year),
                          late=12 if fault == "late" and index == 0 else 0,
                          missing=fault == "missing" and index == 0, title="Grille d'activité"))


def amendment(plan: Plan, association: str, unsigned: bool = False) -> None:
    """AVENANT-SIGN: the 2026 amendment, signed by the Département and the association."""
    received = date(2026, 6, 10) + timedelta(days=plan.rng.randint(0, 40))
    place(plan, Piece("AVENANT-SIGN", "avenant", association, None, period="2026",
                      roles=("departement", "association"), received=received,
                      unsigned=("association",) if unsigned else (), title="Avenant financier 2026"))


GLA_MONTHS = [(2025, month) for month in range(7, 13)] + [(2026, month) for month in range(1, 11)]


def gla_occupancy(plan: Plan, association: str, vacancy: bool = False) -> None:
    """occupation.csv for three GLA housings of `association`, July 2025 to October 2026: occupied,
    with one vacancy of 2 months between tenants (allowed); with `vacancy`, a third housing stays
    empty 3 months (GLA-VACANCE: commercial vacancy at most 2 months)."""
    empty = {"L-GLA-2": {(2026, 2), (2026, 3)},
             "L-GLA-3": {(2026, 2), (2026, 3), (2026, 4)} if vacancy else set()}
    for housing in ("L-GLA-1", "L-GLA-2", "L-GLA-3"):
        for year, month in GLA_MONTHS:
            days = 0 if (year, month) in empty.get(housing, set()) else days_in_month(year, month)
            plan.occupancy.append({"association": association, "dispositif": "GLA",
                                   "logement_id": f"{housing}-{association[:8]}",
                                   "mois": f"{year:04d}-{month:02d}", "jours_occupes": days})
    if vacancy:
        plan.expect("GLA-VACANCE", association, "vacant 3 mois de suite", due=date(2026, 2, 1))


def gla_register(plan: Plan, association: str) -> None:
    """Three GLA housings of `association` in mesures.csv (mesure_id: the housing, date_debut: the
    start of management) with their events: one kept; one visited after the month of its
    rehousing (GLA-VISITE-RELOGEMENT); one captured, let only after 2 months (GLA-CAPTATION,
    warning) and never technically visited (GLA-VISITE-TECHNIQUE, due 12 months after its start)."""
    start = date(2025, 7, 1)
    kept, late, captured = (add_row(plan, association, "GLA", date_debut=start) for _ in range(3))
    for mesure_id, kind, day in (
            (kept, "captation", start), (kept, "relogement", date(2025, 8, 11)),
            (kept, "visite", date(2025, 8, 20)), (kept, "visite_technique", date(2026, 3, 10)),
            (late, "relogement", date(2026, 2, 9)), (late, "visite", date(2026, 3, 5)),
            (late, "visite_technique", date(2026, 1, 15)),
            (captured, "captation", start), (captured, "relogement", date(2025, 10, 6)),
            (captured, "visite", date(2025, 10, 7))):
        plan.event(mesure_id, kind, day, "")
    plan.expect("GLA-VISITE-RELOGEMENT", association, "visite faite le 2026-03-05, dû le 2026-02-28",
                mesure_id=late, due=date(2026, 2, 28), received=date(2026, 3, 5), days_late=5)
    plan.expect("GLA-CAPTATION", association, "locataire entré le 2025-10-06, dû le 2025-09-01",
                mesure_id=captured, due=date(2025, 9, 1), received=date(2025, 10, 6), days_late=35,
                severity="warning")
    plan.expect("GLA-VISITE-TECHNIQUE", association, "aucun événement visite_technique",
                mesure_id=captured, due=date(2026, 7, 1))

