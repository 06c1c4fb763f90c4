"""The SCDL « subventions » CSV: written only once `frictionless` accepts it against the schema.

UTF-8, comma-separated, one header row with the schema's 40 field names in its order (the format
of schema.data.gouv.fr). Every refusal of the validator is turned into an error naming the data
file and field to correct; with any error nothing is written.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError, InputErrors
from engine.finance import build_table
from engine.load.yamlfile import load_yaml
from engine.model import Conventions
from engine.pack.commission import load_commission
from engine.scdl import (
    Origin,
    ScdlRow,
    custom_checks,
    field_names,
    load_schema,
    load_template,
    scdl_rows,
)

REQUIRED = {
    column: "SIRET du Département manquant, exigé par le schéma SCDL (14 chiffres, du répertoire "
            "SIRENE) : ajoutez-le en tête de departement.yaml, par exemple siret: \"NNNNNNNNNNNNNN\""
    for column in ("idAttribuant", "idServiceInstructeur")
}


@dataclass(frozen=True)
class ScdlFile:
    name: str
    data: bytes
    rows: int
    warnings: tuple[str, ...]


def file_name(year: int) -> str:
    return f"scdl_subventions_{year}.csv"


def scdl_file(conventions: Conventions, year: int) -> ScdlFile:
    """The year's file, validated; raises `InputErrors` naming what to fill or correct."""
    schema = load_schema()
    table = build_table(conventions, year)
    commission = load_commission(Path(conventions.root), year)
    rows = scdl_rows(conventions, commission, table, load_template())
    if not rows:
        raise InputError(f"aucune subvention {year} : pas de fichier SCDL", conventions.root)
    data = scdl_csv(rows, field_names(schema))
    errors, warnings = custom_checks(rows)
    errors = _unique(validation_errors(data, schema, rows) + [_with_line(e) for e in errors])
    if errors:
        raise InputErrors(errors)
    return ScdlFile(file_name(year), data, len(rows), tuple(warnings))


def scdl_csv(rows: list[ScdlRow], names: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.values.get(name, "") for name in names])
    return buffer.getvalue().encode("utf-8")


def validation_errors(data: bytes, schema: dict, rows: list[ScdlRow]) -> list[InputError]:
    """Validate the CSV bytes with frictionless (imported here: only this command needs it)."""
    from frictionless import Resource, Schema

    # written as UTF-8 just above: frictionless need not guess the encoding (chardet)
    resource = Resource(data=data, format="csv", encoding="utf-8", schema=Schema.from_descriptor(schema))
    report = resource.validate()
    errors = []
    for task in report.tasks:
        for error in task.errors:
            errors.append(_located(error, rows))
    return errors


def _located(error, rows: list[ScdlRow]) -> InputError:
    """A frictionless error as `path:line: field: message` on the data it came from."""
    row_number = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    if row_number is None or column is None or not 2 <= row_number <= len(rows) + 1:
        return InputError(f"fichier SCDL refusé : {error.message}", "scdl_subventions.csv")
    row = rows[row_number - 2]
    origin = row.origins.get(column, Origin(row.association.path, column))
    value = row.values.get(column, "")
    return InputError(f"colonne SCDL {column} : {_reason(error, column, value)}",
                      origin.path, origin.line or _line_in(origin), origin.field)


def _reason(error, column: str, value: str) -> str:
    note = getattr(error, "note", "") or ""
    if 'constraint "required"' in note or error.type == "missing-cell" or not value:
        return REQUIRED.get(column, "valeur obligatoire manquante : remplissez ce champ")
    if "maxLength" in note:
        limit = note.rsplit('"', 2)[-2]
        return f"{len(value)} caractères, {limit} au plus : raccourcissez ce texte"
    return f"valeur « {value} » refusée par le schéma ({note or error.type})"


def _line_in(origin: Origin) -> int | None:
    """The line of the field in its YAML file, when it is there (for the message only)."""
    path = Path(origin.path)
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return None
    stat = path.stat()
    lines = _yaml_lines(str(path), stat.st_mtime_ns, stat.st_size)
    return lines.get(tuple(origin.field.split(".")))


@functools.lru_cache(maxsize=32)
def _yaml_lines(path: str, mtime_ns: int, size: int) -> dict:
    """The lines of a YAML file's fields, parsed once per version of the file (a missing SIRET
    is reported on each of the year's rows: departement.yaml is not parsed 54 times)."""
    return load_yaml(Path(path)).lines


def _with_line(error: InputError) -> InputError:
    if error.line is not None or error.field is None:
        return error
    line = _line_in(Origin(error.path, error.field))
    return InputError(error.message, error.path, line, error.field)


def _unique(errors: list[InputError]) -> list[InputError]:
    """One error per file and field (a missing SIRET of the Département is one fix, not 54)."""
    seen: dict[tuple[str, str | None], InputError] = {}
    for error in errors:
        seen.setdefault((error.path, error.field), error)
    return list(seen.values())
