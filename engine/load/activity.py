"""Read the activity register of a folder: `mesures.csv` + `occupation.csv` and/or filled grids,
and the payments already made (`paiements.csv`).

One loader for both sources: every row, from a CSV line or a grid row, goes through the same
checks (those of the submissions register, `engine.checker.registry`, plus the activity columns)
into one `Register`. Every problem of every file is collected and raised at once as
`InputErrors`; nothing is computed from a folder with errors.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from engine.activity import (
    ACTIVITY_COLUMNS,
    NO,
    OCCUPANCY_COLUMNS,
    OCCUPANCY_MEASURES,
    OCCUPANCY_OPTIONAL,
    YES,
    ActivityMeasure,
    AsllAct,
    Occupancy,
    Register,
    Result,
)
from engine.calendar import days_in_month
from engine.checker.registry import (
    _ID,
    _NEEDED,
    _SLUG,
    EVENTS,
    HOUSEHOLD,
    MEASURES,
    Row,
    _measure,
    _shown,
    read_rows,
)
from engine.errors import InputError, InputErrors
from engine.grid import ASSOCIATION_CELL, GRID_GLOB, INSTRUCTIONS, SheetSpec
from engine.load.payments import PAYMENTS_FILE, read_payments
from engine.model import Measure

MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
POINTS_NEED_TYPE = (Measure.ASLL, Measure.AML)
# an ASLL act (diagnostic, CET not signed) is decided by the CL but never runs: no start, no duration
ACT_NEEDED = {**_NEEDED, Measure.ASLL: ("date_decision",)}
_OCCUPANCY_BY_NAME = {m.value: m for m in OCCUPANCY_MEASURES}


@dataclass(frozen=True)
class Scope:
    """What a row may say: a grid belongs to one association, one year and (per sheet) one measure."""

    associations: Collection[str] | None  # None: not known here (fsl check without conventions)
    year: int | None = None
    association: str | None = None
    measure: Measure | None = None


def load_activity(folder: Path, associations: Mapping[str, tuple[SheetSpec, ...]],
                  year: int | None = None, places: Mapping[str, str] | None = None) -> Register:
    """The register of `folder` (CSV files and/or grids); `InputErrors` listing every wrong row.

    `associations` maps each association of the conventions to the grid sheets it must hold;
    `year` bounds the dates of a grid (a CSV register may span several years); `places` maps the
    territory names a grid's lists show to their ids (`place_names`).
    """
    from engine.load.grid import read_grid  # openpyxl: only when grids are read (not by fsl check)

    folder = Path(folder)
    if not folder.is_dir():
        raise InputErrors([InputError("dossier d'activité introuvable", folder)])
    errors: list[InputError] = []
    measures: list[ActivityMeasure] = []
    occupancy: list[Occupancy] = []
    received: set[str] = set()
    scope = Scope(associations)
    errors += folder_problems(folder)
    if (folder / "mesures.csv").is_file():
        rows = read_rows(folder / "mesures.csv", MEASURES, errors, ACTIVITY_COLUMNS + HOUSEHOLD)
        measures += _measures(rows, scope)
    if (folder / "evenements.csv").is_file() and measures:
        measures = _with_attempts(measures, read_rows(folder / "evenements.csv", EVENTS, errors))
    if (folder / "occupation.csv").is_file():
        occupancy += _occupancy(read_rows(folder / "occupation.csv", OCCUPANCY_COLUMNS, errors,
                                          OCCUPANCY_OPTIONAL), scope)
    payments = read_payments(folder / PAYMENTS_FILE, errors, associations, year) \
        if (folder / PAYMENTS_FILE).is_file() else []
    received |= {m.association for m in measures} | {o.association for o in occupancy}
    from_csv, grids = set(received), dict[str, Path]()
    for path in sorted(folder.glob(GRID_GLOB)):
        grid = read_grid(path, errors, associations, year, places)
        if grid is None:
            continue
        if _twice(path, grid.association, from_csv, grids, errors):
            continue
        received.add(grid.association)
        for sheet in grid.sheets:
            sheet_scope = Scope(associations, year, grid.association, sheet.spec.measure)
            if sheet.spec.occupancy:
                occupancy += _occupancy(sheet.rows, sheet_scope)
            else:
                measures += _measures(sheet.rows, sheet_scope)
    if not received and not errors:
        errors.append(InputError("ni mesures.csv, ni occupation.csv, ni grille d'activité "
                                 "(grille_activite_*.xlsx) dans ce dossier", folder))
    errors += _duplicates(measures, occupancy)
    if errors:
        raise InputErrors(errors)
    return Register(tuple(measures), tuple(occupancy), frozenset(received), tuple(payments))


def place_names(dep) -> dict[str, str]:
    """Name → id of the Département's territories and DSF arrondissements (`Departement`)."""
    return {p.name: p.id for p in (*dep.territories, *dep.arrondissements)}


