"""Editing a convention's YAML from the web page: one precise line edit, validated before saving.

The file is never re-serialised: the line that holds the field is found with the engine's own
reader (`YamlDocument.line_of`), its value is replaced in place, and every other byte (comments,
`source:` lines, key order, quoting) stays as it was. The candidate text is written into a
temporary copy of the conventions folder and loaded with `load_conventions`, the validator of
`fsl validate`: the file is replaced (atomically) only when that copy loads without error.
A form carries the SHA-256 of the file it was drawn from; a save against a file that changed
since is refused, never merged.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from engine.errors import FslError, InputError, InputErrors
from engine.load.yamlfile import JsonPath, dotted, load_yaml
from engine.model import COLUMNS
from engine.validation import load_conventions

_SAVE_LOCK = threading.Lock()
_PLAIN_COUNT = re.compile(r"[0-9]{1,9}")
_IDENTITY_FIELDS = ("nom", "adresse", "siret", "rna")
MAX_VALUE_LENGTH = 500


class StaleForm(FslError):
    """The file changed since the form was drawn: the save is refused."""


@dataclass(frozen=True)
class Change:
    """One field to set: its path in the YAML document and the text the person typed."""

    path: JsonPath
    text: str
    yaml: str | None = None
    """The value's YAML text when the page built it (the signatory's one-line `{qualite: …, nom: …}`)."""
    insert_after: JsonPath | None = None
    """A top-level key absent from the file is added on one new line after this key's line."""

    @property
    def field(self) -> str:
        return dotted(self.path)


@dataclass(frozen=True)
class EditResult:
    saved: bool
    errors: tuple[InputError, ...] = ()
    changed_lines: tuple[int, ...] = ()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def count_path(doc_data: dict, year: int, line_index: int, column: str) -> JsonPath:
    """`allocations[i].lignes[j].column` for the allocation of `year` (raw index in the file)."""
    if column not in COLUMNS:
        raise FslError(f"colonne « {column} » inconnue (colonnes : {', '.join(COLUMNS)})")
    allocations = doc_data.get("allocations") or []
    index = next((i for i, a in enumerate(allocations) if isinstance(a, dict) and a.get("annee") == year),
                 None)
    if index is None:
        raise FslError(f"aucune allocation {year} dans ce fichier")
    lines = allocations[index].get("lignes") or []
    if not 0 <= line_index < len(lines):
        raise FslError(f"ligne {line_index + 1} absente de l'allocation {year}")
    return ("allocations", index, "lignes", line_index, column)


def identity_path(name: str) -> JsonPath:
    if name not in _IDENTITY_FIELDS:
        raise FslError(f"champ « {name} » non modifiable ici (champs : {', '.join(_IDENTITY_FIELDS)})")
    return (name,)


def signatory_yaml(title: str, name: str) -> str:
    """`{qualite: "La Présidente", nom: "Marie DUPONT"}`: a signatory on the one line of its key."""
    return f"{{qualite: {yaml_scalar(title.strip(), False)}, nom: {yaml_scalar(name.strip(), False)}}}"


