"""Rules read from evenements.csv: closed doors, suspensions, home visits, absence, DSF attempts."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from engine.calendar import add_months, end_of_month, months_between
from engine.checker.context import Context, days, deadline_of, finding, limit
from engine.rules import (
    DocumentType,
    EventRecord,
    EventType,
    Evidence,
    Finding,
    MeasureRecord,
    Rule,
    Severity,
)


def check_notification(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe ASLL « La fréquence » : 2 closed doors in a row, SLISL told within 5 working days;
    an unavailability, « prévenir sans tarder le SLISL » ; 001 : an interruption, « en informe sans
    délai le Service Logement ». A delay the text does not number is the rules set's reading."""
    found = []
    expected = limit(rule, rule.limits.expected, "attendu")
    for measure in ctx.measures_for(rule):
        used: set[int] = set()
        for first, trigger in _streaks(rule, ctx.events_of(measure.mesure_id)):
            answer = next((e for e in ctx.events_of(measure.mesure_id, expected)
                           if e.day >= trigger.day and e.line not in used), None)
            if answer is not None:
                used.add(answer.line)
            found.extend(_notification_finding(rule, ctx, measure, first, trigger, answer))
    return found


TRIGGER_LABELS = {
    EventType.PORTE_CLOSE: "porte close", EventType.SUSPENSION: "suspension (indisponibilité du ménage)",
    EventType.INTERRUPTION: "interruption",
    EventType.NON_ADHESION: "non-adhésion ou absence prolongée du ménage",
    EventType.RELOGEMENT: "relogement", EventType.CAPTATION: "captation du logement",
}
ANSWER_LABELS = {
    EventType.NOTIFICATION_SLISL: ("SLISL prévenu", "SLISL non prévenu", "SLISL à prévenir"),
    EventType.NOTIFICATION_SERVICE_LOGEMENT: ("Service Logement informé", "Service Logement non informé",
                                              "Service Logement à informer"),
    EventType.ACCORD_SUSPENSION: ("accord du Service Logement enregistré", "accord du Service Logement non "
                                  "enregistré", "accord du Service Logement à solliciter"),
    EventType.VISITE: ("visite faite", "aucune visite enregistrée", "visite à faire"),
    EventType.RELOGEMENT: ("locataire entré", "aucun locataire entré (événement relogement)",
                           "locataire attendu"),
}
"""How a finding names the event that starts the delay and the notice expected (one phrase each)."""


def _streaks(rule: Rule, events: tuple[EventRecord, ...]) -> list[tuple[EventRecord, EventRecord]]:
    """(first, last) of each run of `consecutifs` trigger events not broken by a reset event."""
    runs: list[tuple[EventRecord, EventRecord]] = []
    streak: list[EventRecord] = []
    trigger, consecutive = deadline_of(rule).event, rule.limits.consecutive or 1
    for event in events:
        if event.type is trigger:
            streak.append(event)
            if len(streak) == consecutive:
                runs.append((streak[0], streak[-1]))
                streak = []
        elif event.type is rule.limits.reset:
            streak = []
    return runs


def _notification_finding(
    rule: Rule, ctx: Context, measure: MeasureRecord, first: EventRecord, trigger: EventRecord,
    answer: EventRecord | None,
) -> list[Finding]:
    deadline = deadline_of(rule)
    due = ctx.due(deadline, trigger.day)
    said = _trigger_said(rule, first, trigger)
    done, missing, to_do = ANSWER_LABELS[limit(rule, rule.limits.expected, "attendu")]
    reading = f" (délai : lecture du service, {deadline.reading})" if deadline.reading else ""
    report = partial(finding, rule, measure.association, evidence=Evidence.DECLARED,
                     mesure_id=measure.mesure_id, due=due)
    if answer is not None:
        late = (answer.day - due).days
        if late <= 0:
            return []
        message = f"{said} : {done} le {answer.day}, dû le {due} : {days(late)} de retard{reading}"
        return [report(message, received=answer.day, days_late=late)]
    if due < ctx.as_of:
        late = (ctx.as_of - due).days
        message = f"{said} : {missing}, dû le {due} : {days(late)} de retard au {ctx.as_of}{reading}"
        return [report(message, days_late=late)]
    if ctx.alert(due):
        message = f"{said} : {to_do} au plus tard le {due}{reading}"
        return [report(message, severity=Severity.WARNING)]
    return []


