"""Read the submissions register (mesures.csv, documents.csv, evenements.csv) into a `Submission`.

CSV as INTERFACES.md says: UTF-8 (a BOM is accepted), `;` separator, dates AAAA-MM-JJ or
JJ/MM/AAAA. Every problem is collected as an `InputError` naming file, line and column, in French,
and all of them are raised together. The free-text `commentaire` of events is not kept.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from engine.activity import ACTIVITY_COLUMNS, OCCUPANCY_COLUMNS
from engine.errors import InputError, InputErrors
from engine.load.csvtext import csv_records
from engine.load.textfile import CSV_HINT, control_message, read_text
from engine.rules import (
    DocumentRecord,
    DocumentType,
    EventRecord,
    EventType,
    Measure,
    MeasureRecord,
    OccupancyRecord,
    Role,
    Submission,
)

MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_ERRORS = 200
FILES_DIR = "fichiers"
MEASURES = ("mesure_id", "association", "dispositif", "type", "territoire", "date_decision",
            "date_debut", "duree_mois", "renouvellement_de", "date_audience", "motif")
DOCUMENTS = ("document_id", "mesure_id", "association", "type_document", "periode", "date_reception",
             "fichier", "signataires_declares")
EVENTS = ("mesure_id", "type_evenement", "date", "commentaire")
HOUSEHOLD = ("menage",)  # keyed pseudonym of the household (overlap rules), never a name
MEASURES_OPTIONAL = (*HOUSEHOLD, *ACTIVITY_COLUMNS)  # the activity register's columns (engine.load.activity)
OCCUPANCY = OCCUPANCY_COLUMNS

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # ASCII digits only: \d takes « ³ », « ٣ »
_FRENCH = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_PERIOD = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2]))?")
YEARS = range(1900, 2200)  # a date outside is a typing error (9999-12-31), and date arithmetic overflows
_KINDS = {Measure.ASLL: {"GSL", "ASL", "acces", "maintien"}, Measure.AML: {"simple", "renforcee"}}
# acces / maintien: the two kinds of the CeA's ASLLi (001 « La durée de la mesure »)
_NEEDED = {Measure.ASLL: ("date_decision", "date_debut", "duree_mois"),
           Measure.AML: ("date_debut", "duree_mois"), Measure.FAL: ("date_debut", "duree_mois"),
           Measure.DSF: ("date_audience",)}


@dataclass(frozen=True)
class Reference:
    """What the conventions know (association slugs, territory and arrondissement ids), when the
    register belongs to the same Département: a slug or territory outside them is an error."""

    associations: frozenset[str]
    territories: frozenset[str]
    measures: Mapping[str, frozenset[Measure]] = field(default_factory=dict)
    """The dispositifs each association's convention holds (a measure outside is an error finding)."""


class Row:
    """One CSV record with its file and line, turning each cell into a typed value or an error."""

    def __init__(self, path: Path, line: int, columns: tuple[str, ...], cells: list[str],
                 errors: list[InputError]) -> None:
        self.path, self.line, self.errors = path, line, errors
        self.cells = dict(zip(columns, (c.strip() for c in cells), strict=True))
        self.columns = columns

    def error(self, column: str, message: str) -> None:
        where = f"{column} (colonne {self.columns.index(column) + 1})"
        self.errors.append(InputError(message, self.path, self.line, where))

    def text(self, column: str, required: bool = False, pattern: re.Pattern | None = None,
             example: str = "") -> str | None:
        value = self.cells[column]
        if not value:
            if required:
                self.error(column, f"valeur obligatoire absente{_example(example)}")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.error(column, f"« {_shown(value)} » n'a pas la forme attendue{_example(example)}")
            return None
        return value

    def day(self, column: str, required: bool = False) -> date | None:
        value = self.text(column, required)
        if value is None:
            return None
        parsed = parse_day(value)
        if parsed is None:
            self.error(column, f"date « {_shown(value)} » invalide : attendu AAAA-MM-JJ ou JJ/MM/AAAA, "
                               "par exemple 2026-03-16 ou 16/03/2026")
        return parsed

    def number(self, column: str, low: int, high: int) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            self.error(column, f"« {_shown(value)} » : attendu un nombre entier de {low} à {high}")
            return None
        return int(value)

    def choice(self, column: str, enum: type, required: bool = True):
        value = self.text(column, required)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.error(column, f"valeur « {_shown(value)} » inconnue ; valeurs possibles : {allowed}")
            return None


