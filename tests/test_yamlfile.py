"""The strict YAML reader avoids YAML 1.1's traps and knows the line of every field."""

from decimal import Decimal
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.load.yamlfile import parse_yaml


def parse(text: str):
    return parse_yaml(text, Path("t.yaml"))


@pytest.mark.parametrize(("text", "value"), [
    ("01000", "01000"), ("12:30", "12:30"), ("NO", "NO"), ("on", "on"), ("yes", "yes"),
    ("2025-07-01", "2025-07-01"), ("85.95", Decimal("85.95")), ("35", 35), ("-5", -5),
    ("true", True), ("false", False), ("~", None), ("0x1F", "0x1F"), ("1e3", "1e3"), ("0", 0),
])
def test_plain_scalars_follow_yaml_12_without_surprises(text, value) -> None:
    assert parse(f"a: {text}\n").data == {"a": value}


def test_quoted_scalars_stay_strings() -> None:
    assert parse('a: "35"\nb: \'true\'\n').data == {"a": "35", "b": "true"}


def test_lines_are_recorded_for_nested_fields() -> None:
    doc = parse("a:\n  - x: 1\n    y: 2\n")
    assert doc.line_of(("a", 0, "y")) == 3
    assert doc.line_of(("a", 0, "missing")) == 2


def test_duplicate_key_is_an_error_with_both_lines() -> None:
    with pytest.raises(InputError) as caught:
        parse("a: 1\nb: 2\na: 3\n")
    assert (caught.value.line, caught.value.field) == (3, "a")
    assert "ligne 1" in caught.value.message


def test_python_tags_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse("a: !!python/object/apply:os.system ['true']\n")
    assert caught.value.line == 1


def test_alias_bomb_is_bounded() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        text += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    with pytest.raises(InputError):
        parse(text)
