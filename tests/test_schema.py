"""The JSON Schemas are valid, and the validator built from them (references inlined) reports
exactly what the schema as written reports: same messages, same lines, same fields."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from engine.load.schema import SCHEMA_DIR, inline_refs, load_schema, schema_errors
from engine.load.yamlfile import YamlDocument, load_yaml

ROOT = Path(__file__).resolve().parent.parent
CONVENTIONS = ROOT / "conventions"
SCHEMAS = sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))
DOCUMENTS = {
    "association": sorted((CONVENTIONS / "associations").glob("*.yaml"))
    + sorted((ROOT / "tests" / "fixtures" / "conventions" / "associations").glob("*.yaml")),
    "departement": [CONVENTIONS / "departement.yaml"],
    "commission": sorted((CONVENTIONS / "commissions").glob("*.yaml")),
    "solde": [CONVENTIONS / "solde.yaml"],
    "regles": sorted((CONVENTIONS / "regles").glob("*.yaml")),
    "activite": sorted((CONVENTIONS / "activite").glob("*.yaml")),
}
ODD_VALUES = ("x", "", -1, 0, 3, Decimal("1.5"), None, True, [], {}, ["x"], {"x": 1},
              "2025-02-30", "31/12/2025", "a" * 80, "inconnu")


def _raw(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _as_written(name: str) -> Draft202012Validator:
    return Draft202012Validator(_raw(name), format_checker=FormatChecker())


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_is_a_valid_2020_12_schema(name: str) -> None:
    Draft202012Validator.check_schema(_raw(name))


def test_every_schema_has_documents_to_compare() -> None:
    assert set(DOCUMENTS) == set(SCHEMAS)
    assert all(DOCUMENTS.values())


@pytest.mark.parametrize("name", SCHEMAS)
def test_inlined_references_leave_no_local_ref_outside_definitions(name: str) -> None:
    inlined = inline_refs(_raw(name))
    body = {k: v for k, v in inlined.items() if k != "$defs"}
    assert '"$ref"' not in json.dumps(body)


def test_a_definition_that_refers_to_itself_keeps_its_ref() -> None:
    schema = {"$defs": {"arbre": {"type": "object", "properties": {"fils": {"$ref": "#/$defs/arbre"}}}},
              "$ref": "#/$defs/arbre"}
    validator = Draft202012Validator(inline_refs(schema))
    assert validator.is_valid({"fils": {"fils": {}}})
    assert not validator.is_valid({"fils": {"fils": 3}})


def test_examples_and_enums_are_left_as_written() -> None:
    schema = {"$defs": {"a": {"type": "string"}}, "examples": [{"$ref": "#/$defs/a"}],
              "properties": {"b": {"enum": [{"$ref": "#/$defs/a"}]}}}
    inlined = inline_refs(schema)
    assert inlined["examples"] == [{"$ref": "#/$defs/a"}]
    assert inlined["properties"]["b"]["enum"] == [{"$ref": "#/$defs/a"}]


def _paths(data, where=()):
    """Every path to a value in `data` (mapping keys and list indexes)."""
    yield where
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*where, index))


def _mutated(data, rng: random.Random):
    """`data` with one to three values replaced, removed or given an unknown sibling."""
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice([p for p in _paths(data) if p])
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.6:
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif action < 0.85 or not isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent["champ_inconnu"] = 1
        if not data:
            break
    return data


def _shown(errors) -> list[tuple]:
    return [(e.message, e.path, e.line, e.field) for e in errors]


@pytest.mark.parametrize("name", SCHEMAS)
def test_inlined_validator_reports_what_the_schema_as_written_reports(name: str) -> None:
    """Valid documents and 150 seeded mutations of them: the same errors, in the same order."""
    rng = random.Random(name)
    docs = [load_yaml(path) for path in DOCUMENTS[name]]
    fast, written = load_schema(name), _as_written(name)
    reported = 0
    for doc in docs:
        assert _shown(schema_errors(doc, fast)) == _shown(schema_errors(doc, written)) == []
    for _ in range(150):
        doc = rng.choice(docs)
        bad: YamlDocument = replace(doc, data=_mutated(doc.data, rng))
        expected = _shown(schema_errors(bad, written))
        assert _shown(schema_errors(bad, fast)) == expected
        reported += bool(expected)
    assert reported > 100
