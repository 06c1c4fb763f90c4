"""The data of a Commission permanente pack: the meeting (`commissions/YEAR.yaml`) and the
previous year's activity (`activite/YEAR.yaml`), schema-checked, then frozen.

004 is the model: deliberation n°2026-173 of 26 May 2026 and rapport n°21, which cites the 2025
activity (« En 2025, les accompagnements sociaux du FSL ont bénéficié à 3 636 ménages »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from engine.errors import InputError, InputErrors
from engine.load.schema import validate_document
from engine.load.textfile import read_text
from engine.load.yamlfile import MAX_BYTES, YamlDocument, parse_yaml
from engine.model import Measure

COMMISSIONS_DIR = "commissions"
ACTIVITE_DIR = "activite"


@dataclass(frozen=True)
class Person:
    civilite: str
    nom: str


@dataclass(frozen=True)
class Commission:
    """What the pack of one year takes from the data (004, délibération and rapport)."""

    year: int
    meeting: date
    deliberation: str
    report: int
    report_services: tuple[str, ...]
    pacte: str
    ambition: int
    ambition_title: str
    committee_number: int
    committee_name: str
    committee_date: date
    committee_opinion: str
    president: Person
    act_signature: tuple[str, str, str]
    interested: tuple[Person, ...]
    initial_meeting: date
    initial_deliberation: str
    vus: tuple[str, ...]
    path: str
    table_date: date | None = None
    """The date printed on the financial table (004 annexe 3: « 26/02/2026 »), when given."""


@dataclass(frozen=True)
class Support:
    """One measure's households in a year (004, rapport « 2 887 ménages accompagnés ... »)."""

    measure: Measure
    households: int
    begun: int


@dataclass(frozen=True)
class Activity:
    year: int
    households: int
    supports: tuple[Support, ...]
    dsf_done: int
    gla_housings: int
    path: str
    computed_from: str | None = None  # the activity register the figures were computed from


def commission_path(root: Path, year: int) -> Path:
    return Path(root) / COMMISSIONS_DIR / f"{year}.yaml"


def activity_path(root: Path, year: int) -> Path:
    """The activity the pack of `year` cites: that of the year before (004: 2026 cites 2025)."""
    return Path(root) / ACTIVITE_DIR / f"{year - 1}.yaml"


def load_commission(root: Path, year: int) -> Commission:
    """The meeting of `year`, read and checked once per text of its file (the table, the pack, the
    amendments and the SCDL file of a build all cite it)."""
    path = commission_path(root, year)
    return _commission(path, year, _text(path))


@lru_cache(maxsize=8)
def _commission(path: Path, year: int, text: str) -> Commission:
    doc = _checked(path, text, "commission", year, "annee")
    data = doc.data
    avis, rapport, politique = data["avis_commission"], data["rapport"], data["politique"]
    signature, initial = data["signature_acte"], data["conventions_initiales"]
    return Commission(
        year=data["annee"],
        meeting=date.fromisoformat(data["reunion"]["date"]),
        deliberation=data["deliberation"]["numero"],
        report=rapport["numero"],
        report_services=(rapport["pole"], rapport["direction"], rapport["mission"]),
        pacte=politique["pacte"],
        ambition=politique["ambition"],
        ambition_title=politique["intitule_ambition"],
        committee_number=avis["numero"],
        committee_name=avis["nom"],
        committee_date=date.fromisoformat(avis["date"]),
        committee_opinion=avis["avis"],
        president=Person(data["president"]["civilite"], data["president"]["nom"]),
        act_signature=(signature["mention"], signature["qualite"], signature["nom"]),
        interested=tuple(Person(p["civilite"], p["nom"]) for p in data["elus_interesses"]["liste"]),
        initial_meeting=date.fromisoformat(initial["date_commission"]),
        initial_deliberation=initial["deliberation"],
        vus=tuple(vu["texte"] for vu in data["vus"]),
        path=str(doc.path),
        table_date=date.fromisoformat(data["tableau_financier"]["date"]) if "tableau_financier" in data
        else None,
    )


def load_activity(root: Path, year: int) -> Activity:
    """The activity of `year - 1`; the households of the measures must add up to the total."""
    doc = _read(activity_path(root, year), "activite", year - 1, "annee")
    data = doc.data
    supports = tuple(
        Support(Measure(s["mesure"]), s["menages_accompagnes"], s["mesures_debutees"])
        for s in data["accompagnements"]
    )
    _check_activity(doc, supports)
    return Activity(data["annee"], data["menages"], supports, data["dsf"]["realises"],
                    data["gla"]["logements_occupes"], str(doc.path))


def _read(path: Path, schema: str, year: int, year_field: str) -> YamlDocument:
    return _checked(path, _text(path), schema, year, year_field)


def _text(path: Path) -> str:
    if not path.is_file():
        raise InputError("fichier introuvable : le dossier de la Commission permanente en a "
                         "besoin ; partez du fichier d'une autre année et mettez-le à jour", path)
    return read_text(path, MAX_BYTES)


def _checked(path: Path, text: str, schema: str, year: int, year_field: str) -> YamlDocument:
    doc = parse_yaml(text, path)
    validate_document(doc, schema)
    if doc.data[year_field] != year:
        raise InputError(f"année {doc.data[year_field]} dans un fichier nommé {path.name} : "
                         f"attendu {year}", path, doc.line_of((year_field,)), year_field)
    return doc


def _check_activity(doc: YamlDocument, supports: tuple[Support, ...]) -> None:
    errors = []
    for index, support in enumerate(supports):
        where = ("accompagnements", index)
        if support.begun > support.households:
            errors.append(InputError(
                f"{support.begun} mesures débutées pour {support.households} ménages accompagnés : "
                "les mesures débutées font partie des ménages accompagnés (« dont »)",
                doc.path, doc.line_of((*where, "mesures_debutees")),
                f"accompagnements[{index}].mesures_debutees"))
    measures = [s.measure for s in supports]
    if len(measures) != len(set(measures)):
        errors.append(InputError("une mesure apparaît deux fois", doc.path,
                                 doc.line_of(("accompagnements",)), "accompagnements"))
    total = sum(s.households for s in supports)
    if total != doc.data["menages"]:
        errors.append(InputError(
            f"{doc.data['menages']} ménages, mais les accompagnements en comptent {total} : "
            "le total doit être la somme des ménages accompagnés (004 : 2 887 + 199 + 550 = 3 636)",
            doc.path, doc.line_of(("menages",)), "menages"))
    if errors:
        raise InputErrors(errors)
