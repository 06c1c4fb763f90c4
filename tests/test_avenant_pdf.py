"""PDF conversion: one LibreOffice process for the whole batch, its own profile, a timeout.

The fast tests use a stand-in `soffice` script that records how it was called; the tests marked
`libreoffice` run the real one (installed by `make test` when root, and in CI).
"""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from regenerate_goldens import FIXTURE, normalized

from engine.errors import DocumentError, FslError
from engine.render import pdf
from engine.render.avenant import write_avenants
from engine.validation import load_conventions

needs_libreoffice = pytest.mark.skipif(pdf.libreoffice_path() is None, reason="LibreOffice absent")

FAKE = """#!/bin/sh
echo "$@" >> "{log}"
{body}
"""
WRITE_PDFS = """out=""; prev=""
for arg in "$@"; do
  if [ "$prev" = "--outdir" ]; then out="$arg"; fi
  case "$arg" in *.docx) name=$(basename "$arg" .docx); echo "%PDF-1.7" > "$out/$name.pdf";; esac
  prev="$arg"
done"""


def fake_soffice(tmp_path: Path, monkeypatch, body: str) -> Path:
    script, log = tmp_path / "soffice", tmp_path / "calls.log"
    script.write_text(FAKE.format(log=log, body=body))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: str(script))
    return log


def docx_files(tmp_path: Path, count: int) -> list[Path]:
    folder = tmp_path / "docx"
    folder.mkdir()
    paths = [folder / f"avenant_2026_a{i}.docx" for i in range(count)]
    for path in paths:
        path.write_bytes(b"PK")
    return paths


def test_the_whole_batch_goes_through_one_process(tmp_path, monkeypatch) -> None:
    log = fake_soffice(tmp_path, monkeypatch, WRITE_PDFS)
    sources = docx_files(tmp_path, 27)
    pdfs = pdf.convert_to_pdf(sources, tmp_path / "pdf")
    calls = log.read_text().splitlines()
    assert len(calls) == 1
    arguments = calls[0].split()
    assert arguments[0].startswith("-env:UserInstallation=file:///")
    assert {"--headless", "--convert-to", "pdf"} <= set(arguments)
    assert arguments[-27:] == [str(s) for s in sources]
    assert [p.name for p in pdfs] == [f"avenant_2026_a{i}.pdf" for i in range(27)]
    profile = Path(arguments[0].removeprefix("-env:UserInstallation=file://"))
    assert not profile.exists()


def test_pdf_a_uses_the_writer_export_filter(tmp_path, monkeypatch) -> None:
    log = fake_soffice(tmp_path, monkeypatch, WRITE_PDFS)
    pdf.convert_to_pdf(docx_files(tmp_path, 1), tmp_path / "pdf", pdf_a=True)
    assert 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}' in log.read_text()


def test_a_slow_libreoffice_is_stopped(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch, f'sleep 30 & echo $! > "{tmp_path}/child"; wait')
    start = time.monotonic()
    with pytest.raises(FslError, match="en 1 s"):
        pdf.convert_to_pdf(docx_files(tmp_path, 2), tmp_path / "pdf", timeout=1)
    assert time.monotonic() - start < 10
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    assert not alive(child)


def alive(pid: int) -> bool:
    """Running and not a zombie (in a container, PID 1 may never reap the killed child)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_a_file_not_converted_is_named(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch, "exit 0")
    [source] = docx_files(tmp_path, 1)
    with pytest.raises(DocumentError) as caught:
        pdf.convert_to_pdf([source], tmp_path / "pdf")
    assert caught.value.path == str(source)


def test_two_sources_with_one_stem_are_refused(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch, WRITE_PDFS)
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "x.docx", tmp_path / "b" / "x.docx"
    with pytest.raises(DocumentError):
        pdf.convert_to_pdf([first, second], tmp_path / "pdf")


def test_missing_libreoffice_says_how_to_install_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "libreoffice_path", lambda: None)
    with pytest.raises(FslError, match="apt-get install libreoffice-writer-nogui"):
        pdf.convert_to_pdf(docx_files(tmp_path, 1), tmp_path / "pdf")


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_converts_the_fixture_avenants(tmp_path) -> None:
    conventions = load_conventions(FIXTURE).conventions
    docx = write_avenants(conventions, 2026, tmp_path / "avenants")
    pdfs = pdf.convert_to_pdf(docx, tmp_path / "avenants")
    assert [p.stem for p in pdfs] == [d.stem for d in docx]
    reader = PdfReader(tmp_path / "avenants" / "avenant_2026_immobiliere-sociale-62.pdf")
    text = normalized(" ".join(page.extract_text() for page in reader.pages))
    assert "199 824,00 € soit 800 logements occupés" in text
    assert "399 648,00 € soit 800 logements occupés" in text
    assert f"Page 1 / {len(reader.pages)}" in text


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_writes_pdf_a_2b(tmp_path) -> None:
    conventions = load_conventions(FIXTURE).conventions
    docx = write_avenants(conventions, 2026, tmp_path, association="entraide-artois")
    [converted] = pdf.convert_to_pdf(docx, tmp_path, pdf_a=True)
    metadata = PdfReader(converted).xmp_metadata
    assert metadata is not None
    xmp = metadata.rdf_root.toxml()
    assert 'pdfaid:part="2"' in xmp or "<pdfaid:part>2</pdfaid:part>" in xmp
