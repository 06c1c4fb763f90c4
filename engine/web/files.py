"""The files of output/YEAR as the page lists them, and the confinement of a download to that folder."""

from __future__ import annotations

from pathlib import Path

from werkzeug.exceptions import NotFound


def output_files(folder: Path) -> list[dict]:
    """Every regular file under `folder` (hidden staging folders and symlinks left out), sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.is_symlink() or not path.is_file():
            continue
        files.append({"name": relative.as_posix(), "size": path.stat().st_size})
    return files


def confined(folder: Path, name: str) -> Path:
    """`folder/name` when it is a regular file inside `folder` (no `..`, no symlink, nothing hidden);
    else 404: a download never reaches outside the year's output folder."""
    root = Path(folder).resolve()
    candidate = Path(folder) / name
    parts = Path(name).parts
    if (not name or Path(name).is_absolute() or any(p in ("..", "") or p.startswith(".") for p in parts)):
        raise NotFound("Fichier introuvable dans le dossier de sortie de l'année.")
    walked = Path(folder)
    for part in parts:
        walked = walked / part
        if walked.is_symlink():
            raise NotFound("Fichier introuvable dans le dossier de sortie de l'année.")
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root) or not resolved.is_file():
        raise NotFound("Fichier introuvable dans le dossier de sortie de l'année.")
    return resolved
