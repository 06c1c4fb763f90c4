"""Reading an input text file: size limit, UTF-8 (with or without BOM), errors with their line."""

from __future__ import annotations

from pathlib import Path

from engine.errors import InputError

CSV_HINT = "enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) »"
YAML_HINT = "enregistrez-le en UTF-8"


def read_text(path: Path, max_bytes: int, hint: str = YAML_HINT) -> str:
    """The file's text; an `InputError` if it is unreadable, too big, or not UTF-8."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"fichier trop gros ({size} octets, au plus {max_bytes})", path)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"fichier illisible ({exc.strerror})", path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"le fichier n'est pas en UTF-8 (octet {exc.start}) : {hint}",
                         path, line, "(encodage)") from None