def _with_attempts(measures: list[ActivityMeasure], rows: Iterable[Row]) -> list[ActivityMeasure]:
    """Each DSF with its closed-door attempts (events porte_close), so that the settlement pays
    a closed door as the checker's DSF-PORTE-CLOSE reads it (004 annexe DSF, La porte close)."""
    attempts: dict[str, int] = {}
    for row in rows:
        if row.cells.get("type_evenement") == "porte_close":
            attempts[row.cells.get("mesure_id", "")] = attempts.get(row.cells.get("mesure_id", ""), 0) + 1
    return [dataclasses.replace(m, attempts=attempts.get(m.record.mesure_id, 0))
            if m.measure is Measure.DSF else m for m in measures]


KNOWN_FILES = ("mesures.csv", "occupation.csv", "documents.csv", "evenements.csv", "paiements.csv")


REGISTER_FILES = ("mesures.csv", "occupation.csv")
"""The CSV register of the settlement: both or neither (grids alone are a register too)."""


def _missing_register_files(folder: Path, names: set[str]) -> list[InputError]:
    """A CSV register missing one of its two files: the money would be decided on nothing.

    A folder holding any of the CSV files (`occupation.csv`, `documents.csv`…, not `paiements.csv`,
    which is no activity and sits beside grids as well) is a CSV register,
    and then `mesures.csv` and `occupation.csv` must both be there: a file holding only its header
    line says « aucune mesure » or « aucune place occupée » on purpose; an absent one is an error,
    never read as « aucune activité » (that would compute refunds on a missing file)."""
    if not names & (set(KNOWN_FILES) - {PAYMENTS_FILE}):  # payments beside grids: no CSV register
        return []
    folded = {n.casefold() for n in names}
    return [InputError(
        f"« {name} » absent : ce dossier tient un registre CSV "
        f"({', '.join(sorted(names & set(KNOWN_FILES)))}) "
        f"et le solde ne peut pas être calculé sans lui ; s'il n'y a rien à déclarer, déposez un "
        f"{name} ne contenant que sa ligne d'en-tête", folder / name)
        for name in REGISTER_FILES if name not in names and name.casefold() not in folded]


def folder_problems(folder: Path) -> list[InputError]:
    """The activity folder's own problems: a file the engine reads that is not a regular file
    inside the folder (directory, FIFO, device, link leading out), or a file whose name differs
    from an expected one only by case (`Mesures.csv`, `Grille_activite_….XLSX`): it would be
    silently absent and the money decided without it; and a CSV register missing one of its two
    files (one listing of the folder for all of it)."""
    import fnmatch
    import os

    problems: list[InputError] = []
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        return [InputError(f"dossier d'activité illisible ({exc.strerror})", folder)]
    inside = folder.resolve()
    for name in names:
        path = folder / name
        expected = name in KNOWN_FILES or fnmatch.fnmatchcase(name, GRID_GLOB)
        if not expected:
            near = next((k for k in KNOWN_FILES if k.casefold() == name.casefold()), None)
            if near is None and fnmatch.fnmatchcase(name.casefold(), GRID_GLOB.casefold()):
                near = name.lower()
            if near is not None:
                problems.append(InputError(
                    f"fichier « {_shown(name)} » mal nommé : attendu « {near} » (casse exacte) ; "
                    "renommez-le, sinon il serait ignoré", path))
            continue
        if name not in KNOWN_FILES:  # a grid: its reader refuses what is not a regular file
            continue
        if path.is_symlink() and inside not in path.resolve().parents:
            problems.append(InputError("lien symbolique qui sort du dossier d'activité : refusé", path))
        elif not path.is_file():
            kind = ("est un dossier" if path.is_dir()
                    else "n'est pas un fichier ordinaire (tube, périphérique…)")
            problems.append(InputError(f"« {_shown(name)} » {kind} : un fichier est attendu", path))
    return problems + _missing_register_files(folder, set(names))


