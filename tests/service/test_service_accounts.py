"""Accounts: stored with an argon2 hash, listed, deactivated, re-passworded; weak passwords refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engine.service import accounts
from engine.service.accounts import AccountError, Actor, Role, password_matches, password_problem
from engine.service.database import open_database
from engine.service.models import JournalRow

GOOD = "une phrase de passe longue"
ACTOR = Actor("console:test", datetime(2026, 12, 8, 9, 30, tzinfo=UTC))


@pytest.mark.parametrize("password, expected", [
    ("court", "mot de passe trop court (5 caractères) : il en faut au moins 12"),
    ("onzecaracte", "mot de passe trop court (11 caractères)"),
    ("password1234", "mot de passe trop courant"),
    ("AzertyUiop123", "mot de passe trop courant"),  # the list is compared regardless of case
    ("motdepasse2026", "mot de passe trop courant"),
    ("jdupont-au-service", "mot de passe refusé : il contient l'identifiant du compte"),
])
def test_weak_passwords_are_refused_with_a_french_reason(password, expected):
    assert password_problem(password, "jdupont").startswith(expected)


@pytest.mark.parametrize("password", ["douzecaracte", GOOD, "Tr0mbone-à-coulisse"])
def test_passwords_of_twelve_characters_not_in_the_list_are_accepted(password):
    assert password_problem(password, "jdupont") is None


def test_the_common_password_list_holds_hundreds_of_entries():
    assert len(accounts._common_passwords()) >= 300


@pytest.fixture
def session(database_url):
    sessions = open_database(database_url)
    with sessions.begin() as session:
        yield session
    sessions.kw["bind"].dispose()


def test_an_account_is_stored_with_an_argon2_hash_and_journaled(session):
    user = accounts.add(session, ACTOR, "jdupont", Role.AGENT, GOOD, name="Jeanne DUPONT")
    assert user.mot_de_passe.startswith("$argon2id$") and GOOD not in user.mot_de_passe
    assert password_matches(user, GOOD) and not password_matches(user, GOOD + "x")
    [row] = session.scalars(select(JournalRow))
    assert (row.utilisateur, row.action, row.objet, row.horodatage) == (
        "console:test", "utilisateur.ajout", "jdupont", "2026-12-08T09:30:00.000000Z")
    assert GOOD not in row.detail and "Jeanne" not in row.detail


def test_listing_deactivating_and_changing_a_password(session):
    accounts.add(session, ACTOR, "mmartin", Role.LECTURE, GOOD)
    accounts.add(session, ACTOR, "acarlogi", Role.ASSOCIATION, GOOD, association="acarlogi",
                 known_associations={"acarlogi"})
    assert [(u.identifiant, u.role, u.association, u.actif) for u in accounts.listed(session)] == [
        ("acarlogi", "association", "acarlogi", True), ("mmartin", "lecture", None, True)]
    accounts.deactivate(session, ACTOR, "mmartin")
    assert accounts.find(session, "mmartin").actif is False
    with pytest.raises(AccountError, match="déjà désactivé"):
        accounts.deactivate(session, ACTOR, "mmartin")
    accounts.set_password(session, ACTOR, "acarlogi", "un tout autre secret")
    assert password_matches(accounts.find(session, "acarlogi"), "un tout autre secret")
    actions = list(session.scalars(select(JournalRow.action).order_by(JournalRow.id)))
    assert actions == ["utilisateur.ajout", "utilisateur.ajout", "utilisateur.desactivation",
                       "utilisateur.mot_de_passe"]


@pytest.mark.parametrize("login, role, association, message", [
    ("jdupont", Role.AGENT, None, "cet identifiant existe déjà"),
    ("Jean Dupont", Role.AGENT, None, "identifiant « Jean Dupont » invalide"),
    ("asso", Role.ASSOCIATION, None, "le rôle association demande --association SLUG"),
    ("asso", Role.ASSOCIATION, "inconnue", "association « inconnue » inconnue des conventions"),
    ("agent2", Role.AGENT, "acarlogi", "--association ne va qu'avec le rôle association"),
])
def test_refused_accounts_write_nothing(session, login, role, association, message):
    accounts.add(session, ACTOR, "jdupont", Role.AGENT, GOOD)
    with pytest.raises(AccountError, match=message):
        accounts.add(session, ACTOR, login, role, GOOD, association=association,
                     known_associations={"acarlogi"})
    assert len(accounts.listed(session)) == 1
    assert session.scalar(select(func.count()).select_from(JournalRow)) == 1


def test_a_weak_password_refuses_the_account(session):
    with pytest.raises(AccountError, match="^utilisateur jdupont : mot de passe trop court"):
        accounts.add(session, ACTOR, "jdupont", Role.AGENT, "court")
    assert accounts.listed(session) == []


def test_an_unknown_account_is_named(session):
    with pytest.raises(AccountError, match="utilisateur personne : compte inconnu"):
        accounts.deactivate(session, ACTOR, "personne")
