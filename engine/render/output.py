"""Output folders: everything is written in a staging folder, then published all or nothing.

The policy of INTERFACES.md: the engine replaces only files it wrote itself, those listed (with
the same SHA-256) in the folder's previous `manifest.json`; a file a person put there, or changed
since, is never deleted nor overwritten (the run stops before touching anything); a failed or
interrupted run leaves the folder exactly as it was.

Publishing renames each new file into place after moving the file it replaces into a backup
folder, `manifest.json` last; any failure moves everything back (see `publish.py`). Staging and
backup folders are siblings of the output folder named with the process id, so those of a killed
run are recognised (dead process) and cleared at the next run: a backup is rolled back first.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from engine.errors import OutputError, os_reason
from engine.render.publish import ALL, publish, recover

STAGE, BACKUP = "fsl-stage", "fsl-backup"
__all__ = ["ALL", "staged"]


@contextmanager
def staged(out_dir: Path, scope: Sequence[str] = ()) -> Iterator[Path]:
    """Yield a staging folder; on success its files are published into `out_dir`.

    `scope`: the relative folders (`"avenants/"`) or files this run produces in full: files of
    the previous manifest inside it that the run did not produce again are removed. `ALL` for a
    whole build; the default `()` removes nothing. On any exception nothing in `out_dir` changes.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"dossier de sortie impossible à créer ({os_reason(exc)})", out_dir) from None
    with _locked(out_dir):
        _clear_stale(out_dir)
        stage = _sibling(out_dir, STAGE)
        try:
            yield stage
            publish(stage, out_dir, scope, _sibling(out_dir, BACKUP, create=False))
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _sibling(out_dir: Path, kind: str, create: bool = True) -> Path:
    """`.2026.fsl-stage-<pid>-<random>` beside `out_dir` (same disk, so renames are atomic)."""
    prefix = f".{out_dir.name}.{kind}-{os.getpid()}-"
    try:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"impossible d'écrire à côté du dossier de sortie ({os_reason(exc)})",
                          out_dir.parent) from None
    if not create:
        path.rmdir()
    return path


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One run at a time per output folder's parent (a lock on the folder itself, no lock file)."""
    try:
        handle = os.open(out_dir.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"dossier de sortie illisible ({os_reason(exc)})", out_dir.parent) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError("une autre exécution de fsl écrit déjà dans ce dossier : "
                              "attendez qu'elle finisse", out_dir) from None
        yield
    finally:
        os.close(handle)


def _clear_stale(out_dir: Path) -> None:
    """Remove the staging folders of killed runs; roll back their unfinished publications."""
    for kind in (BACKUP, STAGE):
        for path in sorted(out_dir.parent.glob(f".{out_dir.name}.{kind}-*")):
            if not path.is_dir() or process_alive(path.name.split(f"{kind}-")[1].split("-")[0]):
                continue
            if kind == BACKUP:
                recover(path, out_dir)
            shutil.rmtree(path, ignore_errors=True)


def process_alive(pid: str) -> bool:
    """Whether the process `pid` (digits from a folder name) may still run; unsure means yes."""
    if not pid.isdigit():
        return True  # not ours: leave it alone
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
