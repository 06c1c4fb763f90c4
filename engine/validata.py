"""Validata, the national validator of schema.data.gouv.fr, judges the SCDL « subventions » bytes.

`validata-table` (its library `validata_core`) is frictionless plus the custom checks the schema
names: `french-siret-value` (the SIRET keys, python-stdnum) and `one-of-required` (a beneficiary
has a SIRET or an RNA number). It runs here offline: the schema is the vendored copy, given as a
dict, and the file is the bytes about to be written. Each error Validata reports is turned into
`path:line: field: message` on the data it came from, Validata's own French words beside it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from engine.errors import InputError, RunError
from engine.identifiers import siret_problem
from engine.scdl import Origin, ScdlRow

DISTRIBUTION = "validata-table"
REQUIREMENT = "validata-table==0.12.5"
ONE_OF_REQUIRED = "one-of-required"
IDENTIFIERS = "identifiants"
REQUIRED = {
    column: "SIRET du Département manquant, exigé par le schéma SCDL (14 chiffres, du répertoire "
            "SIRENE) : ajoutez-le en tête de departement.yaml, par exemple siret: \"NNNNNNNNNNNNNN\""
    for column in ("idAttribuant", "idServiceInstructeur")
}
_BLANK_LINE = re.compile(r"\n\s*\n")


class ValidatorMissing(RunError):
    """validata-table is not installed: no file can be judged, so none is written (exit 3)."""


@dataclass(frozen=True)
class Verdict:
    """What Validata said of the file: its error count and each error (its report's JSON form, as
    the Validata API gives it) located on the data, its title and message in the text."""

    errors: int
    located: tuple[InputError, ...]
    version: str

    @property
    def valid(self) -> bool:
        return self.errors == 0


def validata_version() -> str:
    from importlib.metadata import version

    return version(DISTRIBUTION)


def judge(data: bytes, name: str, schema: dict, rows: list[ScdlRow]) -> Verdict:
    """Validata's verdict on the CSV `data` (named `name`) against `schema`.

    Validata's warnings are left out: they do not make a file invalid (its `valid` is « no error »)
    and, with this schema, they only note that `french-siret-value` is now spelt `siret`.
    """
    try:
        from validata_core import resource_service, validation_service
        from validata_core.domain.types import TypedException
    except ImportError:
        raise ValidatorMissing(f"{DISTRIBUTION} (Validata, le validateur national) n'est pas installé : le "
                       f"fichier SCDL ne peut pas être jugé ; installez-le par « make install » ou "
                       f"« pip install --no-deps {REQUIREMENT} » (voir pyproject.toml)") from None

    try:
        resource = resource_service.from_file_content(name, data)
        report = validation_service.validate_resource(resource, schema)
    except TypedException as exc:
        error = InputError(f"fichier SCDL illisible pour Validata : {exc}", name)
        return Verdict(1, (error,), validata_version())
    errors = report.to_dict()["errors"]
    limits = {f["name"]: f.get("constraints", {}).get("maxLength") for f in schema["fields"]}
    located = tuple(_located(e, name, rows, limits) for e in errors)
    return Verdict(len(errors), located, validata_version())


def _located(error: dict, name: str, rows: list[ScdlRow], limits: dict[str, int | None]) -> InputError:
    said = _said(error)
    row_number, column = error.get("rowNumber"), error.get("fieldName")
    if row_number is None or not 2 <= row_number <= len(rows) + 1:
        return InputError(f"fichier SCDL refusé — Validata : « {said} »", name)
    row = rows[row_number - 2]
    if column is None and error["type"] == ONE_OF_REQUIRED:
        association = row.association  # the line `fsl points` gives for the same missing identifier
        origin = Origin(association.path, IDENTIFIERS, association.lines.get(IDENTIFIERS))
        reason = ("ni SIRET ni numéro RNA : ajoutez identifiants.siret (14 chiffres, du répertoire "
                  "SIRENE) ou identifiants.rna (W et 9 chiffres)")
    elif column is None:
        return InputError(f"ligne {row_number} du fichier SCDL ({row.association.slug}) refusée — "
                          f"Validata : « {said} »", row.association.path)
    else:
        origin = row.origins.get(column, Origin(row.association.path, column))
        value = row.values.get(column, "")
        reason = f"colonne SCDL {column} : {_reason(column, value, limits.get(column))}"
    return InputError(f"{reason} — Validata : « {said} »", origin.path, origin.line, origin.field)


def _said(error: dict) -> str:
    """Validata's title and the first paragraph of its message (the rest is an example and the
    regular expression, in Markdown for its web page), on one line."""
    first = _BLANK_LINE.split(html.unescape(str(error.get("message", ""))).strip(), maxsplit=1)[0]
    message = " ".join(first.split())
    title = " ".join(str(error.get("title", "")).split())
    return f"{title} : {message}" if title and message else title or message


def _reason(column: str, value: str, max_length: int | None) -> str:
    """What to do, in the engine's words (Validata's follow)."""
    if not value:
        return REQUIRED.get(column, "valeur obligatoire manquante : remplissez ce champ")
    if column in ("idAttribuant", "idBeneficiaire", "idServiceInstructeur"):
        problem = siret_problem(value)
        if problem:
            return problem
    if max_length is not None and len(value) > max_length:
        return f"{len(value)} caractères, {max_length} au plus : raccourcissez ce texte"
    return f"valeur « {value} » refusée"
