"""The settlement's letters (engine/decisions.py, engine/render/solde_letter.py): which letter each
settlement leads to, when it is still a PROJET, and what a decision must say to be contestable."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from engine.decisions import LetterDates, LetterKind, letters_for
from engine.load.settlement_rules import load_letter_rules, load_settlement_rules
from engine.model import Signatory
from engine.render.solde_letter import LetterData, letter_filename, write_letters
from engine.settlement import Realised, Settlement, Status
from engine.solde import deliberation_text
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS

D = Decimal
ASLL = Realised("asll", D(840), "points × mois", D("72198.00"), D("103140.00"), D("72198.00"), (), D("85.95"))


ZERO, REALISED = D("0.00"), D("98511.00")
UNDATED = LetterDates()


def settlement(paid=None, refund=None, balance=ZERO, status=Status.CALCULE, total=REALISED,
               slug="acarlogi", estimated=False) -> Settlement:
    if status is Status.GRILLE_ABSENTE:
        return Settlement(slug, status, D("148625.00"), D("104037.50"), estimated, paid=paid)
    return Settlement(slug, status, D("148625.00"), D("104037.50"), estimated, (ASLL,), total, D("0.6628"),
                      balance, refund, paid)


@pytest.fixture(scope="module")
def rules():
    return load_letter_rules(CONVENTIONS)


def kinds(letters):
    return [letter.kind for letter in letters]


def test_no_payment_recorded_gives_a_position_never_a_refund(rules):
    letters = letters_for((settlement(),), 2026, {"acarlogi"}, LetterDates(), rules)
    assert kinds(letters) == [LetterKind.POSITION] and not letters[0].decision


def test_a_refund_starts_with_a_prior_letter_then_the_decision(rules):
    s = settlement(paid=D("104037.50"), refund=D("5526.50"))
    prior, decision = letters_for((s,), 2026, {"acarlogi"}, LetterDates(), rules)
    assert (prior.kind, decision.kind) == (LetterKind.PREALABLE, LetterKind.REVERSEMENT)
    assert prior.draft == () and not prior.decision
    assert decision.prior_reference == prior.reference == "SPSLH/FSL/SOLDE/2026/01-P"
    assert decision.reference == "SPSLH/FSL/SOLDE/2026/01-R"
    assert "lettre préalable n'est pas encore envoyée" in decision.draft[0]


def test_the_decision_is_projet_until_the_observation_delay_is_over(rules):
    s = settlement(paid=D("104037.50"), refund=D("5526.50"))
    early = letters_for((s,), 2026, {"acarlogi"}, LetterDates(date(2027, 2, 10), date(2027, 2, 1)), rules)[1]
    assert early.observations_until == date(2027, 2, 16) and "16/02/2027" in early.draft[0]
    late = letters_for((s,), 2026, {"acarlogi"}, LetterDates(date(2027, 2, 17), date(2027, 2, 1)), rules)[1]
    assert late.draft == ()


def test_letters_are_projet_while_the_amendment_is_not_recorded_signed(rules):
    letters = letters_for((settlement(paid=D("104037.50"), balance=D("100.00"), refund=D("0.00")),),
                          2026, set(), LetterDates(), rules)
    assert kinds(letters) == [LetterKind.SOLDE] and "avenant 2026" in letters[0].draft[0]


def test_no_grid_gives_a_formal_notice(rules):
    absent = settlement(status=Status.GRILLE_ABSENTE)
    letters = letters_for((absent,), 2026, {"acarlogi"}, LetterDates(), rules)
    assert kinds(letters) == [LetterKind.MISE_EN_DEMEURE] and letters[0].reference.endswith("-M")


def test_a_balance_below_the_maximum_is_a_reduced_decision(rules):
    full = settlement(paid=D("104037.50"), balance=D("44587.50"), refund=D("0.00"), total=D("148625.00"))
    short = settlement(paid=D("104037.50"), balance=D("100.00"), refund=D("0.00"), total=D("104137.50"))
    a, b = letters_for((full, short), 2026, {"acarlogi"}, LetterDates(), rules)
    assert a.decision and not a.reduced and b.decision and b.reduced


@pytest.fixture(scope="module")
def data(rules):
    conventions = load_conventions(CONVENTIONS).conventions
    deliberation, _ = deliberation_text(CONVENTIONS, 2026)
    associations = {a.slug: a for a in conventions.associations}
    return conventions, LetterData(conventions.departement, associations, 2026,
                                   load_settlement_rules(CONVENTIONS), rules, deliberation, LetterDates())


def render(tmp_path, data, settlements, signed=("acarlogi",), dates=UNDATED, address=None):
    conventions, letter_data = data
    associations = dict(letter_data.associations)
    if address:
        president = Signatory("La Présidente", "Marie DUPONT")
        associations["acarlogi"] = dataclasses.replace(associations["acarlogi"], address=address,
                                                       representative=president)
    letter_data = dataclasses.replace(letter_data, associations=associations, dates=dates)
    letters = letters_for(settlements, 2026, set(signed), dates, letter_data.letter_rules)
    write_letters(letter_data, letters, tmp_path)
    return {letter.kind: _text(tmp_path / letter_filename(2026, "acarlogi", letter.kind))
            for letter in letters}


def _text(path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts).replace("\u202f", " ").replace("\xa0", " ").replace("\u2011", "-")


RECOURSE = ("Voies et délais de recours", "recours gracieux",
            "Président du Conseil départemental du Pas-de-Calais", "tribunal administratif de Lille",
            "2 mois à compter de sa notification", "Télérecours citoyens", "www.telerecours.fr")


def test_refund_letters_carry_address_motivation_clause_titre_and_recourse(tmp_path, data):
    s = settlement(paid=D("104037.50"), refund=D("5526.50"))
    texts = render(tmp_path, data, (s,), dates=LetterDates(date(2027, 2, 20), date(2027, 2, 1)),
                   address="12 rue de la Paix, 62300 Lens")
    prior, decision = texts[LetterKind.PREALABLE], texts[LetterKind.REVERSEMENT]
    for text in (prior, decision):
        assert "12 rue de la Paix, 62300 Lens" in text
        assert "À l'attention de La Présidente Marie DUPONT" in text
        assert "adresse à compléter" not in text
        assert "Affaire suivie par : Service des Politiques Sociales du Logement et de l'Habitat" in text
        assert "840 points × mois × 85,95 €" in text and "72 198,00 €" in text  # counts × rate = amount
        assert "n°2026-173 de la Commission permanente du 26 mai 2026" in text
        assert "70 % dans le mois qui suit la signature" in text and "5 526,50 €" in text
        assert "PROJET" not in text
    assert "Arras, le 1er février 2027" in prior and "Arras, le 20 février 2027" in decision
    assert "présenter vos observations écrites" in prior and "15 jours à compter de la réception" in prior
    assert "L.121-1 et L.122-1" in prior and "Voies et délais de recours" not in prior
    assert "Par lettre du 1er février 2027 (référence SPSLH/FSL/SOLDE/2026/01-P)" in decision
    assert "délai expiré le 16 février 2027" in decision
    assert "Un titre de recettes de 5 526,50 € sera émis" in decision
    assert "le Président du Conseil départemental, ordonnateur" in decision
    assert "auprès du Payeur départemental du Pas-de-Calais, à réception de ce titre" in decision
    assert "et non avant" in decision
    assert all(words in decision for words in RECOURSE)


def test_notification_of_a_reduced_balance_is_motivated_and_contestable(tmp_path, data):
    s = settlement(paid=D("104037.50"), balance=D("100.00"), refund=D("0.00"), total=D("104137.50"))
    text = render(tmp_path, data, (s,))[LetterKind.SOLDE]
    assert "Solde à verser : 100,00 €" in text and "arrêté à 104 137,50 €" in text
    assert "inférieur à la subvention maximum de 148 625,00 €" in text and "× 85,95 €" in text
    assert all(words in text for words in RECOURSE)
    assert "[adresse à compléter]" in text  # never invented: the YAML has no address


def test_without_payment_the_letter_says_what_is_missing_and_asks_no_refund(tmp_path, data):
    text = render(tmp_path, data, (settlement(),))[LetterKind.POSITION]
    assert "avance due, versement non enregistré" in text and "Ce qui manque pour arrêter le solde" in text
    assert "aucun reversement ne vous est demandé" in text and "n'est pas une décision" in text
    assert "Montant à reverser" not in text and "titre de recettes" not in text.lower()


def test_no_grid_letter_is_a_formal_notice_with_its_delay(tmp_path, data):
    text = render(tmp_path, data, (settlement(status=Status.GRILLE_ABSENTE),))[LetterKind.MISE_EN_DEMEURE]
    assert "Je vous mets donc en demeure de transmettre votre grille d'activité 2026" in text
    assert "dans un délai de 15 jours à compter de la réception" in text
    assert "1er février de l'année N + 1" in text
    assert "Réalisé en 2026" not in text  # no table: nothing was computed


def test_projet_marker_while_the_amendment_is_unsigned(tmp_path, data):
    s = settlement(paid=D("104037.50"), balance=D("44587.50"), refund=D("0.00"), total=D("148625.00"))
    text = render(tmp_path, data, (s,), signed=())[LetterKind.SOLDE]
    assert "PROJET" in text
    assert "l'avenant 2026 sur lequel elle repose n'est pas enregistré comme signé" in text
    signed = render(tmp_path, data, (s,))[LetterKind.SOLDE]
    assert "PROJET" not in signed


def test_an_amendment_counts_as_signed_only_with_both_signatures(tmp_path):
    from engine.solde import amendment_signatures
    (tmp_path / "documents.csv").write_text(
        "document_id;mesure_id;association;type_document;periode;date_reception;fichier;signataires_declares\n"
        "AV-1;;acarlogi;avenant;2026;2026-06-10;;departement|association\n"
        "AV-2;;audasse;avenant;2026;2026-06-11;;association\n"
        "AV-3;;demain;avenant;2025;2025-06-11;;departement|association\n", encoding="utf-8")
    assert amendment_signatures(tmp_path, 2026) == {"acarlogi": date(2026, 6, 10)}
