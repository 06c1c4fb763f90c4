"""Read a financial table published elsewhere (CSV) for `fsl reconcile`.

UTF-8, `;` separator (a French spreadsheet's default), one row per printed row, a header naming
the columns (see `conventions/published/README.md`). A number may be written `36 099,00`,
`36099,00 €` or `36099.00`; `?` marks a cell that was printed but cannot be read; an empty cell
holds nothing. Every problem is reported at once as `file:line: column (colonne N): message`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from engine.errors import InputError, InputErrors
from engine.load.csvtext import csv_records
from engine.load.textfile import CSV_HINT, read_text
from engine.model import COLUMNS
from engine.reconcile import NUMERIC_COLUMNS, TEXT_COLUMNS, Cell, PublishedRow, PublishedTable

MAX_BYTES = 5 * 1024 * 1024
ILLEGIBLE = "?"
REQUIRED = ("association", "territoire")
_SPACES = re.compile(r"[ \u00a0\u202f]")
_PLAIN = re.compile(r"[0-9]+([.,][0-9]{1,2})?")


def read_published(path: Path) -> PublishedTable:
    path = Path(path)
    text = _text(path)
    records = csv_records(text, path)
    header = _header(path, next(records, (1, None))[1])
    errors: list[InputError] = []
    rows = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        try:
            rows.append(_row(path, line, header, record))
        except InputErrors as exc:
            errors.extend(exc.errors)
    errors.extend(_table_problems(path, rows))
    if errors:
        raise InputErrors(errors)
    numeric = tuple(c for c in NUMERIC_COLUMNS if c in header)
    return PublishedTable(str(path), tuple(rows), numeric)


def _text(path: Path) -> str:
    return read_text(path, MAX_BYTES, CSV_HINT)


def _header(path: Path, record: list[str] | None) -> list[str]:
    if not record:
        raise InputError("fichier vide : une ligne d'en-tête est attendue, par exemple "
                         "« association;territoire;asll_points;montant_asll »", path, 1)
    header = [cell.strip().lower() for cell in record]
    known = set(NUMERIC_COLUMNS) | set(TEXT_COLUMNS)
    errors = []
    for index, name in enumerate(header):
        if name not in known:
            hint = "un seul séparateur « ; » est accepté" if "," in name else \
                f"colonnes possibles : {', '.join((*TEXT_COLUMNS, *NUMERIC_COLUMNS))}"
            errors.append(InputError(f"colonne « {record[index].strip()} » inconnue ; {hint}",
                                     path, 1, _where(name or "?", index)))
        elif header.index(name) != index:
            errors.append(InputError("colonne en double", path, 1, _where(name, index)))
    for name in REQUIRED:
        if name not in header:
            errors.append(InputError(f"colonne obligatoire « {name} » absente", path, 1, name))
    if not any(name in NUMERIC_COLUMNS for name in header):
        errors.append(InputError("aucune colonne de nombres (par exemple asll_points, montant_asll)",
                                 path, 1, None))
    if errors:
        raise InputErrors(errors)
    return header


def _row(path: Path, line: int, header: list[str], record: list[str]) -> PublishedRow:
    if len(record) != len(header):
        raise InputErrors([InputError(f"{len(record)} cellules, {len(header)} attendues (une par "
                                      "colonne de l'en-tête)", path, line, None)])
    values = dict(zip(header, record, strict=True))
    errors = []
    cells = {}
    for index, name in enumerate(header):
        if name in NUMERIC_COLUMNS:
            try:
                cells[name] = parse_cell(values[name], integer=name in COLUMNS)
            except ValueError as exc:
                errors.append(InputError(str(exc), path, line, _where(name, index)))
    if errors:
        raise InputErrors(errors)
    return PublishedRow(line, values["association"].strip(), values["territoire"].strip(), cells)


def parse_cell(text: str, integer: bool = False) -> Cell:
    """`36 099,00` → 36099.00; `?` → illegible; empty → nothing printed."""
    shown = text.strip()
    if shown == ILLEGIBLE:
        return Cell(None, legible=False, text=shown)
    if not shown:
        return Cell(None, text=shown)
    bare = _SPACES.sub("", shown.removesuffix("€"))
    if "," in bare and "." in bare:
        bare = bare.replace(".", "")
    example = "2 412" if integer else "36 099,00"
    if not _PLAIN.fullmatch(bare):
        raise ValueError(f"« {shown} » n'est pas un nombre ; exemple : {example} (ou ? si illisible)")
    try:
        value = Decimal(bare.replace(",", "."))
    except InvalidOperation:  # unreachable after the pattern, kept for safety on odd input
        raise ValueError(f"« {shown} » n'est pas un nombre ; exemple : {example}") from None
    if integer and value != value.to_integral_value():
        raise ValueError(f"« {shown} » : un nombre entier est attendu ; exemple : {example}")
    return Cell(value, text=shown)


def _where(name: str, index: int) -> str:
    return f"{name} (colonne {index + 1})"


def _table_problems(path: Path, rows: list[PublishedRow]) -> list[InputError]:
    if not rows:
        return [InputError("aucune ligne de tableau après l'en-tête", path, 2, None)]
    totals = [r for r in rows if r.is_total]
    return [InputError("deuxième ligne « Totaux » : une seule est attendue", path, r.line, "association")
            for r in totals[1:]]
