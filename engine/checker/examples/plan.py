"""The example's register being built, and the ground truth of what the checker must find.

The generator decides every date itself (a received date is the due date minus a few days, or
plus the injected delay), so each expected finding is written down when it is injected, not
recomputed by the checker's code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from engine.calendar import add_months, extend_to_working_day, holiday_calendar

HOUSEHOLDS = ("Mme Albane Dufresnoy", "M. Kévin Lemaire-Obin", "Mme Yasmina Bekkouche",
              "M. et Mme Caudron", "Mme Ginette Vasseur", "M. Thibault Delattre",
              "Mme Nadia Ouchène", "M. Bruno Lefebvre", "Mme Sandrine Wattez", "M. Jordan Becquet")
"""Fictional names printed in the example's PDFs and comments, never in a report."""


@dataclass
class FileSpec:
    """What to put in `fichiers/` for one document."""

    kind: str  # pdf, docx, garbage, text, absent
    lines: list[str] = field(default_factory=list)
    signed_roles: tuple[str, ...] = ()
    empty_roles: tuple[str, ...] = ()
    tamper: str | None = None  # "modified" (incremental update) or "flipped" (signed byte changed)


@dataclass
class Plan:
    as_of: date
    rng: random.Random
    canary: str | None = None
    alert_days: int = 15
    measures: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    files: dict[str, FileSpec] = field(default_factory=dict)
    truth: list[dict] = field(default_factory=list)
    intact_signed: list[dict] = field(default_factory=list)
    occupancy: list[dict] = field(default_factory=list)  # occupation.csv rows (GLA)
    file_rate: float = 0.5
    sign_rate: float = 0.4

    def __post_init__(self) -> None:
        self.holidays = holiday_calendar("FR")

    def household(self) -> str:
        return self.canary or self.rng.choice(HOUSEHOLDS)

    def measure_id(self) -> str:
        return f"M-{len(self.measures) + 1:05d}"

    def document_id(self) -> str:
        return f"D-{len(self.documents) + 1:06d}"

    def alert(self, due: date) -> bool:
        return self.as_of <= due <= self.as_of + timedelta(days=self.alert_days)

    def expect(self, rule: str, association: str, motif: str, *, mesure_id=None, document_id=None,
               due=None, received=None, days_late=None, evidence="declared", severity="error") -> None:
        """Write down one finding the checker must report."""
        self.truth.append({
            "rule": rule, "severity": severity, "association": association, "mesure_id": mesure_id,
            "document_id": document_id, "due": _iso(due), "received": _iso(received),
            "days_late": days_late, "evidence": evidence, "motif": motif})

    def event(self, mesure_id: str, kind: str, day: date, comment: str = "") -> None:
        if day <= self.as_of:
            self.events.append({"mesure_id": mesure_id, "type_evenement": kind, "date": day,
                                "commentaire": comment})


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class Piece:
    """One document a rule expects, with what the generator does to it."""

    rule: str
    kind: str  # type_document
    association: str
    due: date | None
    mesure_id: str | None = None
    period: str | None = None
    roles: tuple[str, ...] = ()  # required signatories
    late: int = 0  # injected delay in days
    missing: bool = False  # injected: never sent
    unsigned: tuple[str, ...] = ()  # injected: roles that did not sign (declared)
    empty_fields: tuple[str, ...] = ()  # injected: PDF fields left empty
    tamper: str | None = None  # injected: signature broken after signing
    file: str | None = None  # forced file kind (pdf, docx, garbage, text, absent)
    received: date | None = None  # forced date of receipt (documents without due date)
    title: str = ""


def place(plan: Plan, piece: Piece) -> None:
    """Add `piece` to the register (or not, when missing or not yet sent) and its expected findings."""
    common = dict(mesure_id=piece.mesure_id)
    if piece.missing:
        if piece.due is None:
            raise ValueError(f"{piece.rule} : une pièce jamais envoyée a une échéance")
        if piece.due < plan.as_of:
            plan.expect(piece.rule, piece.association, "non reçu", due=piece.due,
                        days_late=(plan.as_of - piece.due).days, **common)
        elif plan.alert(piece.due):
            plan.expect(piece.rule, piece.association, "attendu au plus tard", due=piece.due,
                        severity="warning", **common)
        return
    received = piece.received or _received(plan, piece)
    if received > plan.as_of:
        if piece.due is not None and plan.alert(piece.due):
            plan.expect(piece.rule, piece.association, "attendu au plus tard", due=piece.due,
                        severity="warning", **common)
        return
    doc_id = plan.document_id()
    declared = [r for r in piece.roles if r not in piece.unsigned]
    plan.documents.append({
        "document_id": doc_id, "mesure_id": piece.mesure_id or "", "association": piece.association,
        "type_document": piece.kind, "periode": piece.period or "", "date_reception": received,
        "fichier": "", "signataires_declares": "|".join(declared)})
    if piece.late:
        plan.expect(piece.rule, piece.association, f"reçu le {received}", document_id=doc_id,
                    due=piece.due, received=received, days_late=piece.late, **common)
    _attach_file(plan, piece, doc_id, received)


