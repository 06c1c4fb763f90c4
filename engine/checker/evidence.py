"""Read the received files as untrusted input: size limit, per-file time limit, memory limit.

Each file is opened read-only in a worker process; a worker that overruns the time limit is
killed (a hang in a parser cannot stop the run), one that dies is replaced, and every failure
becomes an UNREADABLE `FileEvidence` with a French reason. Nothing here writes to the files.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path

from engine.checker.registry import FILES_DIR
from engine.checker.workers import Inspect, Job, WorkerPool
from engine.rules import DocumentRecord, FileEvidence, FileStatus
from engine.signatures import Unreadable, pdf_evidence

PDF_MAGIC, ZIP_MAGIC = b"%PDF-", b"PK\x03\x04"
PDF_END, PDF_TRAILING = b"%%EOF", b"\x00\t\n\x0c\r "
"""A PDF ends with %%EOF (ISO 32000-1 §7.5.5), maybe padded: all 198 files of the corpus do; a
truncated signed PDF does not, and must never fall back silently on the register."""
MAX_DOCX_UNPACKED = 200 * 1024 * 1024


@dataclass(frozen=True)
class FileLimits:
    """Bounds for one received file. Measured on the 198-file PDF corpus (../shared/corpus/pdf):
    slowest file 0.14 s (a PAdES-LTA file, three signatures), median 1.4 ms, largest 3.3 MB; the
    limits leave a 100-fold margin for honest files and stop a hostile one."""

    max_bytes: int = 25 * 1024 * 1024
    seconds: float = 20.0
    memory_bytes: int = 1024 * 1024 * 1024  # on top of the worker's size when it starts
    workers: int = max(1, min(4, os.cpu_count() or 1))


DEFAULT_LIMITS = FileLimits()


def unreadable(reason: str) -> FileEvidence:
    return FileEvidence(status=FileStatus.UNREADABLE, reason=reason)


def end_of_day(as_of: date) -> datetime:
    """The end of a day (UTC). A received file's signatures are judged at the end of its day of
    receipt (or at their trusted timestamp: engine.signatures), never at `as_of` nor today."""
    return datetime.combine(as_of, clock_time(23, 59, 59), tzinfo=UTC)


def inspect_file(
    path: str, max_bytes: int, trust_roots: Sequence[bytes], moment: datetime,
) -> FileEvidence:
    """Open one file and return what it shows; any parser exception is an unreadable file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            return unreadable(f"fichier trop gros (plus de {max_bytes} octets)")
        return _inspect_bytes(data, trust_roots, moment)
    except Unreadable as exc:
        return unreadable(str(exc))
    except MemoryError:
        return unreadable("lecture abandonnée : mémoire dépassée (fichier piégé ?)")
    except RecursionError:
        return unreadable("structure du fichier trop profonde (fichier piégé ?)")
    except Exception as exc:  # noqa: BLE001 - documented last resort: untrusted input becomes a finding
        return unreadable(f"fichier endommagé ({type(exc).__name__})")


def _inspect_bytes(data: bytes, trust_roots: Sequence[bytes], moment: datetime) -> FileEvidence:
    if not data:
        return unreadable("fichier vide")
    if PDF_MAGIC in data[:1024]:
        if not data.rstrip(PDF_TRAILING).endswith(PDF_END):
            return unreadable("PDF incomplet : il ne finit pas par %%EOF (fichier tronqué ?) ; "
                              "demandez un nouvel envoi")
        return pdf_evidence(data, trust_roots, moment)
    if data.startswith(ZIP_MAGIC):
        return _docx_evidence(data)
    return unreadable("format non reconnu : ni PDF ni DOCX")


def _docx_evidence(data: bytes) -> FileEvidence:
    """A DOCX carries no signature field we read: readable when it is a sane Word archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if sum(e.file_size for e in entries) > MAX_DOCX_UNPACKED:
            return unreadable("archive DOCX démesurée une fois décompressée (fichier piégé ?)")
        if "word/document.xml" not in archive.namelist():
            return unreadable("archive ZIP qui n'est pas un document Word (DOCX)")
        if archive.testzip() is not None:
            return unreadable("document Word (DOCX) endommagé")
    return FileEvidence(status=FileStatus.READ)


def precheck(folder: Path, file: str, limits: FileLimits) -> FileEvidence | str:
    """What can be said without opening `file` (absent, not a file, too big), else its path."""
    path = folder / FILES_DIR / file
    try:
        info = path.stat()
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return unreadable(f"fichier absent du dossier {FILES_DIR}/")
    if not real.is_relative_to(folder.resolve() / FILES_DIR):
        return unreadable(f"lien symbolique qui sort du dossier {FILES_DIR}/ : refusé")
    if not path.is_file():
        return unreadable("ce n'est pas un fichier ordinaire")
    if info.st_size > limits.max_bytes:
        return unreadable(f"fichier trop gros ({info.st_size} octets, au plus {limits.max_bytes})")
    return str(path)


def read_evidence(
    folder: Path, documents: Iterable[DocumentRecord], as_of: date, trust_roots: Sequence[bytes] = (),
    limits: FileLimits = DEFAULT_LIMITS, progress: Callable[[int, int], None] | None = None,
    inspect: Inspect = inspect_file,
) -> dict[str, FileEvidence]:
    """The evidence of every file named in `documents` and received by `as_of`, by document_id."""
    found: dict[str, FileEvidence] = {}
    jobs: list[Job] = []
    for doc in documents:
        if doc.file is None or doc.received > as_of:
            continue
        checked = precheck(Path(folder), doc.file, limits)
        if isinstance(checked, FileEvidence):
            found[doc.document_id] = checked
        else:
            jobs.append((doc.document_id, checked, end_of_day(doc.received)))
    if jobs:
        with WorkerPool(limits, trust_roots, end_of_day(as_of), inspect) as pool:
            found.update(pool.run(jobs, progress))
    return found