def parse_day(value: str) -> date | None:
    """`AAAA-MM-JJ` or `JJ/MM/AAAA` in ASCII digits, year 1900 to 2199, else None."""
    iso, french = _ISO.fullmatch(value), _FRENCH.fullmatch(value)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif french:
            day = date(int(french[3]), int(french[2]), int(french[1]))
        else:
            return None
    except ValueError:
        return None
    return day if day.year in YEARS else None


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _example(example: str) -> str:
    return f" (exemple : {example})" if example else ""


def read_rows(path: Path, columns: tuple[str, ...], errors: list[InputError],
              optional: tuple[str, ...] = ()) -> Iterator[Row]:
    """The records of one CSV after its header is checked; nothing when the file is unusable.
    `optional` columns may follow the required ones, in any order (an absent one reads as empty)."""
    text = _read_text(path, errors)
    if text is None:
        return
    records = csv_records(text, path, strict=True)
    try:
        header = [h.strip() for h in next(records, (1, []))[1]]
        extra = tuple(h for h in header[len(columns):] if h in optional)
        if not (list(header) == [*columns, *extra] and len(set(extra)) == len(extra)) \
                and not _header_ok(path, header, columns, errors):
            return
        present = (*columns, *extra)
        for line, cells in records:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(present):
                errors.append(InputError(
                    f"{len(cells)} colonnes au lieu de {len(present)} (séparateur « ; » attendu)",
                    path, line, "-"))
                continue
            row = Row(path, line, present, cells, errors)
            row.cells.update({c: "" for c in optional if c not in row.cells})
            if _clean(row):
                yield row
    except InputError as exc:
        errors.append(exc)


def _clean(row: Row) -> bool:
    """No control character in any cell (a vertical tab, an ESC pasted from elsewhere)."""
    found = [(column, control_message(value)) for column, value in row.cells.items()]
    for column, message in found:
        if message:
            row.error(column, f"{message} : supprimez-le (souvent collé depuis un autre logiciel)")
    return not any(message for _, message in found)


def _read_text(path: Path, errors: list[InputError]) -> str | None:
    try:
        return read_text(path, MAX_CSV_BYTES, CSV_HINT, controls=False)
    except InputError as exc:
        errors.append(exc)
        return None


def _header_ok(path: Path, header: list[str], columns: tuple[str, ...], errors: list[InputError]) -> bool:
    if header == list(columns):
        return True
    missing = [c for c in columns if c not in header]
    extra = [h for h in header if h not in columns]
    if len(header) == 1 and "," in header[0]:
        problem = "séparateur « , » trouvé, « ; » attendu"
    elif missing or extra:
        problem = "; ".join(filter(None, [
            f"colonne(s) absente(s) : {', '.join(missing)}" if missing else "",
            f"colonne(s) inconnue(s) : {', '.join(extra)}" if extra else ""]))
    else:
        problem = "colonnes dans le désordre"
    errors.append(InputError(f"en-tête invalide, {problem} ; attendu : {';'.join(columns)}",
                             path, 1, "en-tête"))
    return False


