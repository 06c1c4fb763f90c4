"""`manifest.json`: the SHA-256 of every input and every output of a build.

With it, an archivist can tell which data and templates produced the documents of a year, and
that a document was not changed since (`sha256sum` gives the same digest).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from engine import PROJECT_ROOT
from engine.model import Conventions
from engine.pack.commission import activity_path, commission_path

MANIFEST = "manifest.json"
TEMPLATES = PROJECT_ROOT / "templates"


def build_inputs(conventions: Conventions, year: int, templates: Path = TEMPLATES) -> list[Path]:
    """The data files a build of `year` reads, and every file of `templates/`."""
    root = Path(conventions.root)
    data = [Path(f) for f in conventions.files]
    data += [p for p in (commission_path(root, year), activity_path(root, year)) if p.is_file()]
    shapes = sorted(p for p in templates.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [*data, *shapes]


def write_manifest(stage: Path, inputs: list[Path], year: int) -> Path:
    """Hash `inputs` and every file already in `stage`; write `stage/manifest.json`."""
    outputs = sorted(p for p in stage.rglob("*") if p.is_file() and p.name != MANIFEST)
    document = {
        "year": year,
        "inputs": [_entry(p, _shown(p)) for p in inputs],
        "outputs": [_entry(p, p.relative_to(stage).as_posix()) for p in outputs],
    }
    target = stage / MANIFEST
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def _entry(path: Path, shown: str) -> dict:
    data = path.read_bytes()
    return {"path": shown, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _shown(path: Path) -> str:
    """A path relative to the project when it is inside it (the same on every machine)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()
