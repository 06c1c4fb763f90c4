"""Issue 20 point 2: a DOCX whose bytes did not change keeps its PDF (keyed by the DOCX SHA-256,
LibreOffice's version, the export filter and the engine's version); a corrupt entry is ignored and
rewritten; `--sans-cache` converts cold and leaves the cache untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from engine.render import pdf
from engine.render.pdf_cache import PdfCache

PDF = b"%PDF-1.7\n%fake but shaped\n"


def test_an_entry_is_found_by_the_docx_bytes_and_the_filter(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path, "lo-7.4")
    made = tmp_path / "made.pdf"
    made.write_bytes(PDF)
    cache.put(b"docx bytes", "pdf", made)
    assert cache.get(b"docx bytes", "pdf") == PDF
    assert cache.get(b"docx bytes!", "pdf") is None  # other DOCX bytes
    assert cache.get(b"docx bytes", "pdf:writer_pdf_Export:{}") is None  # other export options
    assert PdfCache(tmp_path, "lo-24.2").get(b"docx bytes", "pdf") is None  # another LibreOffice


@pytest.mark.parametrize("damage", ["bytes", "sidecar", "not-a-pdf"])
def test_a_corrupt_or_foreign_entry_is_never_trusted(tmp_path: Path, damage: str) -> None:
    cache = PdfCache(tmp_path, "lo")
    made = tmp_path / "made.pdf"
    made.write_bytes(PDF)
    cache.put(b"d", "pdf", made)
    entry = next((tmp_path / "pdf").glob("*.pdf"))
    if damage == "bytes":
        entry.write_bytes(PDF + b"tampered")
    elif damage == "sidecar":
        entry.with_suffix(".sha256").unlink()
    else:
        entry.write_bytes(b"<html>")
        entry.with_suffix(".sha256").write_text(hashlib.sha256(b"<html>").hexdigest())
    assert cache.get(b"d", "pdf") is None
    cache.put(b"d", "pdf", made)  # rewritten at the next conversion
    assert cache.get(b"d", "pdf") == PDF


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    from docx import Document

    path = tmp_path / "lettre.docx"
    document = Document()
    document.add_paragraph("Une page à convertir.")
    document.save(str(path))
    return path


@pytest.mark.libreoffice
def test_an_unchanged_docx_is_not_converted_again(docx: Path, tmp_path: Path, monkeypatch) -> None:
    if pdf.libreoffice_path() is None:
        pytest.skip("LibreOffice absent")
    monkeypatch.setenv("FSL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FSL_SANS_CACHE", raising=False)
    calls = []
    real = pdf._run
    monkeypatch.setattr(pdf, "_run", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = pdf.convert_to_pdf([docx], tmp_path / "un")[0].read_bytes()
    again = pdf.convert_to_pdf([docx], tmp_path / "deux")[0].read_bytes()
    assert len(calls) == 1 and again == first
    with pdf.Converter(workers=1) as converter:  # the build's service reads the same cache
        assert converter.wait(converter.submit([docx], tmp_path / "trois"))[0].read_bytes() == first
    monkeypatch.setenv("FSL_SANS_CACHE", "1")  # --sans-cache: cold, and the cache untouched
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (tmp_path / "cache" / "pdf").iterdir())
    pdf.convert_to_pdf([docx], tmp_path / "quatre")
    assert len(calls) == 2
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (tmp_path / "cache" / "pdf").iterdir()) == before
