"""A strict YAML reader: YAML 1.2 scalars, no duplicate keys, Decimal numbers, line of every field.

PyYAML's `safe_load` follows YAML 1.1: `01000` becomes 512, `12:30` becomes 750, `NO` and `on`
become booleans, dates become `datetime.date` and the last duplicate key wins silently. Here a
plain scalar is null, a boolean (`true`/`false` only), a decimal integer without leading zero,
a `Decimal`, or else a string; dates stay strings for the schema's `format: date` to check.

Speed: libyaml's parser (C, bundled in PyYAML's wheels) feeds our own composer and checks; the
Python reader takes the texts where the two read differently and reports every error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.resolver import BaseResolver

try:
    from yaml._yaml import CParser  # what yaml.cyaml re-exports
    _LIBYAML = True
except ImportError:  # PyYAML without libyaml
    _LIBYAML = False

from engine.errors import InputError
from engine.load.textfile import read_text

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 1_000_000
MAX_DEPTH = 64
"""Nesting levels (the conventions need 6): deeper is refused before Python's recursion limit."""
MAX_ALIASES = 100

JsonPath = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]{0,30})")
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]{0,30})\.[0-9]{1,30}")
"""At most 31 digits: longer stays text, for the schema to refuse (Python refuses to convert
4 300 digits or more, and no figure here needs 31)."""
_LIBYAML_DIFFERS = re.compile("[\t\ufeff\ud800-\udfff?]|[|>][-+0-9]*#")
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

class _TooComplex(Exception):
    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(message)
        self.message, self.mark = message, mark


