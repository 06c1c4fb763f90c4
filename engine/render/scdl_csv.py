"""The SCDL « subventions » CSV: written only once Validata, the national validator, accepts it.

UTF-8, comma-separated, one header row with the schema's 40 field names in its order (the format
of schema.data.gouv.fr). Every error Validata reports is turned into an error naming the data
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
from engine.scdl import Origin, ScdlRow, field_names, load_schema, load_template, scdl_rows, scdl_warnings
from engine.validata import Verdict, judge


@dataclass(frozen=True)
class ScdlFile:
    name: str
    data: bytes
    rows: int
    warnings: tuple[str, ...]
    verdict: Verdict
    schema: str
    """The schema's name and version, as the file is published with them: « subventions » 2.1.1."""


class ScdlRefused(InputErrors):
    """Validata reported errors: the file is not written; each error names the data to correct."""

    def __init__(self, errors: list[InputError], year: int, verdict: Verdict, rows: int) -> None:
        super().__init__(errors)
        self.year = year
        self.verdict = verdict
        self.rows = rows

    def summary(self) -> str:
        """« fichier SCDL 2026 non produit : Validata signale 27 erreur(s) … »"""
        return (f"fichier SCDL {self.year} non produit : Validata {self.verdict.version} signale "
                f"{self.verdict.errors} erreur(s) sur {self.rows} ligne(s), {len(self.errors)} "
                "point(s) à corriger dans les données")


def file_name(year: int) -> str:
    return f"scdl_subventions_{year}.csv"


def scdl_file(conventions: Conventions, year: int) -> ScdlFile:
    """The year's file, accepted by Validata; raises `ScdlRefused` naming what to fill or correct."""
    schema = load_schema()
    table = build_table(conventions, year)
    commission = load_commission(Path(conventions.root), year)
    rows = scdl_rows(conventions, commission, table, load_template())
    if not rows:
        raise InputError(f"aucune subvention {year} : pas de fichier SCDL", conventions.root)
    name = file_name(year)
    data = scdl_csv(rows, field_names(schema))
    verdict = judge(data, name, schema, rows)
    if not verdict.valid:
        errors = _unique([_with_line(e) for e in verdict.located])
        raise ScdlRefused(errors, year, verdict, len(rows))
    described = f"« {schema['name']} » {schema['version']}"
    return ScdlFile(name, data, len(rows), tuple(scdl_warnings(rows)), verdict, described)


def scdl_csv(rows: list[ScdlRow], names: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.values.get(name, "") for name in names])
    return buffer.getvalue().encode("utf-8")


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
