"""Read a filled activity grid (XLSX) into register rows, each cell's problem located `SHEET!C12`.

The workbook comes from an association: it is opened read-only (streamed), after a size check,
and no formula is ever evaluated: a formula where a value is expected is an error. Only the
register's columns are read, found by their French label (row 2, `engine.grid`) or, in a grid
written before the labels, by their register name (row 1); a column the association added (names,
addresses) is never read. The association and the measure of each row are the grid's and the
sheet's; a territory is read by its name (or its id) when the Département's places are given.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from engine.checker.registry import Row, _shown
from engine.errors import InputError
from engine.grid import (
    ASSOCIATION_CELL,
    FILLED,
    HEADER_ROW,
    INPUT_ROWS,
    INSTRUCTIONS,
    OPTIONAL,
    SUMMARY,
    YEAR_CELL,
    SheetSpec,
    column_text,
    header_key,
    header_names,
    sheet_named,
)

MAX_GRID_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a zip bomb declares its parts' sizes: refuse before parsing
MAX_ROWS = HEADER_ROW + INPUT_ROWS  # the model's input rows, header included
FORMULA = "="
NO_FORMULA: frozenset[str] = frozenset()


class CellRow(Row):
    """A grid row: the same typed readers as a CSV row, errors located at the cell."""

    formulas: frozenset[str] = NO_FORMULA

    def __init__(self, path: Path, sheet: str, number: int, letters: Mapping[str, str],
                 columns: tuple[str, ...], cells: Mapping[str, str], errors: list[InputError]) -> None:
        # the cells come stripped from `_values`: Row's own conversion is not needed
        self.path, self.line, self.errors = path, number, errors
        self.cells, self.columns = cells, columns
        self.sheet, self.letters = sheet, letters

    def cell_ref(self, column: str) -> str:
        return f"{self.sheet}!{self.letters.get(column, 'A')}{self.line}"  # a column not shown: the row

    def error(self, column: str, message: str) -> None:
        self.errors.append(InputError(message, self.path, self.cell_ref(column), column))


class FormulaRow(CellRow):
    """A grid row holding formulas: reading one of those cells is an error, never an evaluation."""

    def __init__(self, *args, formulas: frozenset[str]) -> None:
        super().__init__(*args)
        self.formulas = formulas

    def text(self, column: str, required: bool = False, pattern=None, example: str = "") -> str | None:
        if column in self.formulas and column in self.letters:
            self.error(column, "formule trouvée : saisissez la valeur elle-même "
                               "(les formules ne sont pas calculées)")
            return None
        return super().text(column, required, pattern, example)


@dataclass(frozen=True)
class Sheet:
    spec: SheetSpec
    rows: tuple[CellRow, ...]


@dataclass(frozen=True)
class Grid:
    association: str
    year: int
    sheets: tuple[Sheet, ...]


def read_grid(path: Path, errors: list[InputError], expected: Mapping[str, tuple[SheetSpec, ...]],
              year: int | None, places: Mapping[str, str] | None = None) -> Grid | None:
    """The grid's sheets and rows; None (with the reason in `errors`) when it cannot be used.
    `places`: territory (and arrondissement) name → id, to read the lists' names back as ids."""
    book = _open(path, errors)
    if book is None:
        return None
    try:
        head = _head(path, book, errors, expected, year)
        if head is None:
            return None
        association, grid_year = head
        specs = _sheet_specs(path, book, expected[association], errors)
        known = {header_key(name): place for name, place in (places or {}).items()}
        known |= {header_key(place): place for place in (places or {}).values()}
        read = _Reading(path, association, errors, known if places is not None else None)
        sheets = tuple(Sheet(spec, tuple(_rows(read, book[spec.name], spec))) for spec in specs)
        return Grid(association, grid_year, sheets)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:  # a damaged sheet part
        errors.append(InputError(f"classeur illisible ({type(exc).__name__}) : "
                                 "enregistrez-le à nouveau au format .xlsx", path))
        return None
    finally:
        book.close()


def _open(path: Path, errors: list[InputError]):
    try:
        resolved = path.resolve(strict=True)
        if not resolved.is_file():
            raise OSError("pas un fichier ordinaire")
        size = resolved.stat().st_size
        if size > MAX_GRID_BYTES:
            errors.append(InputError(f"grille trop grosse ({size} octets, au plus {MAX_GRID_BYTES})", path))
            return None
        from engine.load.xlsx_limits import xlsx_problem

        problem = xlsx_problem(resolved, MAX_UNZIPPED_BYTES)
        if problem is not None:
            errors.append(InputError(problem, path))
            return None
        return load_workbook(resolved, read_only=True, data_only=False, keep_links=False)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        errors.append(InputError(f"grille illisible ({type(exc).__name__}) : attendu un classeur "
                                 ".xlsx issu du modèle « fsl grilles »", path))
        return None


def _head(path: Path, book, errors: list[InputError], expected, year) -> tuple[str, int] | None:
    """The association and the year written on the Instructions sheet by `fsl grilles`."""
    if INSTRUCTIONS not in book.sheetnames:
        errors.append(InputError(f"feuille « {INSTRUCTIONS} » absente : la grille ne dit pas "
                                 "de quelle association elle est ; repartez du modèle", path))
        return None
    sheet = book[INSTRUCTIONS]
    slug, grid_year = sheet[ASSOCIATION_CELL].value, sheet[YEAR_CELL].value
    if not isinstance(slug, str) or slug not in expected:
        errors.append(InputError("association inconnue (cellule modifiée ?)", path,
                                 f"{INSTRUCTIONS}!{ASSOCIATION_CELL}", "association"))
        return None
    if not isinstance(grid_year, int) or (year is not None and grid_year != year):
        errors.append(InputError(f"année « {grid_year} » : attendu {year}", path,
                                 f"{INSTRUCTIONS}!{YEAR_CELL}", "annee"))
        return None
    return slug, grid_year


