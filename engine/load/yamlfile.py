"""A strict YAML reader: YAML 1.2 scalars, no duplicate keys, Decimal numbers, line of every field.

PyYAML's `safe_load` follows YAML 1.1: `01000` becomes 512, `12:30` becomes 750, `NO` and `on`
become booleans, dates become `datetime.date` and the last duplicate key wins silently. Here a
plain scalar is null, a boolean (`true`/`false` only), a decimal integer without leading zero,
a `Decimal`, or else a string; dates stay strings for the schema's `format: date` to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from engine.errors import InputError
from engine.load.textfile import read_text

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 1_000_000

JsonPath = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

class _PlainLoader(yaml.SafeLoader):
    """A composer with no implicit resolvers: every untagged scalar is a string node."""

    yaml_implicit_resolvers: dict = {}

@dataclass(frozen=True)
class YamlDocument:
    """A YAML file's data with the line (1-based) where each field stands."""

    path: Path
    data: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)

    def line_of(self, path: JsonPath) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

def load_yaml(path: Path, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read and parse one YAML file; every problem is an `InputError` naming the file and line."""
    path = Path(path)
    text = read_text(path, max_bytes)
    return parse_yaml(text, path)

def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text already read from `path`."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_PlainLoader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(f"YAML illisible : {exc.problem}", path, line, "(syntaxe)") from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML illisible : {exc}", path, 1, "(syntaxe)") from None
    if not nodes or nodes[0] is None:
        raise InputError("fichier vide : un document YAML est attendu", path, 1, "(racine)")
    if len(nodes) > 1:
        raise InputError("plusieurs documents YAML (---) dans un même fichier", path,
                         nodes[1].start_mark.line + 1, "(racine)")
    builder = _Builder(path)
    data = builder.build(nodes[0], ())
    return YamlDocument(path=path, data=data, lines=builder.lines)

class _Builder:
    """Turns a composed node tree into plain values, recording lines and refusing traps."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[JsonPath, int] = {}
        self.count = 0

    def build(self, node: yaml.Node, where: JsonPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError("document YAML trop volumineux (alias en cascade ?)", self.path,
                             node.start_mark.line + 1, dotted(where))
        self.lines.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _SEQ_TAG, where)
            return [self.build(item, (*where, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, where)

    def _mapping(self, node: yaml.MappingNode, where: JsonPath) -> dict[str, Any]:
        self._check_tag(node, _MAP_TAG, where)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("clé non textuelle", self.path, key_node.start_mark.line + 1,
                                 dotted(where))
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in result:
                first = self.lines.get((*where, key))
                raise InputError(
                    f"clé en double « {key} » (déjà définie ligne {first})",
                    self.path, line, dotted((*where, key)),
                )
            self.lines[(*where, key)] = line
            result[key] = self.build(value_node, (*where, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, where: JsonPath) -> Any:
        self._check_tag(node, _STR_TAG, where)
        if node.style is not None:
            return node.value
        return resolve_plain(node.value)

    def _check_tag(self, node: yaml.Node, expected: str, where: JsonPath) -> None:
        if node.tag != expected:
            raise InputError(
                f"étiquette YAML « {node.tag} » non acceptée : écrivez la valeur sans étiquette",
                self.path, node.start_mark.line + 1, dotted(where),
            )

def resolve_plain(text: str) -> Any:
    """YAML 1.2 core resolution of a plain scalar, with Decimal for numbers and no octal."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    return text

def dotted(path: JsonPath) -> str:
    """`('allocations', 1, 'lignes', 0, 'dsf')` → `allocations[1].lignes[0].dsf`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(racine)"

