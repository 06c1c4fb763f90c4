"""Issue 10: the build's LibreOffice instances fed one document at a time through their UNO bridge.

Each instance listens on a private local pipe (`--accept=pipe,name=…;urp;`); `uno_bridge.py`, run
by the system Python that has LibreOffice's `uno` module (python3-uno), loads each document hidden
and exports it. The PDFs must be those of `soffice --convert-to` (same text, PDF/A where asked);
without `uno` the worker falls back to `--convert-to` clients.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from regenerate_goldens import FIXTURE
from test_avenant_pdf import alive

from engine.errors import DocumentError, FslError
from engine.render import pdf
from engine.render.avenant import write_avenants
from engine.validation import load_conventions


def _has_uno() -> bool:
    python = pdf.bridge_python() if pdf.libreoffice_path() else None
    if python is None:
        return False
    return subprocess.run([python, "-c", "import uno"], capture_output=True, check=False).returncode == 0


pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(not _has_uno(), reason="LibreOffice ou python3-uno absent")]


@pytest.fixture(scope="module")
def avenants(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("avenants")
    return write_avenants(load_conventions(FIXTURE).conventions, 2026, folder)[:3]


def text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def is_pdf_a(path: Path) -> bool:
    metadata = PdfReader(path).xmp_metadata
    xmp = metadata.rdf_root.toxml() if metadata is not None else ""
    return 'pdfaid:part="2"' in xmp or "<pdfaid:part>2</pdfaid:part>" in xmp


def test_the_bridge_writes_the_pdfs_of_convert_to(avenants, tmp_path, monkeypatch) -> None:
    with pdf.Converter(workers=1) as converter:
        plain = converter.wait(converter.submit(avenants[:2], tmp_path / "uno"))
        archived = converter.wait(converter.submit(avenants[2:], tmp_path / "uno-a", pdf_a=True))
        worker = converter._workers[0]
        assert worker.bridge is not None and worker.batch_size == 1  # documents went through UNO
        profile, pipe = worker.profile, Path("/tmp") / f"OSL_PIPE_{pdf.os.getuid()}_{worker.uno_pipe}"
    assert not profile.exists() and not pipe.exists()  # nothing left behind
    reference = pdf.convert_to_pdf(avenants[:2], tmp_path / "clients")
    assert [text(p) for p in plain] == [text(p) for p in reference]
    assert "Page 1 /" in text(plain[0])
    assert not is_pdf_a(plain[0]) and is_pdf_a(archived[0])


def test_without_uno_the_worker_falls_back_to_convert_to_clients(avenants, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "bridge_python", lambda: sys.executable)  # the venv's: no `uno`
    with pdf.Converter(workers=1) as converter:
        [converted] = converter.wait(converter.submit(avenants[:1], tmp_path))
        assert converter._workers[0].bridge is None
    assert "Page 1 /" in text(converted)


def test_clients_can_be_chosen(monkeypatch) -> None:
    monkeypatch.setenv("FSL_PDF_BRIDGE", "clients")
    assert pdf.bridge_python() is None
    monkeypatch.setenv("FSL_PDF_BRIDGE", "tcp")
    with pytest.raises(FslError, match="FSL_PDF_BRIDGE"):
        pdf.bridge_python()


def test_a_document_that_cannot_be_opened_is_named_and_the_next_one_converts(avenants, tmp_path) -> None:
    gone = tmp_path / "parti.docx"
    gone.write_bytes(avenants[0].read_bytes())
    with pdf.Converter(workers=1) as converter:
        futures = converter.submit([gone, avenants[1]], tmp_path / "pdf")
        gone.unlink()  # before LibreOffice gets to it (the worker waits for the bridge first)
        with pytest.raises(DocumentError) as caught:
            futures[0].result(timeout=120)
        assert caught.value.path == str(gone) and "parti.pdf" in str(caught.value)
        assert futures[1].result(timeout=120).is_file()


def test_interrupting_stops_libreoffice_and_the_bridge(avenants, tmp_path) -> None:
    with pytest.raises(KeyboardInterrupt), pdf.Converter(workers=2) as converter:
        converter.submit(avenants, tmp_path / "pdf")
        time.sleep(1.5)
        workers = list(converter._workers)
        raise KeyboardInterrupt
    time.sleep(0.3)
    for worker in workers:
        assert not alive(worker.server.pid) and not worker.profile.exists()
        assert worker.bridge is None or not alive(worker.bridge.pid)
