"""Load `conventions/`: parse every YAML, validate all of it against its schema, build the model.

Every file is read and checked before anything is built, and all problems are reported at once.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from engine.errors import FslError, InputError, InputErrors
from engine.load.schema import validate_document
from engine.load.yamlfile import YamlDocument, load_yaml
from engine.model import (
    COLUMNS,
    Allocation,
    AllocationLine,
    Association,
    Cap,
    CapScope,
    Delegation,
    Departement,
    Measure,
    Period,
    Place,
    Rate,
    RateValue,
    Signatory,
    Unit,
    frozen_mapping,
)

DEPARTEMENT_FILE = "departement.yaml"
ASSOCIATIONS_DIR = "associations"


def read_documents(root: Path) -> tuple[YamlDocument | None, list[YamlDocument], list[InputError]]:
    """Parse and schema-check `departement.yaml` and every `associations/*.yaml`.

    Returns the valid documents and every error found (a file with errors is left out).
    """
    root = Path(root)
    if not os.path.lexists(root / DEPARTEMENT_FILE):  # anything else: the reader says what it is
        raise InputError(f"fichier {DEPARTEMENT_FILE} introuvable dans {root}", root / DEPARTEMENT_FILE)
    paths = sorted((root / ASSOCIATIONS_DIR).glob("*.yaml"))
    if not paths:
        raise InputError("aucune association (fichiers *.yaml) dans ce dossier", root / ASSOCIATIONS_DIR)
    errors: list[InputError] = []
    departement = _checked(root / DEPARTEMENT_FILE, "departement", errors)
    associations = [doc for p in paths if (doc := _checked(p, "association", errors)) is not None]
    return departement, associations, errors


def _checked(path: Path, schema: str, errors: list[InputError]) -> YamlDocument | None:
    try:
        doc = load_yaml(path)
        validate_document(doc, schema)
        return doc
    except InputErrors as exc:
        errors.extend(exc.errors)
    except InputError as exc:
        errors.append(exc)
    return None


def build_departement(doc: YamlDocument) -> Departement:
    data = doc.data
    signatory = data["signataire"]
    return Departement(
        name=data["departement"],
        city=data["ville"],
        service=data["service"],
        convention_start=_date(data["convention"]["debut"]),
        convention_end=_date(data["convention"]["fin"]),
        periods=tuple(
            Period(p["annee"], _date(p["debut"]), _date(p["fin"])) for p in data["periodes"]
        ),
        territories=tuple(Place(t["id"], t["nom"]) for t in data["territoires"]),
        arrondissements=tuple(Place(a["id"], a["nom"]) for a in data["arrondissements_dsf"]),
        signatory=Signatory(signatory["qualite"], signatory["nom"], tuple(signatory["mention"])),
        rates=frozen_mapping({col: _rate(col, data["taux"][col], doc) for col in COLUMNS}),
        caps=tuple(_cap(cap_id, cap) for cap_id, cap in data["plafonds"].items()),
        advance_share=Decimal(str(data["versement"]["avance"])),
        balance_share=Decimal(str(data["versement"]["solde_maximum"])),
        siret=data.get("siret"),
        address=tuple(data.get("adresse", {}).get("lignes", ())),
        delegation=_delegation(data.get("delegation"), doc),
        path=str(doc.path),
    )


def _delegation(data: dict | None, doc: YamlDocument) -> Delegation | None:
    if data is None:
        return None
    until = data.get("jusqu_a")
    return Delegation(data["nom"], data["qualite"], data["arrete"], _date(data["depuis"]),
                      _date(until) if until is not None else None, data["source"],
                      doc.line_of(("delegation",)))


def _rate(column: str, data: dict, doc: YamlDocument | None = None) -> Rate:
    values = tuple(
        RateValue(_date(v["debut"]), Decimal(str(v["montant"])), v["source"],
                  doc.line_of(("taux", column, "valeurs", i, "montant")) if doc else None)
        for i, v in enumerate(data["valeurs"])
    )
    return Rate(column, Measure(data["mesure"]), Unit(data["unite"]), data["groupe"],
                data["libelle"], values)


def _cap(cap_id: str, data: dict) -> Cap:
    return Cap(cap_id, data["valeur"], tuple(data.get("colonnes", ())), CapScope(data["portee"]),
               data.get("libelle", cap_id), data["source"])


def build_association(doc: YamlDocument) -> Association:
    data = doc.data
    signatory = data["signataire"]
    ids = data.get("identifiants", {})
    allocations = {}
    for index, raw in enumerate(data["allocations"]):
        allocation = _allocation(doc, index, raw)
        if allocation.year in allocations:
            raise InputError(f"deux allocations pour l'année {allocation.year}", doc.path,
                             allocation.line, f"allocations[{index}].annee")
        allocations[allocation.year] = allocation
    return Association(
        slug=data["slug"],
        name=data["nom"],
        territories=tuple(data["territoires"]),
        convention_signed_on=_date(data["date_signature_convention"]),
        signatory=Signatory(signatory["qualite"], signatory["nom"]) if signatory else None,
        annex_numbers=frozen_mapping(
            {Measure(k.upper()): v for k, v in data["annexes"]["numeros"].items()}
        ),
        annexes_estimated=data["annexes"]["estimees"],
        annexes_source=data["annexes"]["source"],
        allocations=frozen_mapping(allocations),
        siret=ids.get("siret"),
        rna=ids.get("rna"),
        path=str(doc.path),
        rank=data.get("rang"),
        address=data.get("adresse"),
        representative=_person(data.get("representant")),
        article=data.get("article"),
        territory_deviations=frozen_mapping(
            {d["territoire"]: d["source"] for d in data.get("ecart_territoires", ())}),
        lines=frozen_mapping(_key_lines(doc)),
        territory_deviations_confirmed=frozenset(
            d["territoire"] for d in data.get("ecart_territoires", ()) if d.get("confirme")),
        staffing=frozen_mapping({Measure(k): Decimal(str(v)) for k, v in data.get("etp", {}).items()
                                 if k != "source"}),
        staffing_source=data.get("etp", {}).get("source"),
    )


def _person(data: dict | None) -> Signatory | None:
    return Signatory(data["qualite"], data["nom"]) if data else None


KEYED = ("nom", "signataire", "identifiants", "adresse", "representant", "article",
         "annexes.estimees", "territoires", "allocations", "ecart_territoires", "etp")


def _key_lines(doc: YamlDocument) -> dict[str, int]:
    """The line of each key open points and messages name (the nearest parent when absent)."""
    lines = {}
    for key in KEYED:
        line = doc.line_of(tuple(key.split(".")))
        if line is not None:
            lines[key] = line
    return lines


def _allocation(doc: YamlDocument, index: int, raw: dict) -> Allocation:
    lines = tuple(
        AllocationLine(
            territory=line["territoire"],
            arrondissement=line.get("arrondissement_dsf"),
            counts=frozen_mapping({c: line[c] for c in COLUMNS if line.get(c)}),
            source=line["source"],
            inference=line.get("inference"),
            line=doc.line_of(("allocations", index, "lignes", i)),
            inference_line=doc.line_of(("allocations", index, "lignes", i, "inference"))
            if line.get("inference") else None,
            count_lines=frozen_mapping(
                {c: doc.line_of(("allocations", index, "lignes", i, c)) for c in COLUMNS if line.get(c)}
            ),
        )
        for i, line in enumerate(raw["lignes"])
    )
    derogation = raw.get("derogation")
    etp = raw.get("etp")
    return Allocation(
        year=raw["annee"],
        estimated=bool(raw.get("estimated", False)),
        source=raw["source"],
        lines=lines,
        derogation=derogation["motif"] if derogation else None,
        etp=Decimal(str(etp)) if etp is not None else None,
        line=doc.line_of(("allocations", index)),
    )


def _date(text: str) -> date:
    """Schema-checked `AAAA-MM-JJ` text to a date."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:  # the schema's format check makes this unreachable on valid input
        raise FslError(f"date invalide {text!r}") from exc
