"""Document deadlines: late, missing past due, due soon; then the signatures of what was received.

`piece` rules follow one measure (CET, bilans, DSF...); `piece_periodique` rules follow one
association per month, semester or year (tableau d'occupation, grille d'activité, avenant).
"""

from __future__ import annotations

from datetime import date

from engine.calendar import months_between
from engine.checker.context import DOCUMENT_LABELS, Context, days, document_of, finding
from engine.checker.signatories import signature_findings
from engine.rules import (
    Check,
    Condition,
    DocumentRecord,
    EventType,
    Evidence,
    Finding,
    MeasureRecord,
    Periodicity,
    Rule,
    Severity,
)


def check_piece(rule: Rule, ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    kind = document_of(rule)
    for measure in ctx.measures_for(rule):
        if not applies(rule.condition, measure, ctx):
            continue
        docs = ctx.documents_of(measure.mesure_id, kind)
        due = None
        if rule.deadline is not None:
            anchor = ctx.anchor_of(rule.deadline, measure)
            due = ctx.due(rule.deadline, anchor) if anchor is not None else None
        # « les périodes antérieures ne sont pas contrôlées »
        if due is None or due >= ctx.ruleset.checked_from:
            found.extend(timeliness(rule, ctx, docs, due, measure.association, measure.mesure_id))
        for doc in docs:
            found.extend(signature_findings(rule, doc, ctx))
    return found


def applies(condition: Condition, measure: MeasureRecord, ctx: Context) -> bool:
    if condition is Condition.PREMIERE_PERIODE:
        return not is_renewal(measure, ctx)
    if condition in (Condition.RENOUVELEE, Condition.NON_RENOUVELEE):
        renewed = any(ctx.measures[r].measure is measure.measure
                      for r in ctx.renewed_by.get(measure.mesure_id, ()))
        return renewed == (condition is Condition.RENOUVELEE)
    if condition is Condition.SANS_PORTE_CLOSE:
        return not ctx.events_of(measure.mesure_id, EventType.PORTE_CLOSE)
    return True


def expected(doc: DocumentRecord, ruleset, ctx: Context) -> bool:
    """Whether a document rule of `ruleset` covers `doc` (its type, its measure, its condition)."""
    measure = ctx.measures.get(doc.mesure_id or "")
    for rule in ruleset.active():
        if rule.document is not doc.type:
            continue
        if rule.check is Check.PIECE_PERIODIQUE and doc.mesure_id is None:
            return True
        if (rule.check is Check.PIECE and measure is not None and measure.measure in rule.measures
                and applies(rule.condition, measure, ctx)):
            return True
    return False


def is_renewal(measure: MeasureRecord, ctx: Context) -> bool:
    """A renewal continues a measure of the same support (a relay to another support does not)."""
    return renewed(measure, ctx) is not None


def renewed(measure: MeasureRecord, ctx: Context) -> MeasureRecord | None:
    """The period `measure` renews, when it is a renewal (same support), else None."""
    previous = ctx.measures.get(measure.renews or "")
    return previous if previous is not None and previous.measure is measure.measure else None


def timeliness(
    rule: Rule, ctx: Context, docs: tuple[DocumentRecord, ...], due: date | None,
    association: str, mesure_id: str | None, period: str | None = None,
) -> list[Finding]:
    """Late (first receipt after `due`), missing past `due`, or due within the alert window."""
    if due is None:
        return []
    label = DOCUMENT_LABELS[document_of(rule)] + (f" {period}" if period else "")
    if docs:
        first = docs[0]
        late = (first.received - due).days
        if late <= 0:
            return []
        message = f"{label} reçu le {first.received}, dû le {due} : {days(late)} de retard"
        return [finding(rule, association, message, evidence=Evidence.DECLARED, mesure_id=mesure_id,
                        document_id=first.document_id, due=due, received=first.received, days_late=late)]
    if not rule.required:
        return []
    if due < ctx.as_of:
        late = (ctx.as_of - due).days
        message = f"{label} non reçu, dû le {due} : {days(late)} de retard au {ctx.as_of}"
        return [finding(rule, association, message, evidence=Evidence.DECLARED, mesure_id=mesure_id,
                        due=due, days_late=late)]
    if ctx.alert(due):
        left = (due - ctx.as_of).days
        message = f"{label} attendu au plus tard le {due} (dans {days(left)})"
        return [finding(rule, association, message, evidence=Evidence.DECLARED, mesure_id=mesure_id,
                        due=due, severity=Severity.WARNING)]
    return []


def check_periodic(rule: Rule, ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    associations = {m.association for m in ctx.measures_for(rule)}
    if rule.periodicity is not Periodicity.AUCUNE:
        for association in sorted(associations):
            found.extend(_periodic_deadlines(rule, ctx, association))
    for (_association, kind), docs in sorted(ctx.association_documents.items(), key=lambda i: i[0][0]):
        if kind is rule.document:
            for doc in docs:
                found.extend(signature_findings(rule, doc, ctx))
    return found


def _periodic_deadlines(rule: Rule, ctx: Context, association: str) -> list[Finding]:
    docs = ctx.association_documents.get((association, document_of(rule)), ())
    found = []
    for period, start in active_periods(rule, ctx, association):
        received = tuple(d for d in docs if d.period == period)
        due = ctx.due(rule.deadline, start) if rule.deadline is not None else None
        found.extend(timeliness(rule, ctx, received, due, association, None, period))
    return found


def active_periods(rule: Rule, ctx: Context, association: str) -> list[tuple[str, date]]:
    """(period label, first day) of every period in which `association` ran one of the measures,
    from the rules set's `controle_depuis` to `as_of`."""
    months: set[tuple[int, int]] = set()
    for measure in ctx.measures_for(rule):
        if measure.association != association:
            continue
        first = measure.start or measure.hearing
        last = measure.end or measure.hearing
        if first is None or last is None:
            continue
        first, last = max(first, ctx.ruleset.checked_from), min(last, ctx.as_of)
        if first <= last:
            months.update(months_between(first, last))
    periods = {_period_of(rule.periodicity, year, month) for year, month in months}
    return sorted(periods, key=lambda p: p[1])


def _period_of(periodicity: Periodicity, year: int, month: int) -> tuple[str, date]:
    if periodicity is Periodicity.MOIS:
        return f"{year:04d}-{month:02d}", date(year, month, 1)
    if periodicity is Periodicity.SEMESTRE:
        first_half = month <= 6
        return f"{year:04d}-{6 if first_half else 12:02d}", date(year, 1 if first_half else 7, 1)
    return f"{year:04d}", date(year, 1, 1)
