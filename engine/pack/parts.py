"""The five parts of the Commission permanente pack (004): deliberation, report, annexes 1 to 3.

Each part is a template of `templates/pack/` (its French prose) rendered with the year's data;
the report adds the chart, annexe 3 is the financial table of `fsl table`, split by measure so
that it reads at 9 pt (`pack.annex3`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from docx.shared import Cm

from engine.finance import Table
from engine.model import Conventions
from engine.open_points import figure_points
from engine.pack.annex3 import annex3_document
from engine.pack.annex3 import titles as annex3_titles
from engine.pack.annex_models import model_amendment
from engine.pack.assemble import Anchor
from engine.pack.chart import chart_png
from engine.pack.commission import Activity, Commission
from engine.pack.document import apply_settings, fix_properties, portrait
from engine.pack.markup import Markup, parse, write
from engine.pack.prose import render
from engine.render.draft import mark_draft


@dataclass(frozen=True)
class PackData:
    """Everything a part needs: the conventions, the year's table, the meeting, last year's activity."""

    conventions: Conventions
    table: Table
    commission: Commission
    activity: Activity

    @property
    def year(self) -> int:
        return self.table.year


@dataclass(frozen=True)
class Part:
    """One document of the pack: its file stem, template and how its body is laid out."""

    stem: str
    template: str
    build: Callable[[PackData, Markup], object]
    anchors: Callable[[PackData], tuple[Anchor, ...]] = lambda data: ()
    """The outline entries under the part's bookmark (say, one per association)."""


@dataclass(frozen=True)
class RenderedPart:
    part: Part
    document: object
    bookmark: str
    title: str
    markup: Markup
    anchors: tuple[Anchor, ...] = ()


def author(data: PackData) -> str:
    return f"Département du {data.conventions.departement.name}"


def render_part(part: Part, data: PackData, context: dict) -> RenderedPart:
    markup = parse(render(part.template, context), part.template)
    document = part.build(data, markup)
    apply_settings(document, markup)
    bookmark = markup.settings.get("signet") or part.stem
    doc_title = markup.settings.get("titre") or bookmark
    fix_properties(document, doc_title, author(data), data.year)
    mark_draft(document, figure_points(data.conventions, data.year), data.conventions.root,
               listed=part is PARTS[-1])
    return RenderedPart(part, document, bookmark, doc_title, markup, part.anchors(data))


def _text_only(data: PackData, markup: Markup):
    document = portrait()
    write(document, markup, {})
    return document


def _report(data: PackData, markup: Markup):
    document = portrait()
    png = chart_png(data.conventions.departement, data.table)

    def chart(doc) -> None:
        doc.add_picture(io.BytesIO(png), width=Cm(16))

    write(document, markup, {"graphique": chart})
    return document


def _model_amendment(data: PackData, markup: Markup):
    """Annexe 2: the amendment's own template with 004's placeholders (what is signed), under
    the annex's running header instead of the amendment's footer."""
    document = model_amendment(data.conventions, data.year, data.commission)
    write(document, markup, {})
    return document


def _associations_anchors(data: PackData) -> tuple[Anchor, ...]:
    """Annexe 1: an outline entry per association, at its line of the list."""
    return tuple(Anchor(b.association.name, b.association.name) for b in data.table.blocks)


def _annexe3(data: PackData, markup: Markup):
    document = annex3_document(data.conventions.departement, data.table, data.commission.table_date)
    write(document, markup, {})
    return document


def _measure_anchors(data: PackData) -> tuple[Anchor, ...]:
    """Annexe 3: an outline entry per table (the summary, then each measure)."""
    return tuple(Anchor(title, title) for title in annex3_titles(data.conventions.departement))


PARTS: tuple[Part, ...] = (
    Part("1_deliberation", "deliberation.j2", _text_only),
    Part("2_rapport", "rapport.j2", _report),
    Part("3_annexe1_conventions", "annexe1.j2", _text_only, _associations_anchors),
    Part("4_annexe2_modele_avenant", "annexe2.j2", _model_amendment),
    Part("5_annexe3_tableau_financier", "annexe3.j2", _annexe3, _measure_anchors),
)


def context(data: PackData) -> dict:
    """The names the templates use (French, as the service reads them)."""
    dep, commission, activity = data.conventions.departement, data.commission, data.activity
    period = data.table.period
    return {
        "annee": data.year,
        "departement": dep.name,
        "ville": dep.city,
        "reunion": commission.meeting,
        "deliberation": commission.deliberation,
        "rapport": {"numero": commission.report, "services": commission.report_services},
        "politique": {"pacte": commission.pacte, "ambition": commission.ambition,
                      "intitule": commission.ambition_title},
        "avis": {"numero": commission.committee_number, "nom": commission.committee_name,
                 "date": commission.committee_date, "avis": commission.committee_opinion},
        "president": {"civilite": commission.president.civilite, "nom": commission.president.nom},
        "signature_acte": dict(zip(("mention", "qualite", "nom"), commission.act_signature,
                                   strict=True)),
        "elus_interesses": [{"civilite": p.civilite, "nom": p.nom} for p in commission.interested],
        "vus": list(commission.vus),
        "conventions_initiales": {"date": commission.initial_meeting,
                                  "deliberation": commission.initial_deliberation},
        "associations": _associations(data),
        "nombre_associations": len(data.table.blocks),
        "convention": {"debut": dep.convention_start, "fin": dep.convention_end},
        "periode": {"debut": period.start, "fin": period.end},
        "annees_avenants": [p.year for p in dep.periods if p.start > dep.convention_start],
        "activite": _activity(activity),
        "total": data.table.total,
        "signataire_departement": {"mention": list(dep.signatory.mention),
                                   "qualite": dep.signatory.title, "nom": dep.signatory.name},
    }


def _associations(data: PackData) -> list[dict]:
    """Annexe 1: the associations of the year's table, with their territories and signature date."""
    dep = data.conventions.departement
    out = []
    for block in data.table.blocks:
        association = block.association
        names = [(place.name if (place := dep.territory(t)) else t) for t in association.territories]
        out.append({"nom": association.name, "territoires": names,
                    "date_signature": association.convention_signed_on})
    return out


def _activity(activity: Activity) -> dict:
    return {
        "annee": activity.year,
        "menages": activity.households,
        "accompagnements": [{"mesure": s.measure.value, "menages": s.households, "debutees": s.begun}
                            for s in activity.supports],
        "dsf": activity.dsf_done,
        "gla": activity.gla_housings,
        "registre": activity.computed_from is not None,
    }
