"""`fsl utilisateurs …`: exit codes and French sentences, the password read from stdin or a hidden prompt."""

from __future__ import annotations

import pytest

GOOD = "une phrase de passe longue"


def test_ajouter_lister_desactiver_mot_de_passe(database_url, fsl):
    result = fsl("utilisateurs", "ajouter", "jdupont", "--role", "responsable", "--nom", "Jeanne DUPONT",
                 "--mot-de-passe-stdin", stdin=GOOD + "\n")
    assert (result.code, result.out, result.err) == (0, "Compte jdupont créé : rôle responsable.\n", "")
    assert fsl("utilisateurs", "desactiver", "jdupont").out == "Compte jdupont désactivé.\n"
    changed = fsl("utilisateurs", "mot-de-passe", "jdupont", "--mot-de-passe-stdin",
                  stdin="un autre secret long\n")
    assert changed.out == "Mot de passe du compte jdupont changé.\n"
    lines = fsl("utilisateurs", "lister").out.splitlines()
    assert lines[0].split() == ["identifiant", "rôle", "association", "nom", "état", "créé", "le"]
    assert lines[1].split()[:6] == ["jdupont", "responsable", "-", "Jeanne", "DUPONT", "désactivé"]


def test_lister_with_no_account_says_how_to_create_the_first(database_url, fsl):
    shown = fsl("utilisateurs", "lister").out
    assert shown.startswith("Aucun compte (« fsl utilisateurs ajouter IDENTIFIANT")


def test_an_association_account_needs_a_slug_known_to_the_conventions(database_url, fsl, small_conventions):
    base = ("utilisateurs", "ajouter", "alpha1", "--role", "association", "--mot-de-passe-stdin",
            "--conventions", str(small_conventions))
    unknown = fsl(*base, "--association", "acarlogi", stdin=GOOD + "\n")
    assert unknown.code == 1
    assert unknown.err.startswith("utilisateur alpha1 : association « acarlogi » inconnue des conventions")
    missing = fsl(*base, stdin=GOOD + "\n")
    assert missing.code == 1 and "le rôle association demande --association SLUG" in missing.err
    slug = sorted(p.stem for p in (small_conventions / "associations").glob("*.yaml"))[0]
    made = fsl(*base, "--association", slug, stdin=GOOD + "\n")
    assert made.code == 0 and made.out == f"Compte alpha1 créé : rôle association ({slug}).\n"


@pytest.mark.parametrize("password, sentence", [
    ("court", "utilisateur jdupont : mot de passe trop court (5 caractères) : il en faut au moins 12"),
    ("azertyuiop123", "utilisateur jdupont : mot de passe trop courant"),
    ("", "utilisateur jdupont : aucun mot de passe lu sur l'entrée standard."),
])
def test_a_refused_password_is_a_french_sentence_and_exit_1(database_url, fsl, password, sentence):
    result = fsl("utilisateurs", "ajouter", "jdupont", "--role", "agent", "--mot-de-passe-stdin",
                 stdin=password + "\n")
    assert result.code == 1 and result.err.startswith(sentence) and result.out == ""
    assert "Traceback" not in result.err
    assert fsl("utilisateurs", "lister").out.startswith("Aucun compte")
    assert fsl("journal").out == "Journal vide.\n"


def test_without_a_terminal_nor_stdin_option_the_password_is_not_prompted(database_url, fsl):
    result = fsl("utilisateurs", "ajouter", "jdupont", "--role", "agent")
    assert result.code == 1
    assert ("pas de terminal pour la saisie masquée du mot de passe : ajoutez --mot-de-passe-stdin"
            in result.err)


def test_the_hidden_prompt_asks_twice_and_refuses_two_different_answers(database_url, fsl, monkeypatch):
    answers = iter([GOOD, GOOD + " mais autre"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    result = fsl("utilisateurs", "ajouter", "jdupont", "--role", "agent", terminal=True)
    assert result.code == 1 and "les deux saisies du mot de passe diffèrent" in result.err


def test_the_hidden_prompt_creates_the_account_when_both_answers_agree(database_url, fsl, monkeypatch):
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or GOOD)
    result = fsl("utilisateurs", "ajouter", "jdupont", "--role", "lecture", terminal=True)
    assert result.code == 0, result.err
    assert prompts == ["Mot de passe de jdupont : ", "Une seconde fois, pour confirmer : "]


@pytest.mark.parametrize("command, sentence", [
    (("utilisateurs", "desactiver", "personne"), "utilisateur personne : compte inconnu"),
    (("utilisateurs", "mot-de-passe", "personne", "--mot-de-passe-stdin"),
     "utilisateur personne : compte inconnu"),
])
def test_an_unknown_login_is_exit_1(database_url, fsl, command, sentence):
    result = fsl(*command, stdin=GOOD + "\n")
    assert result.code == 1 and result.err.startswith(sentence)


def test_usage_errors_are_french_and_exit_2(fsl):
    result = fsl("utilisateurs", "ajouter", "jdupont", "--role", "chef")
    assert result.code == 2
    assert ("choix « chef » invalide (possibles : 'agent', 'responsable', 'lecture', 'association')"
            in result.err)
    assert fsl("utilisateurs").code == 2
