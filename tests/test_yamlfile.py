"""The strict YAML reader avoids YAML 1.1's traps and knows the line of every field."""

import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from engine.errors import InputError
from engine.load import yamlfile
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


# libyaml's parser (C) under our composer, and PyYAML's Python reader: the same results.

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY_YAML = sorted(p for folder in ("conventions", "templates", "tests", "examples", "docs")
                         for p in (ROOT / folder).glob("**/*.yaml"))
TRICKY = [
    "a: 1\nb: 2\na: 3\n",  # duplicate key
    "a:\n  b: 1\n  b: 2\n",
    "a: 01000\nb: 12:30\nc: NO\nd: on\ne: 2025-07-01\nf: 85.95\ng: ~\n",
    "a:\n\tb: 1\n",  # tab in the indentation
    "a: x\tb\n",  # tab inside a value: libyaml accepts it, PyYAML does not
    'a: "texte\nb: 2\nc: 3\n',  # unclosed quote
    "a: [1, 2\nb: 3\n",  # unclosed bracket
    "a: &x [1, 2]\nb: *x\nc: *y\n",  # undefined alias
    "a: &x [1, 2]\nb: *x\n",
    "".join(f"k{i}: &a{i} [x]\n" for i in range(60)) + "".join(f"r{i}: *a{i % 60}\n" for i in range(101)),
    "a: " + "[" * 70 + "]" * 70 + "\n",  # too deep
    "a: \x0b\n", "a: \x00\n", "a: \x85\n", "a: \ufffe\n",  # control / unacceptable characters
    "a: !!python/object/apply:os.system ['true']\n", "a: !!int 3\n",
    "--- \na: 1\n--- \nb: 2\n", "", "\n", "# rien\n", "- a\n- b\n",
    "a: b: c\n", "a:\n- b\n  c: d\n", "a: '\\q'\n", 'a: "\\q"\n',
    "a: |\n  ligne 1\n  ligne 2\nb: >-\n  plié\n  en une\n", "a: |#c\n  x\n",
    "[a?b]\n", "{a: b?c}\n", "a: b?\n",  # « ? » between brackets: PyYAML reads a key
    "a:\n  \ufeffb: 1\n",  # byte order mark at a line's start
    "? a\n", "x: 1\n?",  # a value left empty at the end
    "a: b\r\nc: d\r\n", "a: b\rc: d\r", "a: x\u2028b: y\n", "clé: « valeur » ’\n",
    "a: 1", "a:", "a: \ud800\n",
]


def _outcome(text: str):
    try:
        doc = parse(text)
    except InputError as exc:
        return ("error", exc.message, exc.line, exc.field)
    return ("ok", doc.data, doc.lines)


def _both_ways(text: str, monkeypatch) -> tuple:
    fast = _outcome(text)
    with monkeypatch.context() as patch:
        patch.setattr(yamlfile, "_FAST_LOADER", None)
        slow = _outcome(text)
    return fast, slow


def test_libyaml_is_there_after_install() -> None:
    """PyYAML's wheels bundle libyaml: without it the conventions load several times slower."""
    assert yaml.__with_libyaml__ and yamlfile._FAST_LOADER is not None


@pytest.mark.parametrize("text", TRICKY)
def test_libyaml_and_python_reader_give_the_same_result(text: str, monkeypatch) -> None:
    fast, slow = _both_ways(text, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("path", REPOSITORY_YAML, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_of_the_repository_reads_the_same_both_ways(path: Path, monkeypatch) -> None:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    fast, slow = _both_ways(text, monkeypatch)
    assert fast == slow


def _node_key(node, seen: dict) -> tuple:
    """A node tree as nested tuples (aliases as references), with each node's tag and line."""
    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, node.start_mark.line)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, node.start_mark.line, tuple(_node_key(n, seen) for n in node.value))
    return ("map", node.tag, node.start_mark.line,
            tuple((_node_key(k, seen), _node_key(v, seen)) for k, v in node.value))


def _mutants(count: int, rng: random.Random):
    pieces = list(": -\"'#&*!|>[]{},?\t\n \r%@`\\é«’\u2028\ufeff\xa0.01az~") + [
        "\n- ", ": ", "\n  ", "&a ", "*a", "!!str ", "? ", "---\n", "|\n", ">-\n", "|#"]
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in REPOSITORY_YAML
             if p.stat().st_size < 6_000]
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.6:
                text = text[:at] + rng.choice(pieces) + text[at:]
            else:
                text = text[:at] + text[at + 1:]
        yield text


def test_mutated_inputs_compose_the_same_when_libyaml_takes_them() -> None:
    """Seeded mutations of the repository's YAML: whenever the fast path accepts one, the Python
    reader gives the same nodes (tags, values, styles, lines); when it refuses one, the Python
    reader runs again (covered above)."""
    agreed = 0
    for text in _mutants(1000, random.Random(10)):
        if not yamlfile._fast_path_agrees(text):
            continue
        try:
            fast = [_node_key(n, {}) for n in yaml.compose_all(text, Loader=yamlfile._FastLoader)]
        except (yaml.YAMLError, yamlfile._TooComplex):
            continue
        slow = [_node_key(n, {}) for n in yaml.compose_all(text, Loader=yamlfile._PlainLoader)]
        assert fast == slow, text
        agreed += 1
    assert agreed > 300
