"""The settlement's letters (engine/decisions.py): lettre préalable and refund decision, notification
of the balance, position without a payment recorded, mise en demeure to send the grid.

Rendered by docxtpl from templates/lettre_solde.docx in the project's sandboxed, escaping,
strict environment; a letter that cannot be signed yet says « PROJET » on its face, with why.
The addressee's address comes from the association's YAML, never guessed: absent, the letter
shows « adresse à compléter ».
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from docxtpl import DocxTemplate
from jinja2.exceptions import TemplateError as JinjaError

from engine import PROJECT_ROOT
from engine.activity import Payment
from engine.decisions import Letter, LetterDates, LetterKind, LetterRules
from engine.errors import TemplateError
from engine.model import Association, Departement
from engine.money import NBSP, format_eur, format_percent
from engine.render.jinja import DocumentEnvironment, MissingField, document_environment
from engine.render.reproducible import write_normalized
from engine.settlement import CapScope, Realised, Settlement, SettlementRules

TEMPLATE = PROJECT_ROOT / "templates" / "lettre_solde.docx"
LETTERS_DIR = "lettres_solde"
LABELS = {"asll": "ASLL", "aml": "AML", "dsf": "DSF réalisés", "portes_closes": "DSF portes closes",
          "gla": "GLA", "fal": "FAL"}
OBJECTS = {
    LetterKind.PREALABLE: "Lettre préalable à une demande de reversement",
    LetterKind.REVERSEMENT: "Décision de reversement",
    LetterKind.SOLDE: "Notification du solde",
    LetterKind.POSITION: "Position du solde, versement de l'avance non enregistré",
    LetterKind.MISE_EN_DEMEURE: "Mise en demeure de transmettre la grille d'activité",
}
BLANK_DATE = "………………"


@dataclass(frozen=True)
class LetterData:
    """What every letter of the year draws on besides its settlement."""

    departement: Departement
    associations: Mapping[str, Association]
    year: int
    rules: SettlementRules
    letter_rules: LetterRules
    deliberation: str  # « n°2026-173 de la Commission permanente du 26 mai 2026 »
    dates: LetterDates
    payments: tuple[Payment, ...] = ()


def letter_filename(year: int, slug: str, kind: LetterKind = LetterKind.SOLDE) -> str:
    """The main letter keeps `solde_YEAR_<slug>.docx`; a lettre préalable is `…_prealable.docx`."""
    suffix = "_prealable" if kind is LetterKind.PREALABLE else ""
    return f"solde_{year}_{slug}{suffix}.docx"


def write_letters(data: LetterData, letters: tuple[Letter, ...], folder: Path) -> list[Path]:
    """A DOCX per letter, named by association (and `_prealable` for a lettre préalable)."""
    folder.mkdir(parents=True, exist_ok=True)
    template, env = TEMPLATE.read_bytes(), document_environment()
    written = []
    for letter in letters:
        slug = letter.settlement.association
        context = letter_context(data, letter)
        path = folder / letter_filename(data.year, slug, letter.kind)
        write_normalized(path, _render(template, context, env, slug, data.year), data.year)
        written.append(path)
    return written


def letter_context(data: LetterData, letter: Letter) -> dict:
    dep, s, rules = data.departement, letter.settlement, data.rules
    return {
        "departement": {"nom": dep.name, "ville": dep.city, "service": dep.service,
                        "signataire": {"mention": list(dep.signatory.mention),
                                       "qualite": dep.signatory.title, "nom": dep.signatory.name}},
        "association": _addressee(data.associations[s.association]),
        "annee": data.year, "genre": letter.kind.value, "objet": OBJECTS[letter.kind],
        "decision": letter.decision, "reduit": letter.reduced,
        "reference": letter.reference, "reference_prealable": letter.prior_reference or "",
        "contact": dep.service, "date_lettre": _day(_dated(data.dates, letter.kind)),
        "prealable": _day(data.dates.prior_sent),
        "fin_observations": (f" (délai expiré le {french_date(letter.observations_until)})"
                             if letter.observations_until else ""),
        "projet": list(letter.draft), "deliberation": data.deliberation, "clause": rules.clause,
        **_figures(data, s), **_letter_rules(data.letter_rules),
    }


def _dated(dates: LetterDates, kind: LetterKind) -> date | None:
    """A lettre préalable already sent bears the day it was sent (the decision cites it)."""
    if kind is LetterKind.PREALABLE and dates.prior_sent is not None:
        return dates.prior_sent
    return dates.letters_on


def _addressee(association: Association) -> dict:
    person = association.representative
    return {"nom": association.name, "adresse": association.address or "",
            "representant": f"{person.title} {person.name}".strip() if person else ""}


def _figures(data: LetterData, s: Settlement) -> dict:
    dep, rules = data.departement, data.rules
    recorded, total, rate, balance = s.paid, s.total, s.rate, s.balance
    # settle() sets the realised lines, total, rate and balance together (Status.CALCULE)
    computed = s.realised is not None and total is not None and rate is not None and balance is not None
    paid = [p for p in data.payments if p.association == s.association]
    advance = (f"versée : {format_eur(recorded)}" if recorded is not None
               else f"avance due : {format_eur(s.advance)}, versement non enregistré")
    return {
        "lignes": [_line(r) for r in s.realised or ()],
        "plafond_par_mesure": rules.cap is CapScope.MEASURE,
        "subvention": format_eur(s.subsidy), "avance": format_eur(s.advance),
        "avance_versee": format_eur(recorded) if recorded is not None else "",
        "avance_texte": advance, "mandats": _mandates(paid),
        "part_avance": format_percent(dep.advance_share), "part_solde": format_percent(dep.balance_share),
        "plafond_solde": format_eur(s.subsidy * dep.balance_share),
        "realise": format_eur(total) if computed and total is not None else "",
        "taux": format_percent(rate, 2) if computed and rate is not None else "",
        "remboursement": format_eur(s.refund) if s.refund is not None else "",
        "solde": format_eur(balance) if computed and balance is not None else "",
        "position_solde": computed and total is not None and total >= s.advance,
        "total_verse": format_eur(s.base + balance) if computed and balance is not None else "",
        "echeance_solde": french_date(date(data.year + 1, *rules.balance_due)),
    }


def _letter_rules(lr: LetterRules) -> dict:
    return {"delai_observations": lr.observation_days, "delai_mise_en_demeure": lr.notice_days,
            "grille_echeance": lr.grid_due,
            "recours": {"delai": lr.appeal_months, "gracieux": lr.gracious_authority,
                        "tribunal": lr.court, "telerecours": lr.telerecours},
            "titre": {"ordonnateur": lr.authorising_officer, "comptable": lr.accountant}}


def _mandates(payments: list[Payment]) -> str:
    """« mandat 2026-M011 du 3 juillet 2026 » (one per payment, in the file's order)."""
    return " ; ".join(f"mandat {p.mandate} du {french_date(p.day)} : {format_eur(p.amount)}"
                      for p in payments)


def _line(r: Realised) -> dict:
    quantity = format_decimal(r.quantity, format="#,##0", locale="fr_FR").replace("\u202f", NBSP)
    rate = f" × {format_eur(r.rate)}" if r.rate is not None else ""
    per = f" / {r.per}" if r.per != 1 else ""
    return {"libelle": LABELS[r.group], "quantite": quantity, "unite": r.unit,
            "calcul": f"{quantity} {r.unit}{rate}{per}",
            "montant": format_eur(r.amount), "maximum": format_eur(r.maximum),
            "retenu": format_eur(r.counted)}


def french_date(day: date) -> str:
    """`26 mai 2026`, `1er février 2027` (the first of a month is written « 1er »)."""
    text = format_date(day, "d MMMM y", locale="fr_FR")
    return "1er" + text[1:] if day.day == 1 else text


def _day(day: date | None) -> str:
    return BLANK_DATE if day is None else french_date(day)


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
