"""The templates' Jinja environment: sandboxed, XML-escaping, strict, with French filters."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from engine.render.jinja import MissingField, accord, document_environment, enumeration


def render(source: str, **context) -> str:
    return document_environment().from_string(source).render(**context)


def test_values_are_escaped_for_xml() -> None:
    assert render("{{ nom }}", nom="Aide & Partage <Nord>") == "Aide &amp; Partage &lt;Nord&gt;"


def test_a_missing_field_raises_with_its_name() -> None:
    with pytest.raises(MissingField) as caught:
        render("{{ association.telephone }}", association={"nom": "X"})
    assert caught.value.field == "telephone"
    with pytest.raises(MissingField) as caught:
        render("{% for t in territoires %}{{ t }}{% endfor %}")
    assert caught.value.field == "territoires"


def test_none_is_not_a_place_to_read_a_field_from() -> None:
    with pytest.raises(MissingField) as caught:
        render("{{ signataire.qualite }}", signataire=None)
    assert caught.value.field == "qualite"


def test_the_sandbox_blocks_python_internals() -> None:
    with pytest.raises(SecurityError):
        render("{{ nom.__class__.__mro__ }}", nom="x")


def test_accord_agrees_in_number() -> None:
    assert accord(0, "point mensuel", "points mensuels") == "0 point mensuel"
    assert accord(1, "porte close", "portes closes") == "1 porte close"
    assert accord(2412, "point mensuel", "points mensuels") == "2\u00a0412 points mensuels"


def test_enumeration_joins_the_french_way() -> None:
    assert enumeration(["3"], "et") == "3"
    assert enumeration(["2", "3"], "et") == "2 et 3"
    assert enumeration([2, 3, 4], "et") == "2, 3 et 4"


def test_a_template_source_is_compiled_once() -> None:
    env = document_environment()
    assert env.from_string("{{ a }}") is env.from_string("{{ a }}")
    assert env.from_string("{{ a }}") is not env.from_string("{{ b }}")