def _trigger_said(rule: Rule, first: EventRecord, trigger: EventRecord) -> str:
    # the trigger's type is the rule's echeance event (_streaks keeps only those)
    if first is not trigger and trigger.type is EventType.PORTE_CLOSE:
        return f"portes closes du {first.day} et du {trigger.day}"
    label = TRIGGER_LABELS.get(trigger.type, trigger.type.value)
    return f"{label} le {trigger.day}"


def check_suspension(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe ASLL : an unavailability under one quarter suspends the measure, beyond it stops."""
    found = []
    trigger = deadline_of(rule).event
    for measure in ctx.measures_for(rule):
        events = ctx.events_of(measure.mesure_id)
        for index, event in enumerate(events):
            if event.type is trigger:
                problem = _suspension_problem(rule, ctx, measure, event, events[index + 1:])
                if problem is not None:
                    found.append(problem)
    return found


def _suspension_problem(
    rule: Rule, ctx: Context, measure: MeasureRecord, start: EventRecord, later: tuple[EventRecord, ...],
) -> Finding | None:
    until = ctx.due(deadline_of(rule), start.day)
    end = next((e for e in later if e.type in (rule.limits.expected, EventType.SORTIE_LOGEMENT)), None)
    report = partial(finding, rule, measure.association, evidence=Evidence.DECLARED,
                     mesure_id=measure.mesure_id, due=until)
    if end is not None:
        late = (end.day - until).days
        if end.type is EventType.SORTIE_LOGEMENT or late <= 0:
            return None
        message = (f"suspendue le {start.day}, reprise le {end.day} : plus d'un trimestre, "
                   "la mesure aurait dû être arrêtée")
        return report(message, received=end.day, days_late=late)
    if (measure.end is not None and measure.end <= until) or until >= ctx.as_of:
        return None
    late = (ctx.as_of - until).days
    message = (f"suspendue le {start.day} sans reprise : plus d'un trimestre au {ctx.as_of}, "
               "la mesure aurait dû être arrêtée")
    return report(message, days_late=late)


def elapsed_months(measure: MeasureRecord, ctx: Context) -> list[tuple[int, int]]:
    """Months wholly inside the period and over by `as_of`, without suspension, before any exit."""
    if measure.start is None or measure.end is None:
        return []
    months = []
    blocked = _blocked_months(measure, ctx)
    for year, month in months_between(measure.start, measure.end):
        first, last = date(year, month, 1), end_of_month(date(year, month, 1))
        if first < measure.start or last > measure.end or last >= ctx.as_of:
            continue
        if (year, month) in blocked:
            continue
        months.append((year, month))
    return months


def _blocked_months(measure: MeasureRecord, ctx: Context) -> set[tuple[int, int]]:
    blocked: set[tuple[int, int]] = set()
    suspended_since = None
    for event in ctx.events_of(measure.mesure_id, EventType.SUSPENSION, EventType.REPRISE,
                                EventType.SORTIE_LOGEMENT):
        if event.type is EventType.SUSPENSION:
            suspended_since = suspended_since or event.day
        elif event.type is EventType.REPRISE and suspended_since is not None:
            blocked.update(months_between(suspended_since, event.day))
            suspended_since = None
        elif event.type is EventType.SORTIE_LOGEMENT:
            blocked.update(months_between(event.day, max(event.day, measure.end or event.day)))
    if suspended_since is not None:
        blocked.update(months_between(suspended_since, max(suspended_since, ctx.as_of)))
    return blocked


def _visits_by_month(measure: MeasureRecord, ctx: Context) -> dict[tuple[int, int], int] | None:
    """Visits per month, or None when the register does not track this measure's visits."""
    visits = ctx.events_of(measure.mesure_id, EventType.VISITE)
    if not visits:
        return None
    counts: dict[tuple[int, int], int] = {}
    for visit in visits:
        key = (visit.day.year, visit.day.month)
        counts[key] = counts.get(key, 0) + 1
    return counts


def check_visits(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe ASLL « La fréquence » (1 a month GSL, 2 ASL); AML, FAL (2 a month).

    A month without a recorded visit counts as zero visits: one finding per measure, listing
    every elapsed month short of the minimum (months touched by a suspension left out)."""
    found = []
    for measure in ctx.measures_for(rule):
        minimum = rule.limits.min_visits.get(measure.kind, rule.limits.min_visits.get("*"))
        if minimum is None:
            continue
        counts = _visits_by_month(measure, ctx) or {}
        short = [(key, counts.get(key, 0)) for key in elapsed_months(measure, ctx)
                 if counts.get(key, 0) < minimum]
        if not short:
            continue
        kind = f" ({measure.kind})" if measure.kind else ""
        expected = f"pour {minimum} attendue{'s' if minimum > 1 else ''}{kind}"
        parts = [f"{y:04d}-{m:02d} : {days(count, 'visite')} à domicile {expected}"
                 for (y, m), count in short]
        if not counts:
            parts.append("aucune visite enregistrée pour cette mesure")
        found.append(finding(rule, measure.association, " ; ".join(parts), evidence=Evidence.DECLARED,
                             mesure_id=measure.mesure_id, due=end_of_month(date(*short[0][0], 1))))
    return found


def check_absence(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe AML : no visit for 2 consecutive months, yet the measure went on."""
    found = []
    for measure in ctx.measures_for(rule):
        counts = _visits_by_month(measure, ctx)
        if counts is None:
            continue
        last_visit = max(counts)
        run: list[tuple[int, int]] = []
        for key in elapsed_months(measure, ctx):
            run = run + [key] if counts.get(key, 0) == 0 else []
            if len(run) == rule.limits.consecutive and last_visit > key:
                shown = " et ".join(f"{y:04d}-{m:02d}" for y, m in run)
                message = f"aucune visite en {shown}, puis la mesure a continué : elle aurait dû prendre fin"
                found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                                     mesure_id=measure.mesure_id, due=end_of_month(date(*key, 1))))
                run = []
    return found


