"""What every evaluator reads: the submission indexed once, the file evidence, the date and calendar.

Pure: built from values, no I/O. Documents received and events dated after `as_of` are left out,
so a check "as of" a past date sees the register as it stood that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from engine.calendar import HolidayCalendar, deadline
from engine.errors import FslError
from engine.rules import (
    Anchor,
    Deadline,
    DocumentRecord,
    DocumentType,
    EventRecord,
    EventType,
    Evidence,
    FileEvidence,
    Finding,
    MeasureRecord,
    OccupancyRecord,
    Rule,
    RuleSet,
    Severity,
    Submission,
)

_T = TypeVar("_T")


def limit(rule: Rule, value: _T | None, name: str) -> _T:
    """The `limites.<name>` entry this rule's control reads; a rules file without it stops the
    check with a French message (the schema does not tie every entry to its control)."""
    if value is None:
        raise FslError(f"règle {rule.id} : « limites.{name} » est attendu pour le contrôle "
                       f"« {rule.check.value} » (voir conventions/regles/pas-de-calais.yaml)")
    return value


def deadline_of(rule: Rule) -> Deadline:
    """The rule's `echeance`; a rules file without it stops the check with a French message."""
    if rule.deadline is None:
        raise FslError(f"règle {rule.id} : « echeance » est attendue pour le contrôle « {rule.check.value} »")
    return rule.deadline


def document_of(rule: Rule) -> DocumentType:
    """The rule's `piece` (required by the schema for the document controls)."""
    if rule.document is None:
        raise FslError(f"règle {rule.id} : « piece » est attendue pour le contrôle « {rule.check.value} »")
    return rule.document


@dataclass(frozen=True)
class Context:
    ruleset: RuleSet
    as_of: date
    holidays: HolidayCalendar
    measures: Mapping[str, MeasureRecord]
    documents: Mapping[tuple[str, DocumentType], tuple[DocumentRecord, ...]]
    association_documents: Mapping[tuple[str, DocumentType], tuple[DocumentRecord, ...]]
    events: Mapping[str, tuple[EventRecord, ...]]
    renewed_by: Mapping[str, tuple[str, ...]]
    evidence: Mapping[str, FileEvidence]
    occupancy: tuple[OccupancyRecord, ...] = ()  # occupation.csv rows, when the folder has it

    def events_of(self, mesure_id: str, *types: EventType) -> tuple[EventRecord, ...]:
        events = self.events.get(mesure_id, ())
        return tuple(e for e in events if e.type in types) if types else events

    def documents_of(self, mesure_id: str, kind: DocumentType) -> tuple[DocumentRecord, ...]:
        return self.documents.get((mesure_id, kind), ())

    def measures_for(self, rule: Rule) -> list[MeasureRecord]:
        return [m for m in self.measures.values() if m.measure in rule.measures]

    def due(self, spec: Deadline, anchor: date) -> date:
        return deadline(anchor, spec.offset, spec.counting, self.holidays,
                        extend=spec.extend, fixed_day=spec.fixed_day)

    def anchor_of(self, spec: Deadline, measure: MeasureRecord) -> date | None:
        """The date a measure-level deadline runs from, or None when the register lacks it."""
        if spec.anchor is Anchor.DECISION:
            return measure.decision
        if spec.anchor is Anchor.DEBUT:
            return measure.start
        if spec.anchor is Anchor.FIN:
            return measure.end
        if spec.anchor is Anchor.AUDIENCE:
            return measure.hearing
        if spec.anchor is Anchor.EVENEMENT and spec.event is not None:
            events = self.events_of(measure.mesure_id, spec.event)
            return events[-1].day if events else None
        return None

    def alert(self, due: date) -> bool:
        """Due today or within the alert window (`alerte_jours`): worth a warning."""
        return self.as_of <= due <= date.fromordinal(self.as_of.toordinal() + self.ruleset.alert_days)


def build_context(
    ruleset: RuleSet, submission: Submission, evidence: Mapping[str, FileEvidence],
    as_of: date, holidays: HolidayCalendar,
) -> Context:
    documents: dict[tuple[str, DocumentType], list[DocumentRecord]] = defaultdict(list)
    association_documents: dict[tuple[str, DocumentType], list[DocumentRecord]] = defaultdict(list)
    for doc in sorted(submission.documents, key=lambda d: (d.received, d.document_id)):
        if doc.received > as_of:
            continue
        if doc.mesure_id:
            documents[(doc.mesure_id, doc.type)].append(doc)
        else:
            association_documents[(doc.association, doc.type)].append(doc)
    events: dict[str, list[EventRecord]] = defaultdict(list)
    for event in sorted(submission.events, key=lambda e: (e.day, e.line)):
        if event.day <= as_of:
            events[event.mesure_id].append(event)
    renewed_by: dict[str, list[str]] = defaultdict(list)
    for measure in submission.measures:
        if measure.renews:
            renewed_by[measure.renews].append(measure.mesure_id)
    return Context(
        ruleset=ruleset, as_of=as_of, holidays=holidays,
        measures={m.mesure_id: m for m in submission.measures},
        documents=_frozen(documents), association_documents=_frozen(association_documents),
        events=_frozen(events), renewed_by=_frozen(renewed_by), evidence=evidence,
        occupancy=submission.occupancy,
    )


def _frozen(groups: Mapping) -> dict:
    return {key: tuple(values) for key, values in groups.items()}


def finding(
    rule: Rule, association: str, message: str, *, evidence: Evidence,
    mesure_id: str | None = None, document_id: str | None = None, due: date | None = None,
    received: date | None = None, days_late: int | None = None, severity: Severity | None = None,
) -> Finding:
    """A finding of `rule`, with the rule's severity and source unless told otherwise."""
    return Finding(
        rule=rule.id, severity=severity or rule.severity, association=association,
        mesure_id=mesure_id, document_id=document_id, message=message, due=due,
        received=received, days_late=days_late, evidence=evidence, source=rule.source,
    )


def days(count: int, unit: str = "jour") -> str:
    """« 1 jour », « 4 jours » ; « 0 visite », « 2 visites »."""
    return f"{count} {unit}{'s' if count > 1 else ''}"


DOCUMENT_LABELS = {
    DocumentType.CET: "CET", DocumentType.CTEOP: "CTEOP",
    DocumentType.PLAN_INTERVENTION: "plan d'intervention",
    DocumentType.BILAN_INTERMEDIAIRE: "bilan intermédiaire", DocumentType.BILAN_FINAL: "bilan final",
    DocumentType.GRILLE_ACTIVITE: "grille d'activité",
    DocumentType.TABLEAU_OCCUPATION: "tableau d'occupation", DocumentType.DSF: "DSF",
    DocumentType.DEMANDE_ECHEC: "demande de prise en charge (échec)", DocumentType.AVENANT: "avenant",
    DocumentType.JUSTIFICATIF_VACANCE: "justificatif de vacance technique", DocumentType.BAIL: "bail",
}
"""How a document type is named in a finding's message."""