def _twice(path: Path, association: str, from_csv: set[str], grids: dict[str, Path],
           errors: list[InputError]) -> bool:
    """An association's year comes from one source: its grid, or the CSV register, never both."""
    where_ = f"{INSTRUCTIONS}!{ASSOCIATION_CELL}"
    if association in grids:
        errors.append(InputError(f"deuxième grille de « {association} » (déjà {grids[association].name}) : "
                                 "gardez-en une seule", path, where_, "association"))
        return True
    grids[association] = path
    if association in from_csv:
        errors.append(InputError(f"« {association} » a déjà des lignes dans mesures.csv ou occupation.csv : "
                                 "son activité viendrait deux fois ; gardez la grille ou le CSV",
                                 path, where_, "association"))
        return True
    return False


def _measures(rows: Iterable[Row], scope: Scope) -> list[ActivityMeasure]:
    return [m for m in (activity_measure(row, scope) for row in rows) if m is not None]


def activity_measure(row: Row, scope: Scope) -> ActivityMeasure | None:
    """One measure row: the register's columns (as `fsl check` reads them) and the activity ones."""
    before = len(row.errors)
    act = row.choice("acte_asll", AsllAct, required=False) if _value(row, "acte_asll") else None
    record = _measure(row, ACT_NEEDED if act is not None else None)
    actual_end, result = _day(row, "date_fin_reelle"), _result(row)
    realised_on = _day(row, "date_realisation")
    own_asll = yes_no(row, "dsf_suivi_asll")
    if record is None or len(row.errors) > before:
        return None
    _check_scope(row, scope, record.association, record.measure)
    _check_activity(row, record, scope, act=act, own_asll=own_asll, actual_end=actual_end, result=result,
                    realised_on=realised_on)
    if len(row.errors) > before:
        return None
    return ActivityMeasure(record, where=where(row, "mesure_id"), act=act, own_asll=own_asll,
                           actual_end=actual_end, result=result, realised_on=realised_on)


def yes_no(row: Row, column: str) -> bool:
    """An optional « oui » / « non » cell (empty: non)."""
    value = _value(row, column).strip().lower()
    if value not in ("", YES, NO):
        row.error(column, f"« {_shown(value)} » : attendu {YES} ou {NO} (vide : {NO})")
    return value == YES


def where(row: Row, column: str) -> str:
    """`path:line` for a CSV row, `path:SHEET!A12` for a grid cell."""
    cell_ref = getattr(row, "cell_ref", None)
    return f"{row.path}:{row.line if cell_ref is None else cell_ref(column)}"


def _value(row: Row, column: str) -> str:
    return row.cells.get(column, "")


def _day(row: Row, column: str) -> date | None:
    return row.day(column) if _value(row, column) else None


def _result(row: Row) -> Result | None:
    return row.choice("resultat", Result, required=False) if _value(row, "resultat") else None


def _check_scope(row: Row, scope: Scope, association: str, measure: Measure) -> None:
    if scope.associations is not None and association not in scope.associations:
        row.error("association", f"« {_shown(association)} » n'est pas une association des conventions")
    elif scope.association is not None and association != scope.association:
        row.error("association", f"ligne de « {_shown(association)} » dans la grille de "
                                 f"« {scope.association} » : chaque association remplit sa grille")
    if scope.measure is not None and measure is not scope.measure:
        row.error("dispositif", f"« {measure.value} » sur la feuille {scope.measure.value} : "
                                f"attendu {scope.measure.value}")


