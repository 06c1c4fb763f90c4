"""PDFs reused by content: a DOCX whose bytes did not change keeps the PDF LibreOffice made of it.

DOCX are byte-reproducible, so their SHA-256 names what LibreOffice is given. The key adds what
else decides the PDF: LibreOffice's own version (its `program/versionrc`, else the binary's size
and date), the export filter with its options, and the engine's version. An entry is the PDF and
a sidecar holding its own SHA-256: an entry whose sidecar is missing, does not match, or whose
bytes are not a PDF is ignored and rewritten, never trusted.

The cache lives in `FSL_CACHE_DIR` (default `var/cache/` under the project root), under `pdf/`;
`FSL_SANS_CACHE=1` (`--sans-cache`) runs cold and leaves it untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from engine import PROJECT_ROOT, __version__

SUBFOLDER = "pdf"


def cache_root() -> Path:
    return Path(os.environ.get("FSL_CACHE_DIR") or PROJECT_ROOT / "var" / "cache")


def cache_disabled() -> bool:
    return os.environ.get("FSL_SANS_CACHE") == "1"


def libreoffice_version(soffice: str) -> str:
    """What identifies the LibreOffice that converts: its versionrc, else its binary's stat."""
    program = Path(os.path.realpath(soffice)).parent
    for name in ("versionrc", "version.ini"):
        path = program / name
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    stat = Path(os.path.realpath(soffice)).stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}"


class PdfCache:
    """`get(docx, filter)` → the cached PDF's bytes or None; `put(docx, filter, pdf)` stores it."""

    def __init__(self, folder: Path, libreoffice: str) -> None:
        self.folder = Path(folder) / SUBFOLDER
        self.libreoffice = libreoffice

    def key(self, docx: bytes, export_filter: str) -> str:
        digest = hashlib.sha256()
        for part in (hashlib.sha256(docx).hexdigest(), self.libreoffice, export_filter, __version__):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.pdf", self.folder / f"{key}.sha256"

    def get(self, docx: bytes, export_filter: str) -> bytes | None:
        pdf, sidecar = self._paths(self.key(docx, export_filter))
        try:
            if pdf.is_symlink() or sidecar.is_symlink() or not pdf.is_file() or not sidecar.is_file():
                return None
            data = pdf.read_bytes()
            expected = sidecar.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not data.startswith(b"%PDF-") or hashlib.sha256(data).hexdigest() != expected:
            return None  # corrupt or foreign: converted again, and the entry rewritten
        return data

    def put(self, docx: bytes, export_filter: str, pdf_path: Path) -> None:
        """Store the PDF just made (atomically: a reader never sees half an entry). Best effort:
        a cache that cannot be written only costs the next run its conversion."""
        try:
            data = Path(pdf_path).read_bytes()
            if not data.startswith(b"%PDF-"):
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            pdf, sidecar = self._paths(self.key(docx, export_filter))
            for target, content in ((pdf, data), (sidecar, hashlib.sha256(data).hexdigest().encode())):
                handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                os.replace(temporary, target)
        except OSError:
            return

    def copy_to(self, data: bytes, target: Path) -> Path:
        """Write a cached PDF as `target` (atomically, beside it)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
        return target


def default_cache(soffice: str) -> PdfCache | None:
    """The project's cache, unless `--sans-cache` / `FSL_SANS_CACHE=1`."""
    if cache_disabled():
        return None
    return PdfCache(cache_root(), libreoffice_version(soffice))



@contextlib.contextmanager
def without_cache() -> Iterator[None]:
    """`--sans-cache`: the run converts cold and leaves the cache untouched."""
    previous = os.environ.get("FSL_SANS_CACHE")
    os.environ["FSL_SANS_CACHE"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("FSL_SANS_CACHE", None)
        else:
            os.environ["FSL_SANS_CACHE"] = previous
