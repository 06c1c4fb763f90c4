"""Evaluate a rules set against a submission: one evaluator per kind of check, plus unreadable files.

Pure: takes the register, the evidence already read from the files, the date and the calendar;
returns the findings sorted for the report. Nothing here opens a file or reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from engine.calendar import HolidayCalendar
from engine.checker import deadlines, events, periods, supports
from engine.checker.context import DOCUMENT_LABELS, Context, build_context
from engine.rules import (
    Check,
    DocumentRecord,
    Evidence,
    FileEvidence,
    FileStatus,
    Finding,
    Rule,
    RuleSet,
    Severity,
    Submission,
)

UNREADABLE_RULE = "FICHIER-ILLISIBLE"
UNREADABLE_SOURCE = "INTERFACES.md, dossier des pièces reçues : fichier illisible"

EVALUATORS: Mapping[Check, Callable[[Rule, Context], list[Finding]]] = {
    Check.PIECE: deadlines.check_piece,
    Check.PIECE_PERIODIQUE: deadlines.check_periodic,
    Check.DEBUT: periods.check_start,
    Check.DUREE: supports.check_duration,
    Check.CUMUL: supports.check_overlap,
    Check.PLAFOND: periods.check_cap,
    Check.NOTIFICATION: events.check_notification,
    Check.SUSPENSION: events.check_suspension,
    Check.VISITES: events.check_visits,
    Check.ABSENCE: events.check_absence,
    Check.PORTE_CLOSE: events.check_closed_door,
    Check.RENOUVELLEMENT: supports.check_renewal,
    Check.ABSENCE_TS: supports.check_worker_absence,
    Check.CUMUL_EXCLU: supports.check_excluded,
    Check.VACANCE: supports.check_vacancy,
    Check.INTERRUPTION: supports.check_interruption,
    Check.EVENEMENT_PERIODIQUE: events.check_recurring,
}


def evaluate(
    ruleset: RuleSet, submission: Submission, evidence: Mapping[str, FileEvidence],
    as_of: date, holidays: HolidayCalendar,
) -> list[Finding]:
    """Every finding of `ruleset` on `submission` as of `as_of`, sorted by association and measure."""
    ctx = build_context(ruleset, submission, evidence, as_of, holidays)
    found = unreadable_files(submission, evidence, as_of)
    for rule in ruleset.active():
        found.extend(EVALUATORS[rule.check](rule, ctx))
    found.extend(unexpected_signed_files(ruleset, ctx))
    return sorted(set(found), key=Finding.sort_key)


def unexpected_signed_files(ruleset: RuleSet, ctx: Context) -> list[Finding]:
    """A broken signature in a file no rule expects (a CET for a DSF...) is still an error."""
    found = []
    for docs in (*ctx.documents.values(), *ctx.association_documents.values()):
        for doc in docs:
            seen = ctx.evidence.get(doc.document_id)
            if seen is None or seen.status is not FileStatus.READ or deadlines.expected(doc, ruleset, ctx):
                continue
            broken = [s for s in seen.signatures if s.signed and s.problem is not None]
            if broken:
                text = " ; ".join(f"« {s.field} » : {s.problem}" for s in broken)
                message = (f"{DOCUMENT_LABELS[doc.type]} qu'aucune règle n'attend pour cette mesure : "
                           f"signature invalide, {text}")
                found.append(_file_finding(doc, message, Evidence.SIGNATURE))
    return found


def unreadable_files(
    submission: Submission, evidence: Mapping[str, FileEvidence], as_of: date,
) -> list[Finding]:
    """One FICHIER-ILLISIBLE error per received file that could not be read; the run goes on."""
    found = []
    for doc in submission.documents:
        seen = evidence.get(doc.document_id)
        if doc.received > as_of or seen is None or seen.status is not FileStatus.UNREADABLE:
            continue
        message = f"{DOCUMENT_LABELS[doc.type]} : fichier « {doc.file} » illisible : {seen.reason}"
        found.append(_file_finding(doc, message, Evidence.FILE))
    return found


def _file_finding(doc: DocumentRecord, message: str, evidence: Evidence) -> Finding:
    return Finding(
        rule=UNREADABLE_RULE, severity=Severity.ERROR, association=doc.association,
        mesure_id=doc.mesure_id, document_id=doc.document_id, message=message, due=None,
        received=doc.received, days_late=None, evidence=evidence, source=UNREADABLE_SOURCE,
    )