def _check_activity(row: Row, record, scope: Scope, actual_end, result, realised_on, act=None,
                    own_asll=False) -> None:
    """The activity columns against the measure: DSF result and date together, an ASLL act and its
    date together, end after start."""
    _check_acts(row, record.measure, act, own_asll, realised_on)
    if record.measure in POINTS_NEED_TYPE and not record.kind and act is None:
        expected = "GSL ou ASL" if record.measure is Measure.ASLL else "simple ou renforcee"
        row.error("type", f"obligatoire pour compter les points d'une mesure {record.measure.value} "
                          f"(attendu : {expected})")
    if record.measure is Measure.DSF:
        if (result is None) != (realised_on is None):
            missing = "date_realisation" if realised_on is None else "resultat"
            row.error(missing, "« resultat » et « date_realisation » vont ensemble pour un DSF "
                               "(exemple : realise ; 2026-03-12)")
    else:
        for column in ("resultat", "date_realisation"):
            if _value(row, column) and not (column == "date_realisation" and act is not None):
                row.error(column, "réservé aux DSF (et aux actes ASLL) ; "
                                  f"la mesure est {record.measure.value}")
    dated = (("date_fin_reelle", actual_end), ("date_realisation", realised_on))
    flagged = _check_year(row, scope.year, dated)
    if "date_fin_reelle" not in flagged and actual_end and record.start and actual_end < record.start:
        row.error("date_fin_reelle", f"{actual_end:%d/%m/%Y} est avant la date de début "
                                     f"{record.start:%d/%m/%Y}")
    if scope.year is not None and record.start and record.start.year > scope.year:
        row.error("date_debut", f"{record.start:%d/%m/%Y} est après l'année {scope.year} de la grille")


def _check_acts(row: Row, measure: Measure, act, own_asll: bool, realised_on) -> None:
    """`acte_asll` only on an ASLL row, with the act's date; `dsf_suivi_asll` only on a DSF."""
    if _value(row, "acte_asll") and measure is not Measure.ASLL:
        row.error("acte_asll", f"réservé à l'ASLL ; la mesure est {measure.value}")
    elif act is not None and realised_on is None and not _value(row, "date_realisation"):
        row.error("date_realisation", f"obligatoire pour un acte ASLL « {act.value} » : la date du "
                                      "diagnostic, ou de la 2e porte close ou du refus "
                                      "(exemple : 2026-03-12)")
    if own_asll and measure is not Measure.DSF:
        row.error("dsf_suivi_asll", f"réservé aux DSF ; la mesure est {measure.value}")


def _check_year(row: Row, year: int | None, days: Iterable[tuple[str, date | None]]) -> set[str]:
    """The columns whose date is outside the grid's year (each reported once)."""
    flagged = set()
    for column, day in days:
        if year is not None and day is not None and day.year != year:
            row.error(column, f"{day:%d/%m/%Y} hors de l'année {year} de la grille "
                              f"(attendu entre le 01/01/{year} et le 31/12/{year})")
            flagged.add(column)
    return flagged


def read_occupancy(path: Path, errors: list[InputError],
                   associations: Collection[str] | None = None) -> list[Occupancy]:
    """occupation.csv alone, as `fsl check` reads it beside its register (one reader, issue 8);
    a housing-month twice is an error."""
    records = _occupancy(read_rows(path, OCCUPANCY_COLUMNS, errors, OCCUPANCY_OPTIONAL), Scope(associations))
    errors += _duplicates([], records)
    return records


def _occupancy(rows: Iterable[Row], scope: Scope) -> list[Occupancy]:
    return [o for o in (occupancy_row(row, scope) for row in rows) if o is not None]


