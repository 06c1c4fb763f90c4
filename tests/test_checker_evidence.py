"""Received files are untrusted: size, time and memory limits that really hold, and no crash."""

from __future__ import annotations

import io
import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from engine.checker import evidence as evidence_module
from engine.checker.evidence import FileLimits, inspect_file, read_evidence
from engine.checker.examples import pdf
from engine.rules import DocumentRecord, DocumentType, FileStatus

AS_OF = date(2026, 11, 22)


def _hang(path, max_bytes, trust_roots, moment):
    time.sleep(60)


def _die(path, max_bytes, trust_roots, moment):
    os._exit(3)


def _hungry(path, max_bytes, trust_roots, moment):
    return bytearray(3 * 1024**3)


def documents(root: Path, names: dict[str, bytes | None]) -> list[DocumentRecord]:
    (root / "fichiers").mkdir(parents=True, exist_ok=True)
    docs = []
    for index, (name, content) in enumerate(names.items()):
        if content is not None:
            (root / "fichiers" / name).write_bytes(content)
        docs.append(DocumentRecord(f"D-{index}", None, "acarlogi", DocumentType.AVENANT, "2026",
                                   date(2026, 7, 1), name, frozenset()))
    return docs


def test_time_limit_kills_a_hung_reader_and_goes_on(tmp_path: Path) -> None:
    docs = documents(tmp_path, {"a.pdf": b"%PDF-1.7", "b.pdf": b"%PDF-1.7", "c.pdf": b"%PDF-1.7"})
    started = time.monotonic()
    found = read_evidence(tmp_path, docs, AS_OF, limits=FileLimits(seconds=1.0, workers=2), inspect=_hang)
    elapsed = time.monotonic() - started
    assert elapsed < 8, elapsed  # three files, two workers, one second each: not sixty
    assert {e.status for e in found.values()} == {FileStatus.UNREADABLE} and len(found) == 3
    assert "lecture abandonnée après 1 s" in found["D-0"].reason


def test_a_reader_that_dies_is_replaced(tmp_path: Path) -> None:
    docs = documents(tmp_path, {"a.pdf": b"x", "b.pdf": b"y"})
    found = read_evidence(tmp_path, docs, AS_OF, limits=FileLimits(workers=1), inspect=_die)
    assert all("lecture interrompue" in e.reason for e in found.values()) and len(found) == 2


def test_memory_limit_turns_a_bomb_into_a_finding(tmp_path: Path) -> None:
    docs = documents(tmp_path, {"bombe.pdf": b"%PDF-1.7"})
    limits = FileLimits(memory_bytes=256 * 1024**2, workers=1)
    [found] = read_evidence(tmp_path, docs, AS_OF, limits=limits, inspect=_hungry).values()
    assert found.status is FileStatus.UNREADABLE


def test_size_limit_and_absent_file_need_no_reader(tmp_path: Path) -> None:
    docs = documents(tmp_path, {"gros.pdf": b"%PDF-1.7" + b" " * 5000, "absent.pdf": None})
    (tmp_path / "fichiers" / "dossier.pdf").mkdir()
    docs += documents(tmp_path, {"dossier.pdf": None})[-1:]
    docs[-1] = DocumentRecord("D-9", None, "acarlogi", DocumentType.AVENANT, "2026", date(2026, 7, 1),
                              "dossier.pdf", frozenset())
    found = read_evidence(tmp_path, docs, AS_OF, limits=FileLimits(max_bytes=1000))
    assert "fichier trop gros" in found["D-0"].reason
    assert "absent du dossier fichiers/" in found["D-1"].reason
    assert "pas un fichier ordinaire" in found["D-9"].reason


def test_documents_received_after_as_of_are_not_read(tmp_path: Path) -> None:
    docs = documents(tmp_path, {"futur.pdf": b"garbage"})
    assert read_evidence(tmp_path, docs, date(2026, 6, 1)) == {}


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "fichier vide"),
    (b"Bonjour, voici le CET", "format non reconnu"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF incomplet"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "fichier endommagé"),
    (b"PK\x03\x04not really a zip", "fichier endommagé"),
])
def test_odd_files_are_unreadable_not_crashes(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "f"
    path.write_bytes(content)
    found = inspect_file(str(path), 10**6, (), evidence_module.end_of_day(AS_OF))
    assert found.status is FileStatus.UNREADABLE and reason in found.reason


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moment = evidence_module.end_of_day(AS_OF)
    path = tmp_path / "f.docx"
    path.write_bytes(_zip({"word/document.xml": b"<w:document/>"}))
    assert inspect_file(str(path), 10**6, (), moment).status is FileStatus.READ
    path.write_bytes(_zip({"autre.txt": b"x"}))
    assert "pas un document Word" in inspect_file(str(path), 10**6, (), moment).reason
    monkeypatch.setattr(evidence_module, "MAX_DOCX_UNPACKED", 1000)
    path.write_bytes(_zip({"word/document.xml": b"0" * 50_000}))
    assert "démesurée" in inspect_file(str(path), 10**6, (), moment).reason


def test_pdf_read_in_a_worker(tmp_path: Path) -> None:
    docs = documents(tmp_path, {"ok.pdf": pdf.document(["Avenant 2026"])})
    [found] = read_evidence(tmp_path, docs, AS_OF).values()
    assert found.status is FileStatus.READ and found.signatures == ()
