"""Rules the seeds state beyond deadlines: overlaps of one household's measures (keyed pseudonym),
supports that cannot run together, renewal requests, the social worker's absence, housing vacancy,
months due on an interruption, durations by kind.

Each reads only the register (mesures.csv, evenements.csv, occupation.csv); every number comes
from the rules set (`limites`). A household is never named: measures are matched on the keyed
pseudonym of the optional `menage` column and reported by their `mesure_id`.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from engine.calendar import add_months, is_working_day, months_between
from engine.checker import periods
from engine.checker.context import Context, days, finding, limit
from engine.checker.deadlines import is_renewal
from engine.rules import EventType, Evidence, Finding, MeasureRecord, Rule, Severity


def check_overlap(rule: Rule, ctx: Context) -> list[Finding]:
    """004 « Le cumul »: the measures `renouvellement_de` links (periods.check_overlap), and any two
    measures of the same household (column `menage`) running at the same time."""
    return periods.check_overlap(rule, ctx) + household_overlaps(rule, ctx)


def household_overlaps(rule: Rule, ctx: Context) -> list[Finding]:
    by_household: dict[str, list[MeasureRecord]] = {}
    for measure in ctx.measures.values():
        if measure.household and measure.start is not None and measure.end is not None:
            by_household.setdefault(measure.household, []).append(measure)
    found = []
    for measure in ctx.measures_for(rule):
        if not measure.household or measure.start is None or measure.end is None:
            continue
        for other in by_household.get(measure.household, ()):
            problem = _overlap(rule, measure, other)
            if problem is not None:
                found.append(finding(rule, measure.association, problem, evidence=Evidence.DECLARED,
                                     mesure_id=measure.mesure_id))
    return found


def _overlap(rule: Rule, measure: MeasureRecord, other: MeasureRecord) -> str | None:
    if other.mesure_id == measure.mesure_id or measure.renews == other.mesure_id or \
            other.renews == measure.mesure_id:
        return None  # the same measure, or a link periods.check_overlap already judges
    start, end, other_start, other_end = measure.start, measure.end, other.start, other.end
    if start is None or end is None or other_start is None or other_end is None:
        return None  # household_overlaps compares dated measures only
    first, last = max(start, other_start), min(end, other_end)
    if first > last:
        return None
    if other.measure in rule.measures and (other_start, other.mesure_id) > (start, measure.mesure_id):
        return None  # reported once, on the later of two measures this rule follows
    months = periods.relay_months(rule, other)
    relay = other.measure is not measure.measure and months > 0
    if relay and last < add_months(first, months):
        return None
    overlap = (last - first).days + 1
    allowed = (periods.relay_said(rule, other) or f" (relais de {months} mois au plus)") if relay else ""
    return (f"même ménage (pseudonyme) que {other.mesure_id} ({other.measure.value}, du {other.start} "
            f"au {other.end}) : {days(overlap)} de chevauchement, du {first} au {last}{allowed}")


def check_excluded(rule: Rule, ctx: Context) -> list[Finding]:
    """001 (CeA) « ne peut pas se cumuler avec … (AVDL, MASP, AEB, MAJ, MJAGBF, SAVS…) »: the measure's
    `motif` names one of them, or an `autre_accompagnement` event falls within its period."""
    found = []
    for measure in ctx.measures_for(rule):
        report = partial(finding, rule, measure.association, evidence=Evidence.DECLARED,
                         mesure_id=measure.mesure_id)
        if measure.motif in rule.limits.excluded:
            message = (f"motif « {measure.motif} » : la mesure ne se cumule pas avec un accompagnement "
                       f"{measure.motif.upper()}")
            found.append(report(message))
        if measure.start is None or measure.end is None:
            continue
        for event in ctx.events_of(measure.mesure_id, EventType.AUTRE_ACCOMPAGNEMENT):
            if measure.start <= event.day <= measure.end:
                others = ", ".join(sorted(rule.limits.excluded)).upper()
                message = (f"autre accompagnement déclaré le {event.day} pendant la mesure (du "
                           f"{measure.start} au {measure.end}) : cumul interdit ({others})")
                found.append(report(message, due=event.day))
    return found


def check_renewal(rule: Rule, ctx: Context) -> list[Finding]:
    """004 « L'association peut solliciter le renouvellement … en justifiant les causes »: a renewal
    needs a `demande_renouvellement` event (on it or on the period it renews) by its decision, or
    by its start when the register has no decision date."""
    found = []
    expected = limit(rule, rule.limits.expected, "attendu")
    for measure in ctx.measures_for(rule):
        anchor = measure.decision or measure.start
        if not is_renewal(measure, ctx) or anchor is None or anchor > ctx.as_of:
            continue
        if rule.limits.rank is not None and len(periods.chain_of(measure, ctx)) != rule.limits.rank:
            continue
        asked = [e for mesure_id in (measure.mesure_id, measure.renews) if mesure_id
                 for e in ctx.events_of(mesure_id, expected) if e.day <= anchor]
        if asked:
            continue
        said = "décision" if measure.decision else "début"
        what = ("sans concertation enregistrée" if expected is EventType.CONCERTATION
                else "sans demande motivée enregistrée")
        message = (f"renouvellement de {measure.renews} {what} "
                   f"(événement {expected.value}) au plus tard à sa {said} du {anchor}")
        found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                             mesure_id=measure.mesure_id, due=anchor))
    return found


def check_worker_absence(rule: Rule, ctx: Context) -> list[Finding]:
    """004 « Profil du professionnel »: a social worker away more than N consecutive working days:
    the association informs the Département (event `attendu`, e.g. notification_slisl). The absence
    runs from its event to the next visit or resumption (else to `as_of`)."""
    found = []
    most = limit(rule, rule.limits.max_working_days, "jours_ouvres_max")
    expected = limit(rule, rule.limits.expected, "attendu")
    for measure in ctx.measures_for(rule):
        events = ctx.events_of(measure.mesure_id)
        for index, event in enumerate(events):
            if event.type is not EventType.ABSENCE_TRAVAILLEUR_SOCIAL:
                continue
            later = events[index + 1:]
            back = next((e.day for e in later if e.type in (EventType.VISITE, EventType.REPRISE)), None)
            end = back or ctx.as_of + timedelta(days=1)
            away, beyond = _working_days(event.day, end, most, ctx)
            told = any(e.type is expected for e in later)
            if away <= most or told:
                continue
            until = f"jusqu'au {back}" if back else f"toujours au {ctx.as_of}"
            message = (f"travailleur social absent depuis le {event.day} ({until}) : {away} jours ouvrés, "
                       f"plus de {most}, sans information enregistrée "
                       f"(événement {expected.value})")
            found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                                 mesure_id=measure.mesure_id, due=beyond))
    return found


def _working_days(first: date, end: date, limit: int, ctx: Context) -> tuple[int, date | None]:
    """Working days in [first, end), and the one that passes `limit` (None if none does)."""
    count, day, beyond = 0, first, None
    while day < end:
        if is_working_day(day, ctx.holidays):
            count += 1
            if count == limit + 1:
                beyond = day
        day += timedelta(days=1)
    return count, beyond


def check_vacancy(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe GLA: commercial vacancy at most N months between tenants (occupation.csv). A month
    with no day occupied (paid vacancy counts as occupied) is vacant; a run of more than N vacant
    months of one housing, all over by `as_of`, is an error."""
    months: dict[tuple[str, str], dict[tuple[int, int], int]] = {}
    last_month = ctx.as_of.replace(day=1) - timedelta(days=1)  # months wholly over by as_of
    for row in ctx.occupancy:
        if row.measure in rule.measures and date(*row.month, 1) <= last_month:
            months.setdefault((row.association, row.housing), {})[row.month] = row.days
    found = []
    most = limit(rule, rule.limits.max_vacant_months, "vacance_max_mois")
    for (association, housing), seen in sorted(months.items()):
        for run in _vacant_runs(seen):
            if len(run) > most:
                shown = f"de {run[0][0]:04d}-{run[0][1]:02d} à {run[-1][0]:04d}-{run[-1][1]:02d}"
                message = (f"logement {housing} vacant {len(run)} mois de suite ({shown}) : au plus "
                           f"{most} mois de vacance commerciale entre deux "
                           "locataires (une vacance technique se justifie au SPSLH)")
                found.append(finding(rule, association, message, evidence=Evidence.DECLARED,
                                     due=date(*run[0], 1)))
    return found