def load_submission(folder: Path, reference: Reference | None = None) -> Submission:
    """Read and cross-check the three CSV files of `folder`; raise `InputErrors` listing every problem.

    With a `reference`, associations and territories must be known to the conventions."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputErrors([InputError("dossier des pièces introuvable", folder)])
    errors: list[InputError] = []
    measures, known = _measures(folder / "mesures.csv", errors, reference)
    by_id = {m.mesure_id: m for m in measures}
    documents = _documents(folder / "documents.csv", by_id, known, errors, reference)
    events_path = folder / "evenements.csv"
    events = _events(events_path, known, errors) if os.path.lexists(events_path) else []
    occupancy_path = folder / "occupation.csv"
    occupancy = _occupancy(occupancy_path, errors, reference) if os.path.lexists(occupancy_path) else []
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(InputError(f"… et {len(errors) - MAX_ERRORS} autre(s) erreur(s)", folder))
        raise InputErrors(shown)
    return Submission(tuple(measures), tuple(documents), tuple(events), tuple(occupancy))


def _measures(path: Path, errors: list[InputError],
              reference: Reference | None = None) -> tuple[list[MeasureRecord], set[str] | None]:
    """The valid measures, and every mesure_id the file names (None when the file is unusable),
    so that a bad cell in one row does not echo as "unknown measure" in the other files."""
    records: list[MeasureRecord] = []
    lines: dict[str, int] = {}
    renewals: list[tuple[Row, str]] = []
    known: set[str] | None = None
    for row in _required_file(path, MEASURES, errors, MEASURES_OPTIONAL):
        if known is None:
            known = set()
        known.add(row.cells["mesure_id"])
        if row.cells.get("acte_asll"):  # an ASLL act paid in points (engine.load.activity): no piece is due
            continue
        before = len(errors)
        _check_reference(row, reference, "territoire")
        record = _measure(row)
        if record is None or len(errors) > before:
            continue
        if record.mesure_id in lines:
            row.error("mesure_id", f"« {record.mesure_id} » en double (déjà ligne {lines[record.mesure_id]})")
            continue
        lines[record.mesure_id] = row.line
        records.append(record)
        if record.renews:
            renewals.append((row, record.renews))
    for row, renews in renewals:
        if renews not in known or renews == row.cells["mesure_id"]:
            row.error("renouvellement_de",
                      f"« {_shown(renews)} » ne désigne aucune autre mesure de mesures.csv")
    return records, known


def _check_reference(row: Row, reference: Reference | None, *also: str) -> None:
    """The row's association (and `also` territory) must be one the conventions know."""
    if reference is None:
        return
    slug = row.cells["association"]
    if slug and _SLUG.fullmatch(slug) and slug not in reference.associations:
        row.error("association", f"association « {slug} » inconnue des conventions "
                                 f"(conventions/associations/{slug}.yaml absent)")
    territory = row.cells.get("territoire", "") if "territoire" in also else ""
    if territory and territory not in reference.territories:
        shown = ", ".join(sorted(reference.territories))
        row.error("territoire", f"territoire « {_shown(territory)} » inconnu ; valeurs possibles : {shown}")


def _measure(row: Row, needed: Mapping[Measure, tuple[str, ...]] | None = None) -> MeasureRecord | None:
    """One measure row; `needed`: the columns each dispositif requires (default `_NEEDED`)."""
    before = len(row.errors)
    measure = row.choice("dispositif", Measure)
    values = dict(
        mesure_id=row.text("mesure_id", True, _ID, "M-0001"),
        association=row.text("association", True, _SLUG, "acarlogi"),
        kind=row.text("type") or "", territory=row.text("territoire") or "",
        decision=row.day("date_decision"), start=row.day("date_debut"),
        months=row.number("duree_mois", 1, 60), renews=row.text("renouvellement_de", False, _ID),
        hearing=row.day("date_audience"), motif=(row.text("motif") or "").lower(),
        household=(row.text("menage", False, _ID, "a3f9c2") if "menage" in row.cells else None) or "",
    )
    if measure is not None:
        _check_kind(row, measure, values["kind"])
        for column in (_NEEDED if needed is None else needed).get(measure, ()):
            if not row.cells[column]:
                row.error(column, f"obligatoire pour une mesure {measure.value}")
    if len(row.errors) > before:
        return None
    return MeasureRecord(measure=measure, line=row.line, **values)


def _check_kind(row: Row, measure: Measure, kind: str) -> None:
    allowed = _KINDS.get(measure, set())
    if kind and kind not in allowed:
        expected = ", ".join(sorted(allowed)) if allowed else "vide"
        row.error("type", f"« {_shown(kind)} » n'est pas un type {measure.value} (attendu : {expected})")


def _documents(
    path: Path, measures: dict[str, MeasureRecord], known: set[str] | None, errors: list[InputError],
    reference: Reference | None = None,
) -> list[DocumentRecord]:
    records: list[DocumentRecord] = []
    lines: dict[str, int] = {}
    for row in _required_file(path, DOCUMENTS, errors):
        _check_reference(row, reference)
        record = _document(row, measures, known)
        if record is None:
            continue
        if record.document_id in lines:
            first = lines[record.document_id]
            row.error("document_id", f"« {record.document_id} » en double (déjà ligne {first})")
            continue
        lines[record.document_id] = row.line
        records.append(record)
    return records


