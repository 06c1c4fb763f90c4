"""Annexe 2 of the deliberation: the model amendment, then the five measure-annex models.

The Commission votes the amendments « dans les termes du projet joint en annexe 2 » (004): the
model amendment (preamble, articles, signatures) and the AML, ASLL, FAL, GLA and DSF annex models
with their placeholders (« Nom Organisme », « Annexe N°X - Association », « XXXXXX € soit XX points
mensuels »). They are the amendments' own templates (templates/avenant.docx,
templates/annexe_<mesure>.docx) rendered with placeholders instead of an association's data, so
the model voted and the amendments signed are one text.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model import COLUMNS, Departement, Measure, Period
from engine.money import format_eur, format_percent
from engine.pack.commission import Commission
from engine.render.avenant import Templates, check_quoted_values, load_templates
from engine.render.avenant_context import (
    commission_fields,
    convention_fields,
    departement_fields,
    french_day,
)
from engine.render.docx_template import render_document
from engine.render.jinja import document_environment

ORDER = (Measure.AML, Measure.ASLL, Measure.FAL, Measure.GLA, Measure.DSF)
"""The order of 004 annexe 2 (and of the issue's brief)."""
NUMBER, COUNT, AMOUNT, TEXT = "X", "XX", "XXXXXX €", "XXXXXXXXXX"
ORGANISM, SIGNATORY = "Nom Organisme", {"qualite": "Le Qualité du signataire", "nom": "Prénom Nom"}
"""004 annexe 2's signature block: « Pour Nom Organisme, Le Qualité du signataire, Prénom Nom »."""


@dataclass(frozen=True)
class AnnexModel:
    measure: Measure
    document: object

    @property
    def stem(self) -> str:
        return f"4_annexe2_modele_avenant_{ORDER.index(self.measure) + 1}_annexe_{self.measure.value.lower()}"

    @property
    def bookmark(self) -> str:
        return f"Annexe 2 : modèle d'annexe {self.measure.value}"

    @property
    def footer(self) -> str:
        """Its own page numbers, under annexe 2 (not the amendment's « Avenant financier » footer)."""
        return f"Annexe 2 – modèle d'annexe {self.measure.value} – page {{PAGE}} / {{NUMPAGES}}"


def annex_models(conventions, year: int, templates: Templates | None = None) -> list[AnnexModel]:
    """The five annex models, rendered with placeholders, in the order of 004 annexe 2."""
    templates = templates or load_templates()
    env = document_environment()
    context = model_context(conventions.departement, year)
    models = []
    for measure in ORDER:
        template = templates.annexes[measure]
        check_quoted_values(conventions, year, template)
        models.append(AnnexModel(measure, render_document(template.data, context, env)))
    return models


def model_amendment(conventions, year: int, commission: Commission, templates: Templates | None = None):
    """The model amendment: templates/avenant.docx with the placeholders of 004 annexe 2 (the
    organism, its identity and convention date left to fill), citing this year's deliberation."""
    templates = templates or load_templates()
    context = amendment_context(conventions.departement, year, commission)
    return render_document(templates.avenant.data, context, document_environment())


def amendment_context(dep: Departement, year: int, commission: Commission) -> dict:
    """The fields of templates/avenant.docx, each holding the placeholder 004 prints for it."""
    unknown_day = {"jour": COUNT, "mois_annee": "XXXXXX XXXX", "numerique": "XX/XX/XXXX"}
    period = dep.required_period(year)
    return {
        "modele": True,
        "annee": year,
        "subvention": {"montant": AMOUNT, "avance": AMOUNT, "estimee": False,
                       "part_avance": format_percent(dep.advance_share)},
        "departement": departement_fields(dep),
        "convention": {**convention_fields(dep), "signee_le": unknown_day},
        "association": {"nom": ORGANISM, "designation": ORGANISM, "designation_debut": ORGANISM,
                        "slug": "modele", "signataire": SIGNATORY, "representant": None,
                        "adresse": None, "siret": None, "rna": None, "territoires": [TEXT]},
        "annexes": [],
        "numeros_annexes": [COUNT, COUNT],
        "taux": {c: _rate(dep, c, period) for c in COLUMNS},
        **commission_fields(commission),
    }


def model_context(dep: Departement, year: int) -> dict:
    """The fields of the annex templates, each holding the placeholder 004 prints for it."""
    periods = sorted((p for p in dep.periods if p.year <= year), key=lambda p: p.start)
    following = sorted((p for p in dep.periods if p.year > year), key=lambda p: p.start)
    period = dep.required_period(year)
    return {
        "annee": year,
        "association": {"nom": "Association", "territoires": [TEXT]},
        "convention": {"debut": french_day(dep.convention_start), "fin": french_day(dep.convention_end)},
        "annexe": {"numero": NUMBER, "periodes": [_period(p) for p in periods],
                   "annee_suivante": following[0].year if following else None},
        "taux": {c: _rate(dep, c, period) for c in COLUMNS},
    }


def _period(period: Period) -> dict:
    line = {"territoire": TEXT, "nombre": COUNT, "montant": AMOUNT,
            "nombres": dict.fromkeys(COLUMNS, COUNT)}
    column = {"nombre": COUNT, "montant": AMOUNT, "lignes": [line]}
    return {"annee": period.year, "debut": f"{period.start:%d/%m/%Y}", "fin": f"{period.end:%d/%m/%Y}",
            "montant": AMOUNT, "colonnes": {c: column for c in COLUMNS}, "lignes": [line]}


def _rate(dep: Departement, column: str, period: Period) -> str:
    value = dep.rates[column].in_force(period.start)
    return format_eur(value.amount) if value is not None else AMOUNT
