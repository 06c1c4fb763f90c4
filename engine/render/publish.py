"""Publish a staging folder into an output folder, all or nothing, replacing only the engine's files.

The plan is made first (nothing moves while a conflict remains): a target that exists must be a
file of the previous `manifest.json` with the same SHA-256, or already hold the same bytes.
Then, for each file, the old copy moves into a backup folder and the new one takes its place,
`manifest.json` last; a journal beside the backup says what was placed, so a failure — or the
next run after a killed one — moves everything back (`recover`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import OutputError, os_reason

MANIFEST = "manifest.json"
ALL = ("",)
"""The scope of a whole build: every file of the previous manifest is the run's to replace."""
JOURNAL = ".journal"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
DONE = "done"


@dataclass(frozen=True)
class Plan:
    writes: tuple[str, ...]
    deletes: tuple[str, ...]
    manifest: dict[str, Any]


def publish(stage: Path, out_dir: Path, scope: Sequence[str], backup: Path) -> None:
    """Move the files of `stage` into `out_dir` (see the module docstring); `OutputError` on failure."""
    plan = make_plan(stage, out_dir, scope)
    text = json.dumps(plan.manifest, ensure_ascii=False, indent=2) + "\n"
    (stage / MANIFEST).write_text(text, encoding="utf-8")
    _apply(stage, out_dir, plan, backup)


def make_plan(stage: Path, out_dir: Path, scope: Sequence[str]) -> Plan:
    previous = read_manifest(out_dir)
    owned = {e["path"]: e for e in previous.get("outputs", [])} if previous else {}
    produced = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")
                      if p.is_file() and p.relative_to(stage).as_posix() != MANIFEST)
    conflicts = [rel for rel in produced if not _replaceable(out_dir, rel, owned, stage)]
    if conflicts:
        more = f" et {len(conflicts) - 5} autre(s)" if len(conflicts) > 5 else ""
        shown = ", ".join(conflicts[:5]) + more
        raise OutputError(f"{shown} : fichier(s) qui ne viennent pas du moteur (absents de {MANIFEST} "
                          "ou modifiés depuis) ; déplacez-les ou renommez-les : rien n'a été écrit", out_dir)
    deletes: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for rel, entry in owned.items():
        if rel in produced or not _unchanged(out_dir / rel, entry):
            continue  # produced again, gone, or changed by a person (no longer the engine's)
        (deletes if any(rel.startswith(s) for s in scope) else kept).append(entry)
    manifest = _stage_manifest(stage) or {k: v for k, v in (previous or {}).items() if k != "outputs"}
    outputs = [_entry(stage / rel, rel) for rel in produced] + kept
    manifest["outputs"] = sorted(outputs, key=lambda e: e["path"])
    return Plan(tuple(produced), tuple(e["path"] for e in deletes), manifest)


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The previous manifest, None when there is none; `OutputError` when it is not the engine's."""
    path = out_dir / MANIFEST
    if not os.path.lexists(path):
        return None
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ValueError
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["outputs"]
        if not all(isinstance(e["path"], str) and isinstance(e["sha256"], str) for e in entries):
            raise ValueError
        if any(Path(e["path"]).is_absolute() or ".." in Path(e["path"]).parts for e in entries):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputError(f"{MANIFEST} illisible ou qui n'est pas celui du moteur : déplacez-le "
                          "(le moteur ne remplace que les fichiers qu'il y trouve)", path) from None
    return document


def _replaceable(out_dir: Path, rel: str, owned: dict[str, dict], stage: Path) -> bool:
    target = out_dir / rel
    for parent in list(Path(rel).parents)[:-1]:
        folder = out_dir / parent
        if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
            return False
    if not os.path.lexists(target):
        return True
    if target.is_symlink() or not target.is_file():
        return False
    return (rel in owned and _unchanged(target, owned[rel])) or _digest(target) == _digest(stage / rel)


def _unchanged(path: Path, entry: dict) -> bool:
    return path.is_file() and not path.is_symlink() and _digest(path) == entry["sha256"]


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _entry(path: Path, rel: str) -> dict[str, Any]:
    return {"path": rel, "sha256": _digest(path), "bytes": path.stat().st_size}


def _stage_manifest(stage: Path) -> dict[str, Any] | None:
    """The manifest the command wrote in the stage (inputs, year), if any."""
    path = stage / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _apply(stage: Path, out_dir: Path, plan: Plan, backup: Path) -> None:
    """Deletions, then writes, `manifest.json` last; on any failure, `recover`."""
    try:
        backup.mkdir()
        with open(backup / JOURNAL, "a", encoding="utf-8") as journal:
            for rel in plan.deletes:
                _move_aside(out_dir, rel, backup)
            for rel in (*plan.writes, MANIFEST):
                _place(stage, out_dir, rel, backup, journal)
            _log(journal, DONE, "")
    except BaseException as exc:
        _undo(backup, out_dir, exc)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _place(stage: Path, out_dir: Path, rel: str, backup: Path, journal) -> None:
    target = out_dir / rel
    for folder in [out_dir, *(out_dir / p for p in reversed(list(Path(rel).parents)[:-1]))]:
        if not folder.exists():
            _log(journal, "mkdir", folder.relative_to(out_dir.parent).as_posix())
            os.mkdir(folder)
    if os.path.lexists(target):
        _move_aside(out_dir, rel, backup)
    _log(journal, "place", rel)
    os.replace(stage / rel, target)


def _move_aside(out_dir: Path, rel: str, backup: Path) -> None:
    saved = backup / rel
    saved.parent.mkdir(parents=True, exist_ok=True)
    os.replace(out_dir / rel, saved)


def _log(journal, action: str, rel: str) -> None:
    journal.write(f"{action}\t{rel}\n")
    journal.flush()


def _undo(backup: Path, out_dir: Path, exc: BaseException) -> None:
    """Roll back after `exc`; raise an `OutputError` (exit 3) for an OSError, else let `exc` go."""
    try:
        recover(backup, out_dir)
    except OSError as failure:
        raise OutputError(f"publication interrompue et retour en arrière impossible ({os_reason(failure)}) : "
                          f"les fichiers précédents sont dans {backup}", out_dir) from None
    shutil.rmtree(backup, ignore_errors=True)
    if isinstance(exc, OSError):
        where = exc.filename or out_dir
        raise OutputError(f"écriture impossible ({os_reason(exc)}) : le dossier de sortie est resté "
                          "tel qu'il était", where) from None


def recover(backup: Path, out_dir: Path) -> None:
    """Undo an unfinished publication: remove what was placed, put back what was moved aside."""
    journal = backup / JOURNAL
    entries = [line.split("\t", 1) for line in journal.read_text(encoding="utf-8").splitlines()] \
        if journal.is_file() else []
    if [DONE, ""] in entries:
        return
    for action, rel in reversed(entries):
        if action == "place" and os.path.lexists(out_dir / rel) and not _saved(backup, rel):
            os.unlink(out_dir / rel)
        elif action == "place" and _saved(backup, rel):
            os.replace(backup / rel, out_dir / rel)
    for saved in sorted(p for p in backup.rglob("*") if p.is_file() and p != journal):
        os.replace(saved, out_dir / saved.relative_to(backup))
    for action, rel in reversed(entries):
        if action == "mkdir":
            try:
                os.rmdir(out_dir.parent / rel)
            except OSError:
                pass


def _saved(backup: Path, rel: str) -> bool:
    return os.path.lexists(backup / rel)
