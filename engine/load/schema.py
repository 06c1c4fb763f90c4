"""JSON Schema validation (2020-12, with format checking) mapped to French `file:line: field` errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from engine import PROJECT_ROOT
from engine.errors import InputError, InputErrors
from engine.load.yamlfile import JsonPath, YamlDocument, dotted

SCHEMA_DIR = PROJECT_ROOT / "schemas"

_TYPES_FR = {
    "object": "un objet (clé: valeur)", "array": "une liste", "string": "un texte",
    "integer": "un nombre entier", "number": "un nombre", "boolean": "true ou false",
    "null": "rien (null)",
}


_LOCAL_DEF = "#/$defs/"
_NOT_SCHEMAS = frozenset({"$defs", "enum", "const", "examples", "default"})
"""Keywords whose value is data, not a subschema: left as written."""


@cache
def load_schema(name: str, schema_dir: Path = SCHEMA_DIR) -> Draft202012Validator:
    """The validator for `schemas/<name>.schema.json` (built once per process).

    The schemas are the project's own files: tests/test_schema.py checks each of them against
    the 2020-12 meta-schema (`check_schema`), which took longer here than validating all the
    conventions."""
    schema = json.loads((schema_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(inline_refs(schema), format_checker=FormatChecker())


def inline_refs(schema: dict) -> dict:
    """`schema` with each `{"$ref": "#/$defs/NAME"}` (alone in its object) replaced by the
    definition itself: the same checks, the same errors (an error inside a reference already
    carries the definition's keyword, value and subschema), without resolving the reference
    again at each value checked, which was most of the validation's time. A definition that
    refers back to itself keeps its `$ref`."""
    definitions = schema.get("$defs", {})

    def inline(node, open_names: frozenset):
        if isinstance(node, list):
            return [inline(item, open_names) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith(_LOCAL_DEF):
            name = ref[len(_LOCAL_DEF):]
            if name in definitions and name not in open_names and isinstance(definitions[name], dict):
                return inline(definitions[name], open_names | {name})
        return {key: value if key in _NOT_SCHEMAS else inline(value, open_names)
                for key, value in node.items()}

    return inline(schema, frozenset())


def validate_document(doc: YamlDocument, schema_name: str) -> None:
    """Raise `InputErrors` listing every schema violation of `doc`, in file order."""
    errors = schema_errors(doc, load_schema(schema_name))
    if errors:
        raise InputErrors(errors)


def schema_errors(doc: YamlDocument, validator: Draft202012Validator) -> list[InputError]:
    """Every violation of `doc` found by `validator`, as located errors in file order."""
    errors = [_to_input_error(doc, e) for e in _leaf_errors(validator.iter_errors(doc.data))]
    errors.sort(key=lambda e: (e.line or 0, e.field or ""))
    return errors


def _leaf_errors(errors) -> list[ValidationError]:
    """For oneOf/anyOf, report the most specific sub-error rather than the umbrella one."""
    out = []
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            best = max(error.context, key=lambda e: len(e.absolute_path))
            out.append(best)
        else:
            out.append(error)
    return out


def _to_input_error(doc: YamlDocument, error: ValidationError) -> InputError:
    path: JsonPath = tuple(error.absolute_path)
    field_path = path
    if error.validator == "required":
        missing = _quoted_name(error.message)
        field_path = (*path, missing)
    elif error.validator == "additionalProperties":
        extra = _unknown_fields(error)
        if extra:
            field_path = (*path, extra[0])
    line = doc.line_of(field_path)
    return InputError(_message_fr(error), doc.path, line, dotted(field_path))


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    """The subschema that failed; a boolean schema (`false`) has no keywords."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _unknown_fields(error: ValidationError) -> list[str]:
    """The fields of an object (additionalProperties) that its schema does not name."""
    fields = set(error.instance) if isinstance(error.instance, Mapping) else set()
    return sorted(fields - set(_schema_of(error).get("properties", {})))


def _quoted_name(message: str) -> str:
    return message.split("'")[1] if "'" in message else message


def _message_fr(error: ValidationError) -> str:
    """A French message: what was found, what was expected, an example when the schema has one."""
    kind, schema = error.validator, _schema_of(error)
    value: Any = error.validator_value  # the failed keyword's value: any JSON value
    found = _shown(error.instance)
    if kind == "type":
        expected = " ou ".join(_TYPES_FR.get(t, t) for t in ([value] if isinstance(value, str) else value))
        text = f"trouvé {found}, attendu {expected}"
    elif kind == "required":
        text = f"champ obligatoire « {_quoted_name(error.message)} » absent"
    elif kind == "additionalProperties":
        extra = _unknown_fields(error)
        allowed = ", ".join(sorted(schema.get("properties", {})))
        text = f"champ inconnu « {', '.join(extra)} » (champs possibles : {allowed})"
    elif kind == "enum":
        text = f"valeur {found} inconnue ; valeurs possibles : {', '.join(map(str, value))}"
    elif kind == "const":
        text = f"valeur {found}, attendu {value!r}"
    elif kind == "minimum":
        text = f"valeur {found} trop petite : au moins {value}"
    elif kind == "maximum":
        text = f"valeur {found} trop grande : au plus {value}"
    elif kind == "exclusiveMinimum":
        text = f"valeur {found} : doit être strictement supérieure à {value}"
    elif kind == "format":
        text = f"{found} n'est pas {_format_fr(value)}"
    elif kind == "pattern":
        text = f"{found} n'a pas la forme attendue"
    elif kind in ("minItems", "minLength"):
        text = f"{found} est trop court (au moins {value})"
    elif kind == "uniqueItems":
        text = f"la liste {found} contient des doublons"
    else:
        text = f"{found} invalide ({error.message})"
    example = schema.get("examples")
    if example:
        text += f" ; exemple : {example[0]}"
    return text


def _format_fr(fmt: str) -> str:
    return {"date": "une date AAAA-MM-JJ valide", "email": "une adresse e-mail"}.get(fmt, fmt)


def _shown(value) -> str:
    if isinstance(value, str):
        return f"le texte « {value} »" if len(value) < 60 else "un texte"
    if isinstance(value, bool):
        return f"le booléen {str(value).lower()}"
    if value is None:
        return "une valeur vide"
    if isinstance(value, dict):
        return "un objet"
    if isinstance(value, list):
        return "une liste"
    return f"« {value} »"