def yaml_scalar(text: str, count: bool) -> str:
    """The YAML text of what was typed: a count of digits stays plain (`36`), anything else is a
    double-quoted string (the validator then says what is wrong with it, in its own words)."""
    if count and _PLAIN_COUNT.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def apply_changes(text: str, doc, changes: list[Change]) -> tuple[str, tuple[int, ...]]:
    """`text` with each change's value replaced on its own line; the numbers of the lines changed."""
    lines = text.splitlines(keepends=True)
    changed = []
    for change in sorted(changes, key=lambda c: c.path not in doc.lines):  # insertions last
        typed = change.text.strip()
        if len(typed) > MAX_VALUE_LENGTH or any(ord(c) < 32 for c in typed):
            raise InputError(f"valeur refusée : une seule ligne de {MAX_VALUE_LENGTH} caractères au plus",
                             doc.path, None, change.field)
        if (change.path not in doc.lines and change.insert_after is not None
                and change.insert_after in doc.lines and len(change.path) == 1):
            after = doc.line_of(change.insert_after)
            if not re.match(rf"^{re.escape(str(change.insert_after[-1]))}:", lines[after - 1]) \
                    or _continued(lines, after, 0):
                raise InputError("champ absent du fichier : à ajouter dans le fichier lui-même",
                                 doc.path, after, change.field)
            ending = "\r\n" if lines[after - 1].endswith("\r\n") else "\n"
            value = change.yaml or yaml_scalar(typed, count=False)
            lines.insert(after, f"{change.path[0]}: {value}{ending}")
            changed.append(after + 1)
            continue
        if change.path not in doc.lines:
            raise InputError("champ absent du fichier : à ajouter dans le fichier lui-même",
                             doc.path, doc.line_of(change.path), change.field)
        number = doc.line_of(change.path)
        key = change.path[-1]
        pattern = re.compile(rf"^(\s*(?:-\s+)?{re.escape(str(key))}:[ \t]*)(.*?)([ \t]+#.*)?(\r?\n)?$")
        match = pattern.match(lines[number - 1]) if number and number <= len(lines) else None
        if match is None or match.group(2).startswith(("{", "[", "|", ">")) \
                or _continued(lines, number, lines[number - 1].index(str(key))):
            raise InputError("ce champ n'est pas sur une ligne « clé: valeur » simple : à modifier dans le "
                             "fichier lui-même", doc.path, number, change.field)
        value = change.yaml or yaml_scalar(typed, count=key in COLUMNS)
        if value == match.group(2):
            continue
        lines[number - 1] = f"{match.group(1)}{value}{match.group(3) or ''}{match.group(4) or ''}"
        changed.append(number)
    return "".join(lines), tuple(changed)


def _continued(lines: list[str], number: int, column: int) -> bool:
    """True when the value goes on below its key's line (a folded scalar, a nested block)."""
    for following in lines[number:]:
        stripped = following.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return len(following) - len(following.lstrip(" ")) > column
    return False


def edit_association(root: Path, slug: str, expected_sha: str, changes: list[Change]) -> EditResult:
    """Validate then save `changes` to `root/associations/<slug>.yaml`, or say why not.

    Raises `StaleForm` when the file is no longer the one the form was drawn from.
    """
    root = Path(root)
    target = association_file(root, slug)
    with _SAVE_LOCK:
        original = target.read_bytes()
        if hashlib.sha256(original).hexdigest() != expected_sha:
            raise StaleForm(f"{target.name} a changé depuis l'ouverture de ce formulaire (autre onglet, "
                            "autre personne ou éditeur de texte) : rien n'a été enregistré. Rechargez la "
                            "page pour partir du fichier actuel.")
        text = original.decode("utf-8")
        doc = load_yaml(target)
        try:
            candidate, changed = apply_changes(text, doc, changes)
        except InputError as exc:
            return EditResult(False, (exc,))
        if not changed:
            return EditResult(False, ())
        errors = candidate_errors(root, target, candidate)
        if errors:
            return EditResult(False, errors, changed)
        _replace(target, candidate.encode("utf-8"))
        return EditResult(True, (), changed)


def association_file(root: Path, slug: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug or ""):
        raise FslError(f"association « {slug} » inconnue")
    target = Path(root) / "associations" / f"{slug}.yaml"
    if not target.is_file() or target.is_symlink():
        raise FslError(f"association « {slug} » inconnue (pas de fichier associations/{slug}.yaml)")
    return target


def candidate_errors(root: Path, target: Path, candidate: str) -> tuple[InputError, ...]:
    """Load a temporary copy of the conventions holding `candidate` with the engine's validator;
    the errors, their paths shown as the real folder's."""
    with tempfile.TemporaryDirectory(prefix="fsl-edition-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, symlinks=True)
        (copy / target.relative_to(root)).write_text(candidate, encoding="utf-8")
        try:
            load_conventions(copy)
        except InputErrors as exc:
            return tuple(_relocated(e, copy, root) for e in exc.errors)
        except InputError as exc:
            return (_relocated(exc, copy, root),)
    return ()


def _relocated(error: InputError, copy: Path, root: Path) -> InputError:
    path = error.path.replace(str(copy), str(root), 1)
    return InputError(error.message, path, error.line, error.field)


def _replace(target: Path, data: bytes) -> None:
    """Write `data` beside `target` then rename over it: a reader sees the old file or the new."""
    mode = target.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
