"""Reminder letters (`fsl relances`): the documents `fsl check` finds missing or late, one letter
per association, from the same findings (one engine, two views).

A line of a letter is a finding of a document rule (`piece`, `piece_periodique`) with a number of
days late: a document not received past its due date, or received after it. Nothing else of the
register reaches a letter: measures by their id, never a household's name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from engine import PROJECT_ROOT
from engine.checker.run import CheckResult
from engine.rules import Check, Finding, Severity

TEMPLATE = PROJECT_ROOT / "templates" / "relance.docx"
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
CSV_COLUMNS = ("association", "nom", "pieces", "non_recues", "en_retard", "retard_max_jours",
               "fichier_docx", "fichier_pdf")
_LABEL = re.compile(r"^(.*?) (?:non reçu|reçu le)\b")


@dataclass(frozen=True)
class Line:
    """One document of a letter."""

    piece: str
    mesure: str
    echeance: str
    recue: str
    retard: str
    clause: str
    finding: Finding


@dataclass(frozen=True)
class Letter:
    association: str
    name: str
    lines: tuple[Line, ...]

    @property
    def missing(self) -> int:
        return sum(line.finding.received is None for line in self.lines)

    @property
    def late(self) -> int:
        return len(self.lines) - self.missing

    @property
    def stem(self) -> str:
        return f"relance_{self.association}"


def reminder_findings(result: CheckResult) -> list[Finding]:
    """The findings a reminder lists: a document rule broken by a date (missing or late)."""
    document_rules = {r.id for r in result.ruleset.rules if r.check in (Check.PIECE, Check.PIECE_PERIODIQUE)}
    return [f for f in result.findings
            if f.rule in document_rules and f.severity is Severity.ERROR and f.days_late is not None
            and f.due is not None]


def letters(result: CheckResult, names: dict[str, str] | None = None) -> list[Letter]:
    """One letter per association with at least one missing or late document, by association."""
    groups: dict[str, list[Finding]] = {}
    for finding in reminder_findings(result):
        groups.setdefault(finding.association, []).append(finding)
    names = names or {}
    order = lambda f: (f.due, f.mesure_id or "", f.message)  # noqa: E731
    codes = text_codes(result.ruleset.source)
    read = {r.id for r in result.ruleset.rules if r.interpretation}
    return [Letter(association, names.get(association, association),
                   tuple(_line(f, codes, f.rule in read) for f in sorted(found, key=order)))
            for association, found in sorted(groups.items())]


def text_codes(source: str) -> dict[str, str]:
    """The texts the rules set's `source` names by their seed code (« 004 — …, délibération
    n°2026-173 ; 000 — appel à projets… »): code → how a letter cites it."""
    codes = {}
    for part in source.split(";"):
        match = re.match(r"\s*(\d{3}) — (.+?)\s*$", part)
        if match:
            deliberation = re.search(r"délibération n°\s?[\w-]+", match[2])
            codes[match[1]] = f"de la {deliberation[0]}" if deliberation else f"({match[2]})"
    return codes


def clause_text(source: str, codes: dict[str, str], service_reading: bool = False) -> str:
    """« 004 annexe ASLL, Les bilans individuels » → « annexe ASLL de la délibération n°2026-173
    (Les bilans individuels) »: the text, not the internal code; a deadline the convention does not
    write is labelled « lecture du service »."""
    parts = []
    for piece in source.split(";"):
        piece = piece.strip()
        match = re.match(r"^(\d{3})(?:\s+(.*?))?$", piece.split(",", 1)[0].strip())
        if match and match[1] in codes:
            rest = piece.split(",", 1)[1].strip() if "," in piece else ""
            cited = codes[match[1]]
            head = f"{match[2]} {cited}" if match[2] else cited.removeprefix("de la ").strip("()")
            parts.append(f"{head} ({rest})" if rest else head)
        elif piece:
            parts.append(piece)
    text = " ; ".join(parts)
    return f"{text} — échéance : lecture du service" if service_reading else text


def _line(finding: Finding, codes: dict[str, str] | None = None, service_reading: bool = False) -> Line:
    match = _LABEL.match(finding.message)
    label = match[1] if match else finding.rule
    return Line(piece=label[:1].upper() + label[1:], mesure=finding.mesure_id or "—",
                echeance=french_day(finding.due), recue=french_day(finding.received) or "non reçue",
                retard=f"{finding.days_late} j",
                clause=clause_text(finding.source, codes or {}, service_reading), finding=finding)


def french_day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def long_day(value: date) -> str:
    """`2026-11-22` → `22 novembre 2026` (`1er` for the first of the month)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS_FR[value.month - 1]} {value.year}"


def letter_context(letter: Letter, result: CheckResult, departement: dict) -> dict:
    return {
        "departement": {k: departement[k] for k in ("nom", "service", "ville")},
        "signataire": departement["signataire"],
        "association": {"nom": letter.name, "slug": letter.association},
        "date_lettre": long_day(result.as_of), "date_controle": long_day(result.as_of),
        "regles": result.ruleset.name, "manquantes": letter.missing, "en_retard": letter.late,
        "lignes": [{"piece": line.piece, "mesure": line.mesure, "echeance": line.echeance,
                    "recue": line.recue, "retard": line.retard, "clause": line.clause}
                   for line in letter.lines],
    }


def render_letter(letter: Letter, result: CheckResult, departement: dict, template: Path = TEMPLATE) -> bytes:
    """The letter as DOCX bytes, rendered by docxtpl in the project's sandboxed strict environment,
    byte-reproducible (fixed zip times and core dates)."""
    from docxtpl import DocxTemplate

    from engine.render.jinja import document_environment
    from engine.render.reproducible import normalize_zip

    docx = DocxTemplate(io.BytesIO(template.read_bytes()))
    docx.render(letter_context(letter, result, departement), jinja_env=document_environment())
    out = io.BytesIO()
    docx.save(out)
    return normalize_zip(out.getvalue(), f"{result.as_of.isoformat()}T00:00:00Z")


def mail_merge_csv(letters_: Sequence[Letter], pdf: bool) -> str:
    """One row per letter for a mail merge (`;`, French spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for letter in letters_:
        worst = max(line.finding.days_late or 0 for line in letter.lines)  # set: reminder_findings
        writer.writerow([letter.association, letter.name, len(letter.lines), letter.missing, letter.late,
                         worst, f"{letter.stem}.docx", f"{letter.stem}.pdf" if pdf else ""])
    return out.getvalue()
