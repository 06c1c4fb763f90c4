"""SIRET as SIRENE issues them (engine/identifiers.py): both Luhn keys, La Poste's exception."""

from __future__ import annotations

import pytest
from stdnum import luhn

from engine.identifiers import siret_problem
from tests.conftest import sirene_siret

ACCEPTED = [
    ("73282932000074", "SIREN and SIRET keys right"),
    ("35600000000048", "La Poste's head office: Luhn key"),
    ("35600000049837", "a La Poste establishment: digits add up to 45, the Luhn key is wrong"),
]
REFUSED = [
    ("73282932100072", "la clé du SIREN 732829321"),  # the 14-digit Luhn key is right
    ("73282932000075", "sa clé de contrôle (14 chiffres) est fausse"),
    ("35600000000055", "sa clé de contrôle (14 chiffres) est fausse"),  # Luhn right, sum 19
    ("7328293200007", "14 chiffres attendus"),
    ("7328293200007٤", "14 chiffres attendus"),  # an Arabic-Indic digit is not a digit of SIRENE
]


@pytest.mark.parametrize(("siret", "why"), ACCEPTED)
def test_a_siret_sirene_issues_is_accepted(siret: str, why: str) -> None:
    assert siret_problem(siret) is None, why


@pytest.mark.parametrize(("siret", "message"), REFUSED)
def test_a_siret_sirene_cannot_issue_is_refused_saying_which_key(siret: str, message: str) -> None:
    assert message in (siret_problem(siret) or "")


def test_the_wrong_siren_case_passes_the_hand_written_check_it_replaces() -> None:
    """The old check (engine/scdl.py) took only the 14-digit key: this SIRET passed it."""
    assert luhn.is_valid("73282932100072") and not luhn.is_valid("732829321")


def test_the_tests_own_sirets_are_ones_sirene_could_issue() -> None:
    sirets = [sirene_siret(index) for index in range(1, 60)]
    assert len(set(sirets)) == len(sirets)
    assert all(siret_problem(s) is None for s in sirets)
