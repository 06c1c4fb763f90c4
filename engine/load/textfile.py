"""Reading an input file, guarded: a regular file inside its folder, bytes counted, UTF-8, no
control characters; every refusal an `InputError` naming the file (and the line, the column).

`stat().st_size` is 0 for `/dev/zero` behind a symlink and `open()` on a FIFO blocks forever:
the path is resolved and must stay inside its folder, the file is opened non-blocking and must
be a regular file, and the bytes actually read are counted against the limit.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from engine.errors import InputError, os_reason

CSV_HINT = "enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) »"
YAML_HINT = "enregistrez-le en UTF-8"
CHUNK = 1024 * 1024
NOT_REGULAR = "ce n'est pas un fichier ordinaire (dossier, périphérique, tube ou socket) : refusé"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NAMES = {0: "octet nul", 0x0B: "tabulation verticale", 0x0C: "saut de page", 0x1B: "échappement (ESC)",
          0x7F: "suppression (DEL)"}


def read_text(path: Path, max_bytes: int, hint: str = YAML_HINT, root: Path | None = None,
              controls: bool = True) -> str:
    """The file's text; an `InputError` if it is unreadable, not a regular file inside `root`
    (default: its own folder), bigger than `max_bytes`, not UTF-8, or holds a control character
    (`controls=False`: the caller checks them itself, e.g. cell by cell with the column's name)."""
    path = Path(path)
    raw = read_bytes(path, max_bytes, root)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"le fichier n'est pas en UTF-8 (octet {exc.start}) : {hint}",
                         path, line, "(encodage)") from None
    if controls:
        check_control_characters(text, path)
    return text


def read_bytes(path: Path, max_bytes: int, root: Path | None = None) -> bytes:
    """The bytes of a regular file inside `root` (default: its folder), at most `max_bytes`."""
    path = Path(path)
    descriptor = open_regular(path, root)
    try:
        chunks, total = [], 0
        while chunk := os.read(descriptor, min(CHUNK, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise InputError(f"fichier trop gros (plus de {max_bytes} octets)", path)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"fichier illisible ({os_reason(exc)})", path) from None
    finally:
        os.close(descriptor)


def inside(path: Path, root: Path | None = None) -> Path:
    """`path` resolved; an `InputError` when it (or a symlink on the way) leaves `root`."""
    path = Path(path)
    folder = Path(root) if root is not None else path.parent
    try:
        real = path.resolve(strict=True)
        base = folder.resolve(strict=True)
    except FileNotFoundError:
        raise InputError("fichier introuvable", path) from None
    except (OSError, RuntimeError):
        raise InputError("chemin illisible (boucle de liens symboliques ?)", path) from None
    if not real.is_relative_to(base):
        raise InputError(f"lien symbolique vers « {real} », hors du dossier {folder} : refusé",
                         path)
    return real


def open_regular(path: Path, root: Path | None = None) -> int:
    """A read-only descriptor on a regular file; never blocks (FIFO) nor opens a device."""
    real = inside(path, root)
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):
            raise InputError(NOT_REGULAR, path)
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"fichier illisible ({os_reason(exc)})", path) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # swapped since the first look
        os.close(descriptor)
        raise InputError(NOT_REGULAR, path)
    return descriptor


def check_control_characters(text: str, path: Path) -> None:
    """An `InputError` at the line and column of the first control character (tab, CR, LF allowed)."""
    found = _CONTROL.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    raise InputError(f"{control_message(text, found.start())} "
                     f"en colonne {column} : supprimez-le (souvent collé depuis un autre logiciel)",
                     path, line, f"(colonne {column})")


def control_message(text: str, index: int | None = None) -> str:
    """« caractère invisible U+000B (tabulation verticale) » for the first control character of
    `text` (or the one at `index`); empty when there is none."""
    if index is None:
        found = _CONTROL.search(text)
        if found is None:
            return ""
        index = found.start()
    code = ord(text[index])
    return f"caractère invisible U+{code:04X} ({_NAMES.get(code, 'caractère de contrôle')})"
