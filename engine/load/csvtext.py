"""CSV records with the line where each one starts, and csv's errors in French at that line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from engine.errors import InputError

_FRENCH = (
    ("unexpected end of data", "guillemet ouvert et jamais refermé (le reste du fichier serait "
                               "une seule cellule)"),
    ("expected after", "« ; » attendu après un guillemet fermant ; un guillemet dans une cellule "
                       "s'écrit \"\""),
    ("field larger than field limit", "cellule démesurée (plus de 131 072 caractères)"),
    ("new-line character seen in unquoted field", "retour à la ligne isolé dans une cellule sans guillemets"),
    ("line contains NUL", "octet nul dans le fichier"),
)


def csv_records(text: str, path: Path, strict: bool = False) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each record of `text` (`;` separator).

    A malformed record raises an `InputError` naming the line where it starts, in French."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=strict)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"CSV illisible : {french_csv_error(exc)}", path, start, "-") from None
        yield start, cells
        start = reader.line_num + 1


def french_csv_error(exc: csv.Error) -> str:
    problem = str(exc)
    return next((fr for en, fr in _FRENCH if en in problem), f"format CSV invalide ({problem})")
