"""`fsl regles`: every rule of both rules sets with its clause and what it reads, every obligation
left unchecked with its reason; `--json` carries the same content."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from engine.checker.catalogue import describe
from engine.checker.ruleset import load_ruleset
from engine.cli import main
from engine.rules import Check

RULES_SETS = ("pas-de-calais", "cea")


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["regles", *argv])
    return status, out.getvalue()


@pytest.mark.parametrize("name", RULES_SETS)
def test_text_lists_every_rule_and_every_unchecked_obligation(name: str) -> None:
    ruleset = load_ruleset(name)
    status, text = _run("--regles", name)
    assert status == 0
    for rule in ruleset.rules:
        assert f"{rule.id} — {rule.label}" in text
        assert f"clause : {rule.source}" in text
    assert ruleset.unchecked, "non_controle vide"
    for item in ruleset.unchecked:
        assert f"- {item.obligation}\n    clause : {item.source}\n    raison : {item.reason}" in text


@pytest.mark.parametrize("name", RULES_SETS)
def test_json_has_the_same_content(name: str) -> None:
    ruleset = load_ruleset(name)
    status, text = _run("--regles", name, "--json")
    assert status == 0
    data = json.loads(text)
    assert [(r["id"], r["libelle"], r["source"]) for r in data["controles"]] == \
        [(r.id, r.label, r.source) for r in ruleset.rules]
    assert data["non_controle"] == [{"obligation": u.obligation, "source": u.source, "raison": u.reason}
                                    for u in ruleset.unchecked]
    _, plain = _run("--regles", name)
    for rule in data["controles"]:
        for value in rule["besoins"]["evenements"] + rule["besoins"]["pieces"]:
            assert value in plain


def test_the_visit_place_is_named_as_unchecked() -> None:
    _, text = _run()
    assert "le lieu de la visite n'est pas dans le registre" in text


def test_needs_are_derived_from_the_rule_definition() -> None:
    rules = {r.id: r for r in load_ruleset("pas-de-calais").rules}
    cet = describe(rules["ASLL-CET"])
    assert ("date_decision" in cet.columns, cet.documents, cet.signatories) == \
        (True, ("cet",), ("association", "instructeur", "menage"))
    doors = describe(rules["ASLL-PORTES-CLOSES"])
    assert doors.events == ("porte_close", "notification_slisl", "visite")
    visits = describe(rules["ASLL-VISITS"])
    assert "type" in visits.columns and "type" not in describe(rules["AML-VISITS"]).columns
    vacancy = describe(rules["GLA-VACANCE"])
    assert (vacancy.files, vacancy.columns) == (("occupation.csv",), ())
    manual = describe(rules["AML-ACCORD"])
    assert rules["AML-ACCORD"].check is Check.MANUEL and not manual.checked and manual.reason


def test_unknown_rules_set_is_a_french_error(capsys) -> None:
    status, _ = _run("--regles", "nulle-part")
    assert status == 1
    assert "règles « nulle-part » inconnues" in capsys.readouterr().err