def _vacant_runs(seen: dict[tuple[int, int], int]) -> list[list[tuple[int, int]]]:
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    for month in sorted(seen):
        follows = run and _next(run[-1]) == month
        if seen[month] == 0:
            run = run + [month] if follows else [month]
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _next(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def check_interruption(rule: Rule, ctx: Context) -> list[Finding]:
    """001 « La durée de la mesure »: on an interruption, « tout mois entamé au-delà du 15 du mois est
    dû »: the months due run from the start to the interruption, its month counted only when the
    interruption falls after day N. Reported so the payment follows it; an interruption recorded
    before the start or after the end of the period is an error."""
    found = []
    threshold = limit(rule, rule.limits.day_threshold, "jour_du_mois_max")
    for measure in ctx.measures_for(rule):
        for event in ctx.events_of(measure.mesure_id, EventType.INTERRUPTION):
            report = partial(finding, rule, measure.association, evidence=Evidence.DECLARED,
                             mesure_id=measure.mesure_id, due=event.day)
            if measure.start is None or measure.end is None or not measure.start <= event.day <= measure.end:
                message = f"interruption le {event.day} en dehors de la période de la mesure"
                found.append(report(message, severity=Severity.ERROR))
                continue
            due = months_due(measure.start, event.day, threshold)
            counted = "compté" if event.day.day > threshold else "non compté"
            message = (f"interrompue le {event.day} : {due} mois {'dus' if due > 1 else 'dû'} sur "
                       f"{measure.months} (mois de l'interruption {counted} : interruption "
                       f"{'après' if counted == 'compté' else 'au plus tard'} "
                       f"le {threshold})")
            found.append(report(message))
    return found


def months_due(start: date, stop: date, threshold: int) -> int:
    """Months from `start` to `stop`, the month of `stop` counted when `stop` is after day `threshold`."""
    count = len(months_between(start, stop))
    return count if stop.day > threshold else count - 1


def check_duration(rule: Rule, ctx: Context) -> list[Finding]:
    """periods.check_duration, plus the first period's length by kind (001: 3 months for « accès »,
    6 for « maintien », « sauf situation particulière »: a warning, not an error)."""
    found = periods.check_duration(rule, ctx)
    by_kind = rule.limits.months_by_kind
    for measure in ctx.measures_for(rule):
        expected = by_kind.get(measure.kind)
        if expected is None or measure.months in (None, expected) or is_renewal(measure, ctx):
            continue
        message = (f"durée de {measure.months} mois pour une mesure « {measure.kind} » : {expected} mois "
                   "sauf situation particulière")
        found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                             mesure_id=measure.mesure_id, severity=Severity.WARNING))
    return found