def check_closed_door(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe DSF « La porte close » : paid after 2 visit attempts."""
    found = []
    for measure in ctx.measures_for(rule):
        attempts = ctx.events_of(measure.mesure_id, EventType.PORTE_CLOSE)
        if not attempts or measure.hearing is None or measure.hearing > ctx.as_of:
            continue
        if ctx.documents_of(measure.mesure_id, DocumentType.DSF):
            continue
        needed = limit(rule, rule.limits.min_attempts, "tentatives_min")
        if len(attempts) < needed:
            message = (f"porte close après {days(len(attempts), 'tentative')} de visite : "
                       f"au moins {needed} pour être rémunérée")
            found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                                 mesure_id=measure.mesure_id))
    return found


def check_recurring(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe GLA « assurer une visite technique annuelle »: from the start of the measure, the
    expected event at least once in every span of `intervalle_mois` months over by `as_of` (each
    span starts again at the last event). One finding per span without it."""
    found = []
    every = limit(rule, rule.limits.every_months, "intervalle_mois")
    expected = limit(rule, rule.limits.expected, "attendu")
    for measure in ctx.measures_for(rule):
        if measure.start is None:
            continue
        stop = min(ctx.as_of, measure.end or ctx.as_of)
        seen = [e.day for e in ctx.events_of(measure.mesure_id, expected)]
        since, after = measure.start, measure.start - timedelta(days=1)
        while (due := add_months(since, every)) <= stop:
            done = [d for d in seen if after < d <= due]
            if done:
                since = after = done[-1]
                continue
            message = (f"aucun événement {expected.value} entre le {since} et le {due} : "
                       f"au moins un tous les {every} mois")
            found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                                 mesure_id=measure.mesure_id, due=due))
            since = after = due
    return found
