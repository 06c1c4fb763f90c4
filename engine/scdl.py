"""The SCDL « subventions » rows of a year: one per association with a subsidy, 40 columns.

Décret n° 2017-779 and arrêté du 17 novembre 2017: a collectivité publishes the essential data of
each subsidy agreement in the national format (schemas/scdl-subventions-2.1.1.json). Each value
comes from the data (departement.yaml, the association's YAML, commissions/YEAR.yaml, the year's
financial table) or from templates/scdl/subventions.yaml, and each keeps its origin so that a
value Validata refuses (engine/validata.py) is reported as the file and field to correct.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment

from engine import PROJECT_ROOT
from engine.errors import TemplateError
from engine.finance import Block, Table
from engine.load.textfile import read_text
from engine.load.yamlfile import YamlDocument, load_yaml
from engine.model import Association, Conventions, Departement, Measure
from engine.money import format_eur, json_amount
from engine.pack.commission import Commission
from engine.render.jinja import FILTERS, FieldUndefined

SCHEMA_PATH = PROJECT_ROOT / "schemas" / "scdl-subventions-2.1.1.json"
TEMPLATE_PATH = PROJECT_ROOT / "templates" / "scdl" / "subventions.yaml"
DEPARTEMENT_FILE = "departement.yaml"
SCHEMA_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Origin:
    """Where a value comes from: a file and the field to fill or correct there."""

    path: str
    field: str
    line: int | None = None


@dataclass(frozen=True)
class ScdlRow:
    association: Association
    values: dict[str, str]
    origins: dict[str, Origin]
    estimated: bool


def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """The Table Schema (JSON) of the SCDL « subventions » file."""
    return json.loads(read_text(Path(path), SCHEMA_MAX_BYTES))


def field_names(schema: dict) -> list[str]:
    return [field["name"] for field in schema["fields"]]


def load_template(path: Path | None = None) -> YamlDocument:
    """templates/scdl/subventions.yaml (or `path`): the columns that are not a data field."""
    return load_yaml(Path(path or TEMPLATE_PATH))


def scdl_rows(conventions: Conventions, commission: Commission, table: Table,
              template: YamlDocument) -> list[ScdlRow]:
    """One row per association whose subsidy of the table's year is above zero (annexe 1 order)."""
    first = min(p.start for p in conventions.departement.periods)
    return [
        _row(conventions, commission, template, block, first == table.period.start)
        for block in table.blocks if block.total > 0
    ]


def _row(conventions: Conventions, commission: Commission, template: YamlDocument, block: Block,
         first_period: bool) -> ScdlRow:
    dep, association = conventions.departement, block.association
    period = dep.period(commission.year)
    dep_path = str(Path(conventions.root) / DEPARTEMENT_FILE)
    values = {
        "idAttribuant": dep.siret or "", "nomServiceInstructeur": dep.service,
        "idServiceInstructeur": dep.siret or "", "nomBeneficiaire": association.name,
        "idBeneficiaire": association.siret or "", "rnaBeneficiaire": association.rna or "",
        "exerciceBudgetaire": str(period.year), "pluriannualite": _plural(dep),
        "anneesPluriannualite": " - ".join(str(p.year) for p in dep.periods),
        "dateDecision": commission.meeting.isoformat(), "referenceDecision": commission.deliberation,
        "dateConvention": association.convention_signed_on.isoformat(),
        "dateDebut": period.start.isoformat(), "dateFin": period.end.isoformat(),
        "montant": json_amount(block.total),
    }
    origins = _data_origins(dep_path, association.path, commission.path)
    context = _context(dep, association, block, commission, first_period)
    for name, text in template.data.items():
        values[name] = _render(template, name, str(text), context)
        origins[name] = Origin(str(template.path), name, template.line_of((name,)))
    return ScdlRow(association, values, origins, block.estimated)


def _plural(dep: Departement) -> str:
    return "oui" if len({p.year for p in dep.periods}) > 1 else "non"


def _data_origins(dep_path: str, assoc_path: str, commission_path: str) -> dict[str, Origin]:
    return {
        "idAttribuant": Origin(dep_path, "siret"), "idServiceInstructeur": Origin(dep_path, "siret"),
        "nomServiceInstructeur": Origin(dep_path, "service"),
        "exerciceBudgetaire": Origin(dep_path, "periodes"),
        "pluriannualite": Origin(dep_path, "periodes"), "anneesPluriannualite": Origin(dep_path, "periodes"),
        "dateDebut": Origin(dep_path, "periodes"), "dateFin": Origin(dep_path, "periodes"),
        "nomBeneficiaire": Origin(assoc_path, "nom"),
        "idBeneficiaire": Origin(assoc_path, "identifiants.siret"),
        "rnaBeneficiaire": Origin(assoc_path, "identifiants.rna"),
        "dateConvention": Origin(assoc_path, "date_signature_convention"),
        "montant": Origin(assoc_path, "allocations"),
        "dateDecision": Origin(commission_path, "reunion.date"),
        "referenceDecision": Origin(commission_path, "deliberation.numero"),
    }


def _context(dep: Departement, association: Association, block: Block, commission: Commission,
             first_period: bool) -> dict:
    used = [m.value for m in Measure if _measure_amount(dep, block, m)]
    return {
        "annee": commission.year, "departement": {"nom": dep.name, "service": dep.service},
        "association": {"nom": association.name}, "mesures": used,
        "premiere_periode": first_period,
        "avance_pourcent": _percent(dep.advance_share), "solde_pourcent": _percent(dep.balance_share),
        "avance": format_eur(block.advance), "solde_maximum": format_eur(block.balance_cap),
        "decision": commission.meeting.isoformat(), "deliberation": commission.deliberation,
    }


def _measure_amount(dep: Departement, block: Block, measure: Measure):
    groups = {rate.group for rate in dep.rates.values() if rate.measure is measure}
    return sum(block.amounts[g] for g in groups)


def _percent(share) -> str:
    return f"{(share * 100).normalize():f}"


def _render(template: YamlDocument, name: str, text: str, context: dict) -> str:
    try:
        return _compiled(text).render(context).strip()
    except JinjaTemplateError as exc:
        raise TemplateError(f"modèle illisible ou champ inconnu : {exc}",
                            f"{template.path}:{template.line_of((name,))}", name) from None


@functools.lru_cache(maxsize=256)
def _compiled(text: str):
    """One sandboxed environment, each field's template compiled once (not once per row)."""
    return _environment().from_string(text)


@functools.lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=FieldUndefined, autoescape=False)
    env.filters.update(FILTERS)
    return env


def scdl_warnings(rows: list[ScdlRow]) -> list[str]:
    """What does not stop the file but should be confirmed before publishing it: estimated amounts."""
    return [f"{row.association.path}: allocations: montant {row.values['montant']} estimé pour "
            f"{row.association.name} : à confirmer avant publication" for row in rows if row.estimated]