def occupancy_row(row: Row, scope: Scope) -> Occupancy | None:
    """One line of an occupancy table: a housing, a month, the days it was occupied."""
    clean = _clean_occupancy(row, scope)
    if clean is not None:
        return clean
    before = len(row.errors)
    association = row.text("association", True, _SLUG, "immobiliere-sociale-62")
    measure = row.choice("dispositif", Measure)
    housing = row.text("logement_id", True, _ID, "L-001")
    month = _month(row, scope.year)
    days = row.number("jours_occupes", 0, days_in_month(*month)) if month else None
    if days is None and month and not _value(row, "jours_occupes"):
        row.error("jours_occupes", "valeur obligatoire absente (exemple : 31)")
    if measure is not None and measure not in OCCUPANCY_MEASURES:
        row.error("dispositif", f"« {measure.value} » : un tableau d'occupation est FAL ou GLA")
    if association and measure:
        _check_scope(row, scope, association, measure)
    alone = yes_no(row, "accompagnement_seul")
    if alone and measure is not Measure.FAL:
        row.error("accompagnement_seul", "réservé au FAL (accompagnement social seul, sans gestion locative)")
    # a required cell that is None has recorded its error: the two tests agree
    if (len(row.errors) > before or association is None or measure is None or housing is None
            or month is None or days is None):
        return None
    return Occupancy(association, measure, housing, month[0], month[1], days, where(row, "logement_id"),
                     alone)


def _clean_occupancy(row: Row, scope: Scope) -> Occupancy | None:
    """The same line when every cell is plainly right (the common case, read without the error
    machinery); None sends it through the full checks of `occupancy_row`."""
    if getattr(row, "formulas", None):  # a grid row holding a formula takes the checked path
        return None
    cells = row.cells
    association, housing, month, days = (cells["association"], cells["logement_id"], cells["mois"],
                                         cells["jours_occupes"])
    measure = _OCCUPANCY_BY_NAME.get(cells["dispositif"])
    alone = cells.get("accompagnement_seul", "")
    if alone not in ("", NO, YES) or (alone == YES and measure is not Measure.FAL):
        return None
    if (measure is None or not (days.isascii() and days.isdigit()) or not MONTH.fullmatch(month)
            or not _ID.fullmatch(housing)
            or (scope.associations is not None and association not in scope.associations)
            or scope.association not in (None, association) or scope.measure not in (None, measure)):
        return None
    year, number = int(month[:4]), int(month[5:7])
    if (scope.year is not None and year != scope.year) or int(days) > _month_days(year, number):
        return None
    return Occupancy(association, measure, housing, year, number, int(days), where(row, "logement_id"),
                     alone == YES)


_month_days = lru_cache(maxsize=256)(days_in_month)  # a pure function, memoised


def _month(row: Row, year: int | None) -> tuple[int, int] | None:
    value = row.text("mois", True, MONTH, "2026-03")
    if value is None:
        return None
    month = (int(value[:4]), int(value[5:7]))
    if year is not None and month[0] != year:
        row.error("mois", f"{value} hors de l'année {year} de la grille")
        return None
    return month


def _duplicates(measures: list[ActivityMeasure], occupancy: list[Occupancy]) -> list[InputError]:
    """A measure id, or a housing-month, twice in the folder (across files too)."""
    errors: list[InputError] = []
    seen: dict[str, str] = {}
    for m in measures:
        first = seen.setdefault(m.record.mesure_id, m.where)
        if first != m.where:
            errors.append(_located(m.where, "mesure_id",
                                   f"« {m.record.mesure_id} » en double (déjà en {first})"))
    months: dict[tuple, str] = {}
    for o in occupancy:
        key = (o.association, o.measure, o.housing, o.year, o.month)
        first = months.setdefault(key, o.where)
        if first != o.where:
            errors.append(_located(o.where, "logement_id", f"logement « {o.housing} » déjà compté "
                                   f"pour {o.year}-{o.month:02d} (en {first})"))
    return errors


def _located(where_: str, field: str, message: str) -> InputError:
    path, _, line = where_.rpartition(":")
    return InputError(message.replace(f"{path}:", ""), path, line, field)