def _sheet_specs(path: Path, book, expected: tuple[SheetSpec, ...], errors) -> list[SheetSpec]:
    """The sheets to read. A missing one is an error (naming the unknown sheets it may have been
    renamed to); a sheet the association added is never read."""
    names = [n for n in book.sheetnames if n not in (INSTRUCTIONS, SUMMARY)]
    unknown = [n for n in names if sheet_named(n) not in expected]
    for spec in expected:
        if spec.name not in names:
            renamed = f" ; feuille(s) non reconnue(s) : {', '.join(unknown)}" if unknown else ""
            errors.append(InputError(f"feuille « {spec.name} » absente (renommée ou supprimée ?){renamed} ; "
                                     "rendez-lui son nom", path, f"{spec.name}!A1", "feuille"))
    return [s for s in expected if s.name in names]


@dataclass(frozen=True)
class _Reading:
    """What every row of one grid is read with."""

    path: Path
    association: str
    errors: list[InputError]
    places: Mapping[str, str] | None  # header_key(name or id) → id; None: territories kept as typed


def _rows(read: _Reading, sheet, spec: SheetSpec) -> Iterator[CellRow]:
    rows = sheet.iter_rows(values_only=True)  # a formula comes as its text « =… », never evaluated
    first = next(rows, ())
    line, head = (1, first) if _is_header(spec, first) else (HEADER_ROW, next(rows, ()))
    positions = _header(read, spec, head, line)
    if positions is None:
        return
    letters = {c: get_column_letter(i + 1) for c, i in positions.items()}
    filled = {"association": read.association, "dispositif": spec.measure.value}
    blank = dict.fromkeys(spec.register, "")
    for count, cells in enumerate(rows, start=line + 1):
        if count > MAX_ROWS:
            read.errors.append(InputError(f"plus de {MAX_ROWS} lignes : feuille non lue au-delà", read.path,
                                          f"{spec.name}!A{count}", "-"))
            return
        values, formulas = _values(cells, positions)
        if not any(values.values()):
            continue
        row_values = {**blank, **filled, **{k: v for k, v in values.items() if v or k not in FILLED}}
        if formulas:
            yield FormulaRow(read.path, spec.name, count, letters, spec.register, row_values, read.errors,
                             formulas=frozenset(formulas))
            continue
        row = CellRow(read.path, spec.name, count, letters, spec.register, row_values, read.errors)
        _territory(row, read.places)
        yield row


def _is_header(spec: SheetSpec, cells) -> bool:
    """Row 1 is the header in a grid written before the labels (register names, no banner)."""
    names = header_names(spec)
    return any(isinstance(v, str) and header_key(v) in names for v in cells)


def _header(read: _Reading, spec: SheetSpec, cells, line: int) -> dict[str, int] | None:
    """Column → index; columns the association added are left out (never read). The sheet's
    columns are required but for those newer than the grid (`OPTIONAL`); the association and the
    measure are read when an older grid has them (and checked against the grid)."""
    names, found = header_names(spec), {}
    for index, value in enumerate(cells):
        if isinstance(value, str) and header_key(value) in names:
            found.setdefault(names[header_key(value)], index)
    missing = [c for c in spec.columns if c not in found and c not in OPTIONAL]
    for column in missing:
        ref = f"{spec.name}!{get_column_letter(spec.columns.index(column) + 1)}{line}"
        read.errors.append(InputError(f"colonne « {column_text(spec, column).label} » absente de la ligne "
                                      f"{line} (renommée ou supprimée ?) ; repartez du modèle", read.path,
                                      ref, column))
    wanted = (*spec.columns, *FILLED)
    return None if missing else {c: found[c] for c in wanted if c in found}


def _territory(row: CellRow, places: Mapping[str, str] | None) -> None:
    """The territory picked by its name in the list, as its id; an unknown one is an error."""
    value = row.cells.get("territoire", "")
    if not value or places is None:
        return
    place = places.get(header_key(value))
    if place is None:
        row.error("territoire", f"territoire « {_shown(value)} » inconnu : choisissez-le dans la liste de la "
                                "cellule (exemple : Arrageois)")
    else:
        row.cells["territoire"] = place


def _values(cells: tuple, positions: Mapping[str, int]) -> tuple[dict[str, str], list[str]]:
    width, values, formulas = len(cells), {}, []
    for column, index in positions.items():
        value = cells[index] if index < width else None
        if value is None:
            values[column] = ""
        elif value.__class__ is str:
            value = value.strip()
            if value.startswith(FORMULA):  # a formula (or a text that would become one elsewhere)
                formulas.append(column)
                values[column] = FORMULA
            else:
                values[column] = value
        else:
            values[column] = _text(value, column)
    return values, formulas


def _text(value, column: str) -> str:
    """A cell as the text a CSV would hold (dates ISO, `mois` as AAAA-MM, whole numbers plain)."""
    if value is None:
        return ""
    if value.__class__ is int:
        return str(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%Y-%m}" if column == "mois" else value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
