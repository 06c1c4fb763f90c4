"""Atomic output: everything is written in a staging folder, then moved into place at once."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """Yield a staging folder beside `out_dir`; on success its entries replace `out_dir`'s.

    On any exception nothing in `out_dir` changes and the staging folder is removed.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        yield stage
        out_dir.mkdir(parents=True, exist_ok=True)
        for entry in sorted(stage.iterdir()):
            _replace(entry, out_dir / entry.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _replace(source: Path, target: Path) -> None:
    """Move `source` onto `target` with renames only (a folder's old copy is removed after)."""
    if source.is_dir() and target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(source, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(source, target)
