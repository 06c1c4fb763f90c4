"""Where `fsl check --html/--xlsx` may write: never inside the checked folder, never over an
input, never onto a folder, and over an existing file only when it is a report of the same kind."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from engine.errors import OutputError

_KINDS = {".html": (b"<!doctype html", b"<html"), ".htm": (b"<!doctype html", b"<html"),
          ".xlsx": (b"pk\x03\x04",)}  # compared lowercased


def check_report_target(target: Path, checked: Path, inputs: Iterable[Path] = ()) -> None:
    """An `OutputError` (exit 3) when writing a report at `target` could destroy something."""
    target = Path(target)
    real = target.resolve()
    if target.is_dir() or str(target).endswith(os.sep):
        raise OutputError("c'est un dossier : donnez un nom de fichier, par exemple rapport.xlsx", target)
    if real.is_relative_to(Path(checked).resolve()):
        raise OutputError(f"le rapport ne s'écrit jamais dans le dossier contrôlé ({checked}) : "
                          "choisissez un fichier ailleurs", target)
    if any(real == Path(p).resolve() for p in inputs):
        raise OutputError("c'est un fichier d'entrée du contrôle : choisissez un autre nom", target)
    if os.path.lexists(target):
        _check_previous_report(target, real)


def _check_previous_report(target: Path, real: Path) -> None:
    if not real.is_file():
        raise OutputError("ce n'est pas un fichier ordinaire : choisissez un autre nom", target)
    starts = _KINDS.get(target.suffix.lower())
    try:
        with open(real, "rb") as handle:
            head = handle.read(64).lstrip().lower()
    except OSError as exc:
        raise OutputError(f"fichier existant illisible ({exc.strerror})", target) from None
    if starts is None or not head.startswith(starts):
        raise OutputError("un fichier de ce nom existe et n'est pas un rapport "
                          f"{target.suffix or '(sans extension)'} : il ne sera pas remplacé ; "
                          "choisissez un autre nom", target)