def _document(row: Row, measures: dict[str, MeasureRecord], known: set[str] | None) -> DocumentRecord | None:
    before = len(row.errors)
    mesure_id = row.text("mesure_id", False, _ID)
    association = row.text("association", True, _SLUG, "acarlogi")
    values = dict(
        document_id=row.text("document_id", True, _ID, "D-0001"),
        type=row.choice("type_document", DocumentType),
        period=row.text("periode", False, _PERIOD, "2026-03 ou 2026"),
        received=row.day("date_reception", True),
        file=_file_name(row), declared=_roles(row), expected_signers=_expected_signers(row),
    )
    measure = measures.get(mesure_id or "")
    if mesure_id and known is not None and mesure_id not in known:
        row.error("mesure_id", f"« {mesure_id} » ne figure pas dans mesures.csv")
    elif measure is not None and association and measure.association != association:
        row.error("association", f"« {association} » alors que la mesure {mesure_id} "
                                 f"est suivie par « {measure.association} »")
    if len(row.errors) > before:
        return None
    return DocumentRecord(mesure_id=mesure_id, association=association, line=row.line, **values)


def _file_name(row: Row) -> str | None:
    """A path relative to fichiers/, never leaving it (no absolute path, no `..`)."""
    value = row.text("fichier")
    if value is None:
        return None
    parts = PurePosixPath(value).parts
    if "\\" in value or value.startswith("/") or ":" in value or ".." in parts or len(value) > 255:
        row.error("fichier", f"« {_shown(value)} » : chemin refusé, attendu un nom de fichier "
                             f"du dossier {FILES_DIR}/ (exemple : D-0001.pdf)")
        return None
    return value


def _roles(row: Row) -> frozenset[Role]:
    value = row.text("signataires_declares") or ""
    roles = set()
    for part in filter(None, (p.strip() for p in value.split("|"))):
        part = part.split(":", 1)[0].strip()  # `role:Nom Prénom`: the name is never echoed
        try:
            roles.add(Role(part))
        except ValueError:
            allowed = "|".join(r.value for r in Role)
            row.error("signataires_declares",
                      f"signataire « {_shown(part)} » inconnu ; possibles : {allowed}")
    return frozenset(roles)


def _expected_signers(row: Row) -> tuple[tuple[Role, str], ...]:
    """The `role:Nom Prénom` entries of signataires_declares (INTERFACES.md), roles checked by `_roles`."""
    value = row.cells["signataires_declares"]
    named = []
    for part in filter(None, (p.strip() for p in value.split("|"))):
        role, _, name = part.partition(":")
        if name.strip() and role.strip() in {r.value for r in Role}:
            named.append((Role(role.strip()), " ".join(name.split())))
    return tuple(named)


def _events(path: Path, known: set[str] | None, errors: list[InputError]) -> list[EventRecord]:
    records = []
    for row in read_rows(path, EVENTS, errors):
        before = len(row.errors)
        mesure_id = row.text("mesure_id", True, _ID, "M-0001")
        kind, day = row.choice("type_evenement", EventType), row.day("date", True)
        if mesure_id and known is not None and mesure_id not in known:
            row.error("mesure_id", f"« {mesure_id} » ne figure pas dans mesures.csv")
        if len(row.errors) == before:
            records.append(EventRecord(mesure_id=mesure_id, type=kind, day=day, line=row.line))
    return records


def _required_file(path: Path, columns: tuple[str, ...], errors: list[InputError],
                   optional: tuple[str, ...] = ()) -> Iterator[Row]:
    if not os.path.lexists(path):
        message = f"fichier absent : attendu {path.name} (colonnes : {';'.join(columns)})"
        errors.append(InputError(message, path))
        return iter(())
    return read_rows(path, columns, errors, optional)



def _occupancy(path: Path, errors: list[InputError], reference: Reference | None) -> list[OccupancyRecord]:
    """occupation.csv (INTERFACES.md, activity register) through the settlement's own reader."""
    from engine.load.activity import read_occupancy  # imports this module: loaded when needed

    known = reference.associations if reference is not None else None
    return [OccupancyRecord(association=o.association, measure=o.measure, housing=o.housing,
                            month=(o.year, o.month), days=o.days, line=int(o.where.rsplit(":", 1)[1]))
            for o in read_occupancy(path, errors, known)]
