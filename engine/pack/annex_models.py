"""Annexe 2 of the deliberation, after the model amendment: the five measure-annex models.

The Commission votes the amendments « dans les termes du projet joint en annexe 2 » (004), and
annexe 2 holds, after the model amendment, the AML, ASLL, FAL, GLA and DSF annex models with
their placeholders (« Annexe N°X - Association », « XXXXXX € soit XX points mensuels »). They are
the amendments' own annex templates (templates/annexe_<mesure>.docx) rendered with placeholders
instead of an association's figures, so the model voted and the annexes signed are one text.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model import COLUMNS, Departement, Measure, Period
from engine.money import format_eur
from engine.render.avenant import Templates, check_quoted_values, load_templates
from engine.render.avenant_context import french_day
from engine.render.docx_template import render_document
from engine.render.jinja import document_environment

ORDER = (Measure.AML, Measure.ASLL, Measure.FAL, Measure.GLA, Measure.DSF)
"""The order of 004 annexe 2 (and of the issue's brief)."""
NUMBER, COUNT, AMOUNT, TEXT = "X", "XX", "XXXXXX €", "XXXXXXXXXX"


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


def model_context(dep: Departement, year: int) -> dict:
    """The fields of the annex templates, each holding the placeholder 004 prints for it."""
    periods = sorted((p for p in dep.periods if p.year <= year), key=lambda p: p.start)
    following = sorted((p for p in dep.periods if p.year > year), key=lambda p: p.start)
    period = dep.period(year)
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