class _LimitedComposer(Composer):
    """PyYAML's composer refusing nesting deeper than MAX_DEPTH and more than MAX_ALIASES aliases."""

    def __init__(self) -> None:
        Composer.__init__(self)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _TooComplex(f"plus de {MAX_ALIASES} alias YAML (*nom) : refusé", mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooComplex(f"plus de {MAX_DEPTH} niveaux d'imbrication : refusé", mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _PlainLoader(_LimitedComposer, yaml.SafeLoader):
    """The reference reader, all in Python: no implicit resolvers (every untagged scalar is a
    string node), the composer's limits above."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream) -> None:
        yaml.SafeLoader.__init__(self, stream)
        _LimitedComposer.__init__(self)


if _LIBYAML:
    class _FastLoader(_LimitedComposer, CParser, BaseResolver):
        """The same composer and resolution fed by libyaml's scanner and parser (C): the same
        nodes, several times faster. Used only where it agrees with `_PlainLoader` (`_compose`)."""

        yaml_implicit_resolvers: dict = {}

        def __init__(self, stream) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)
            _LimitedComposer.__init__(self)
_FAST_LOADER: type[_LimitedComposer] | None = _FastLoader if _LIBYAML else None
"""None: PyYAML built without libyaml, the Python reader alone."""


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

def load_yaml(path: Path, max_bytes: int = MAX_BYTES, root: Path | None = None) -> YamlDocument:
    """Read and parse one YAML file; every problem is an `InputError` naming the file and line.

    The file must be a regular file inside `root` (default: its own folder), see textfile."""
    path = Path(path)
    text = read_text(path, max_bytes, root=root)
    return parse_yaml(text, path)

def parse_yaml(text: str, path: Path) -> YamlDocument:
    """Parse YAML text already read from `path`."""
    try:
        nodes = _compose(text)
    except _TooComplex as exc:
        raise InputError(f"YAML trop complexe : {exc.message}", path, exc.mark.line + 1,
                         "(syntaxe)") from None
    except yaml.MarkedYAMLError as exc:
        line, message = french_yaml_error(exc)
        opened = unclosed_quote_line(text, line)
        if opened is not None and opened != line:
            message = f"guillemet « \" » ouvert ligne {opened} et jamais refermé sur sa ligne " \
                      f"(le texte se lit comme une seule valeur jusqu'à la ligne {line} : {message})"
            line = opened
        raise InputError(f"YAML illisible : {message}", path, line, "(syntaxe)") from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML illisible ({exc})", path, 1, "(syntaxe)") from None
    if not nodes or nodes[0] is None:
        raise InputError("fichier vide : un document YAML est attendu", path, 1, "(racine)")
    if len(nodes) > 1:
        raise InputError("plusieurs documents YAML (---) dans un même fichier", path,
                         nodes[1].start_mark.line + 1, "(racine)")
    if _expanded_size(nodes[0], {}) > MAX_NODES:
        raise InputError("document YAML trop volumineux une fois les alias (*nom) développés : refusé",
                         path, 1, "(racine)")
    builder = _Builder(path)
    data = builder.build(nodes[0], ())
    return YamlDocument(path=path, data=data, lines=builder.lines)

def _compose(text: str) -> list[yaml.Node]:
    """The documents' node trees. libyaml's parser when it is there and the text holds none of the
    characters it reads differently; on any refusal, the Python reader runs again and its outcome
    (the error, its wording and its line) is the one reported."""
    if _FAST_LOADER is not None and _fast_path_agrees(text):
        try:
            nodes = yaml.compose_all(text, Loader=_FAST_LOADER)  # type: ignore[arg-type]  # stub: own loaders only
            return list(nodes)
        except (yaml.YAMLError, _TooComplex):
            pass
    return list(yaml.compose_all(text, Loader=_PlainLoader))


def _fast_path_agrees(text: str) -> bool:
    """False for a text libyaml may read otherwise than PyYAML's Python reader, found by running
    both on mutated inputs: a tab (libyaml accepts one inside a plain value), a byte order mark
    (libyaml skips one at any line's start), a « ? » (between brackets, libyaml keeps it inside a
    plain value, PyYAML reads a key), « |# » or « >-# » (a comment glued to a block scalar's
    indicator: libyaml accepts it, PyYAML refuses it), a surrogate, a last line without its line
    break (libyaml places a value left empty there one line further down)."""
    return text.endswith("\n") and _LIBYAML_DIFFERS.search(text) is None


_FRENCH_PROBLEMS = (
    ("found character '\\t' that cannot start any token",
     "tabulation dans l'indentation : YAML n'accepte que des espaces"),
    ("mapping values are not allowed here",
     "« : » inattendu ; une valeur qui contient « : » s'écrit entre guillemets, "
     "sinon vérifiez l'indentation"),
    ("could not find expected ':'", "« : » attendu après la clé (clé: valeur)"),
    ("did not find expected key", "indentation incohérente : une clé était attendue"),
    ("did not find expected '-' indicator", "indentation incohérente : un élément « - » était attendu"),
    ("expected <block end>", "indentation incohérente"),
    ("did not find expected node content", "valeur attendue"),
    ("found undefined alias", "alias (*nom) sans ancre (&nom) correspondante"),
    ("found unknown escape character", "séquence d'échappement « \\ » inconnue entre guillemets"),
    ("found duplicate anchor", "ancre (&nom) définie deux fois"),
    ("found unacceptable character", "caractère interdit"),
    ("found character", "caractère qui ne peut pas commencer une valeur ; mettez-la entre guillemets"),
    ("found undefined tag handle", "étiquette YAML inconnue"),
    ("expected ',' or ']'", "liste entre crochets mal fermée : « , » ou « ] » attendu"),
    ("expected ',' or '}'", "dictionnaire entre accolades mal fermé : « , » ou « } » attendu"),
)


def unclosed_quote_line(text: str, before: int | None) -> int | None:
    """The first line (before `before`) whose double quotes do not pair up, if any."""
    for number, line in enumerate(text.splitlines()[: before or None], start=1):
        quotes = re.findall(r'(?<!\\)"', line.split(" #")[0])
        if len(quotes) % 2:
            return number
    return None


def french_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """The line to blame and a French sentence for a PyYAML syntax error.

    An unclosed quote or bracket is reported where it opens, not at the end of the file."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark
    if "end of stream" in problem and exc.context_mark is not None:
        mark = exc.context_mark
        opened = "guillemet" if "quoted scalar" in context else "crochet ou accolade"
        message = f"{opened} ouvert ligne {mark.line + 1} jamais refermé"
    else:
        message = next((fr for en, fr in _FRENCH_PROBLEMS if problem.startswith(en)),
                       f"syntaxe invalide ({problem})")
    if mark is not None:
        message += f" (colonne {mark.column + 1})"
    return (mark.line + 1 if mark is not None else None), message


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Nodes once every alias is expanded, counted on the shared graph (each node once)."""
    if id(node) not in sizes:
        sizes[id(node)] = 0  # a node inside itself (recursive alias) counts once
        children = node.value if isinstance(node, yaml.SequenceNode) else \
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else []
        sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(_expanded_size(c, sizes) for c in children))
    return sizes[id(node)]


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
        if not isinstance(node, yaml.ScalarNode):  # PyYAML composes only these three kinds
            raise InputError("nœud YAML d'un type inconnu", self.path, node.start_mark.line + 1,
                             dotted(where))
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
        self._check_invisible(node, where)
        if node.style:  # quoted or block; plain is None (Python reader) or "" (libyaml)
            return node.value
        return resolve_plain(node.value)

    def _check_invisible(self, node: yaml.ScalarNode, where: JsonPath) -> None:
        """A value holding a control, format or lone surrogate character (often written as an
        escape, « \\e », « \\u202E ») is refused: it would break an output (XML, UTF-8) or make a
        name show as another one (bidi override U+202E, U+2066–2069, U+200E/F)."""
        found = next((c for c in str(node.value) if c not in "\t\n\r" and
                      unicodedata.category(c) in ("Cc", "Cf", "Cs")), None)
        if found is None:
            return
        code = ord(found)
        kind = {"Cc": "caractère de contrôle", "Cf": "caractère de mise en forme invisible",
                "Cs": "demi-caractère UTF-16 isolé"}[unicodedata.category(found)]
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F, 0x061C):
            kind = "caractère de direction d'écriture (bidi)"
        raise InputError(f"caractère invisible U+{code:04X} ({kind}) : refusé, il pourrait faire "
                         "lire un autre nom ou casser un document ; supprimez-le",
                         self.path, node.start_mark.line + 1, dotted(where))

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