def _received(plan: Plan, piece: Piece) -> date:
    if piece.due is None:
        raise ValueError(f"{piece.rule} : une pièce sans échéance a sa date de réception (received)")
    if piece.late:
        return piece.due + timedelta(days=piece.late)
    return piece.due - timedelta(days=plan.rng.randint(0, 12))


def _attach_file(plan: Plan, piece: Piece, doc_id: str, received: date) -> None:
    kind = piece.file
    injected = piece.empty_fields or piece.tamper
    if kind is None and not injected:
        if plan.rng.random() >= plan.file_rate:
            _declared_findings(plan, piece, doc_id, received, piece.unsigned)
            return
        kind = "docx" if plan.rng.random() < 0.08 else "pdf"
    kind = kind or "pdf"
    plan.documents[-1]["fichier"] = f"{doc_id}.{'docx' if kind == 'docx' else 'pdf'}"
    signed = _signed_roles(plan, piece, kind)
    lines = [f"Fonds Solidarité Logement - {piece.title or piece.kind}",
             f"Mesure : {piece.mesure_id or '-'} - Association : {piece.association}",
             f"Ménage : {plan.household()}", f"Reçu le {received:%d/%m/%Y}"]
    plan.files[doc_id] = FileSpec(kind=kind, lines=lines, signed_roles=signed,
                                  empty_roles=piece.empty_fields, tamper=piece.tamper)
    common = dict(mesure_id=piece.mesure_id, document_id=doc_id, received=received)
    if kind in ("garbage", "text", "absent"):
        plan.expect("FICHIER-ILLISIBLE", piece.association, "illisible", evidence="file", **common)
    if piece.empty_fields:
        plan.expect(piece.rule, piece.association, "champ de signature vide", evidence="signature", **common)
    if piece.tamper:
        plan.expect(piece.rule, piece.association, "signature invalide", evidence="signature", **common)
    elif signed:
        plan.intact_signed.append({"rule": piece.rule, "association": piece.association,
                                   "mesure_id": piece.mesure_id, "document_id": doc_id,
                                   "received": received.isoformat()})
    unsigned_declared = tuple(r for r in piece.unsigned if r not in piece.empty_fields)
    _declared_findings(plan, piece, doc_id, received, unsigned_declared)


def _signed_roles(plan: Plan, piece: Piece, kind: str) -> tuple[str, ...]:
    """Roles signed inside the PDF: all required ones that did sign, for some documents."""
    if kind != "pdf" or not piece.roles:
        return ()
    if piece.tamper or piece.empty_fields or plan.rng.random() < plan.sign_rate:
        return tuple(r for r in piece.roles if r not in piece.unsigned)
    return ()


def _declared_findings(plan: Plan, piece: Piece, doc_id: str, received: date, roles) -> None:
    if roles:
        plan.expect(piece.rule, piece.association, "(déclaré)", mesure_id=piece.mesure_id,
                    document_id=doc_id, received=received)


EARLIEST = date(2025, 5, 15)


def day_between(plan: Plan, first: date, last: date) -> date:
    if last < first:
        last = first
    return first + timedelta(days=plan.rng.randint(0, (last - first).days))


def end_of(start: date, months: int) -> date:
    return add_months(start, months) - timedelta(days=1)


def due_forward(plan: Plan, day: date, months: int = 1) -> date:
    """« Dans le mois qui suit » : art. 641 then art. 642."""
    return extend_to_working_day(add_months(day, months), plan.holidays)


def add_row(plan: Plan, association: str, dispositif: str, **values) -> str:
    mesure_id = plan.measure_id()
    row = {"mesure_id": mesure_id, "association": association, "dispositif": dispositif, "type": "",
           "territoire": "", "date_decision": None, "date_debut": None, "duree_mois": "",
           "renouvellement_de": "", "date_audience": None, "motif": "", "menage": ""}
    row.update(values)
    plan.measures.append(row)
    return mesure_id
