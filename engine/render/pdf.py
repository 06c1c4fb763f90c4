"""PDF through LibreOffice: a whole batch in ONE headless process, with its own temporary profile.

Starting LibreOffice costs seconds, so the 27 avenants go through a single `soffice
--convert-to pdf` call. The profile (`-env:UserInstallation`) is a fresh temporary folder, so a
user's open LibreOffice or a stale lock never blocks the run; a timeout kills the whole process
group. Only documents the engine generated go through here, never a submitted file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from engine.errors import DocumentError, RunError
from engine.render.output import process_alive

INSTALL = "apt-get install libreoffice-writer-nogui"
MISSING = (f"LibreOffice est introuvable : les PDF ne sont pas produits (les DOCX le sont) ; "
           f"installez-le avec « {INSTALL} ».")
PROFILE_PREFIX = "fsl-libreoffice-"
PDF_A2 = {"SelectPdfVersion": {"type": "long", "value": "2"}}
"""writer_pdf_Export option for PDF/A-2b (LibreOffice ≥ 7.4 reads filter options as JSON)."""


def libreoffice_path() -> str | None:
    """The `soffice` (or `libreoffice`) executable on PATH, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(
    paths: list[Path], out_dir: Path, *, pdf_a: bool = False, timeout: float = 600
) -> list[Path]:
    """Convert `paths` to `out_dir/<stem>.pdf` in one LibreOffice process; return the PDFs.

    Raises `FslError` when LibreOffice is missing or too slow, `DocumentError` naming a file
    LibreOffice did not convert.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    soffice = libreoffice_path()
    if soffice is None:
        raise RunError(MISSING)
    _check_stems(paths)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear_stale_profiles()
    with tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{os.getpid()}-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", _target(pdf_a),
                   "--outdir", str(out_dir), *(str(p) for p in paths)]
        returncode, output = _run(command, timeout, dict(os.environ, HOME=profile))
    pdfs = [out_dir / f"{p.stem}.pdf" for p in paths]
    for source, pdf in zip(paths, pdfs, strict=True):
        if not pdf.is_file():
            raise DocumentError(f"LibreOffice n'a pas produit {pdf.name} (code {returncode}) : "
                                f"{output.strip()[-300:]}", source)
    return pdfs


def _clear_stale_profiles() -> None:
    """Remove the LibreOffice profiles a killed run left in the temporary folder."""
    for path in Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*-*"):
        pid = path.name[len(PROFILE_PREFIX):].split("-")[0]
        if path.is_dir() and not path.is_symlink() and not process_alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _target(pdf_a: bool) -> str:
    if not pdf_a:
        return "pdf"
    return "pdf:writer_pdf_Export:" + json.dumps(PDF_A2, separators=(",", ":"))


def _check_stems(paths: list[Path]) -> None:
    """Two inputs with one stem would write the same PDF."""
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            raise DocumentError(f"même nom de PDF que {seen[path.stem]}", path)
        seen[path.stem] = path


def _run(command: list[str], timeout: float, env: dict) -> tuple[int, str]:
    """Run in a new process group; on timeout kill the group (soffice forks soffice.bin)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise RunError(f"LibreOffice n'a pas fini la conversion en PDF en {timeout:g} s : "
                       "conversion abandonnée") from None
    except BaseException:  # Ctrl-C, SIGTERM: stop LibreOffice before its profile and outputs go
        _stop(process)
        raise
    return process.returncode, output.decode("utf-8", errors="replace")


def _stop(process: subprocess.Popen) -> None:
    """Kill the whole process group (soffice forks soffice.bin) and wait for it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()
