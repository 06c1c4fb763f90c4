"""One letter per association whose year was settled: « notification du solde » or « demande de
reversement », with the detail per measure, the payment clause and the Département's signature.

Rendered by docxtpl from templates/lettre_solde.docx in the project's sandboxed, escaping,
strict environment; a letter resting on an estimated allocation says « PROJET » on its face.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from docxtpl import DocxTemplate
from jinja2.exceptions import TemplateError as JinjaError

from engine import PROJECT_ROOT
from engine.errors import TemplateError
from engine.model import Association, Departement
from engine.money import NBSP, format_eur
from engine.render.jinja import DocumentEnvironment, MissingField, document_environment
from engine.render.reproducible import write_normalized
from engine.settlement import CapScope, Realised, Settlement, SettlementRules, Status

TEMPLATE = PROJECT_ROOT / "templates" / "lettre_solde.docx"
LETTERS_DIR = "lettres_solde"
LABELS = {"asll": "ASLL", "aml": "AML", "dsf": "DSF réalisés", "portes_closes": "DSF portes closes",
          "gla": "GLA", "fal": "FAL"}
NOTIFICATION, REFUND = "Notification du solde", "Demande de reversement"
ESTIMATED = "la subvention de l'association repose sur une allocation estimée, à confirmer ; " \
            "les montants de cette lettre sont provisoires"


def letter_filename(year: int, slug: str) -> str:
    return f"solde_{year}_{slug}.docx"


def write_letters(dep: Departement, associations: dict[str, Association], year: int,
                  settlements: tuple[Settlement, ...], rules: SettlementRules, folder: Path) -> list[Path]:
    """A DOCX per settled association (none for a missing grid: nothing was computed)."""
    folder.mkdir(parents=True, exist_ok=True)
    template, env = TEMPLATE.read_bytes(), document_environment()
    written = []
    for settlement in settlements:
        if settlement.status is not Status.CALCULE:
            continue
        context = letter_context(dep, associations[settlement.association], year, settlement, rules)
        path = folder / letter_filename(year, settlement.association)
        write_normalized(path, _render(template, context, env, settlement.association, year), year)
        written.append(path)
    return written


def letter_context(dep: Departement, association: Association, year: int, s: Settlement,
                   rules: SettlementRules) -> dict:
    refund = s.refund > 0
    return {
        "departement": {"nom": dep.name, "ville": dep.city, "service": dep.service,
                        "signataire": {"mention": list(dep.signatory.mention),
                                       "qualite": dep.signatory.title, "nom": dep.signatory.name}},
        "association": {"nom": association.name},
        "annee": year, "objet": REFUND if refund else NOTIFICATION,
        "projet": ESTIMATED if s.estimated else "",
        "clause": rules.clause,
        "lignes": [_line(r) for r in s.realised],
        "plafond_par_mesure": rules.cap is CapScope.MEASURE,
        "subvention": format_eur(s.subsidy), "avance": format_eur(s.advance),
        "part_avance": percent(dep.advance_share, 0), "part_solde": percent(dep.balance_share, 0),
        "plafond_solde": format_eur(s.subsidy * dep.balance_share),
        "realise": format_eur(s.total), "taux": percent(s.rate, 2),
        "remboursement_du": refund, "remboursement": format_eur(s.refund), "solde": format_eur(s.balance),
        "echeance_solde": french_date(date(year + 1, *rules.balance_due)),
    }


def _line(r: Realised) -> dict:
    quantity = format_decimal(r.quantity, format="#,##0", locale="fr_FR").replace("\u202f", NBSP)
    return {"libelle": LABELS[r.group], "quantite": quantity, "unite": r.unit,
            "montant": format_eur(r.amount), "maximum": format_eur(r.maximum),
            "retenu": format_eur(r.counted)}


def percent(value: Decimal, decimals: int) -> str:
    """0.6628 → `66,28 %`."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value * 100, format=pattern, locale="fr_FR").replace("\u202f", NBSP) + f"{NBSP}%"


def french_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="fr_FR")


def _render(template: bytes, context: dict, env: DocumentEnvironment, slug: str, year: int) -> bytes:
    docx = DocxTemplate(io.BytesIO(template))
    try:
        docx.render(context, jinja_env=env)
    except MissingField as exc:
        raise TemplateError(f"le modèle demande « {exc.field} », absent des données du solde de {slug}",
                            TEMPLATE.name, exc.field) from exc
    except JinjaError as exc:
        raise TemplateError(f"modèle illisible ({exc})", TEMPLATE.name) from exc
    props = docx.docx.core_properties
    props.created = props.modified = props.last_printed = datetime(year, 1, 1)
    buffer = io.BytesIO()
    docx.docx.save(buffer)
    return buffer.getvalue()
