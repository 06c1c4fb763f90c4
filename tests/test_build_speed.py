"""Issue 10: command start-up, the build's conversion service (persistent LibreOffice instances
fed while rendering goes on) and documents identical to the previous single-batch path."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from regenerate_goldens import FIXTURE
from test_avenant_pdf import WRITE_PDFS, alive, docx_files, fake_soffice

from engine.cli import main
from engine.errors import DocumentError, FslError
from engine.finance import build_table
from engine.render import pdf
from engine.render.avenant import write_avenants
from engine.validation import load_conventions
from tests.conftest import copy_pack_conventions

needs_libreoffice = pytest.mark.skipif(pdf.libreoffice_path() is None, reason="LibreOffice absent")
ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pyhanko", "matplotlib", "openpyxl", "docxtpl", "docx", "frictionless", "validata_core", "pypdf",
         "rich")


def test_validate_does_not_import_what_only_other_commands_need() -> None:
    script = (
        "import sys\n"
        "from engine.cli import main\n"
        f"code = main(['validate', '-q', '--conventions', {str(FIXTURE)!r}])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_the_table_is_priced_once_per_loaded_conventions() -> None:
    conventions = load_conventions(FIXTURE).conventions
    assert build_table(conventions, 2026) is build_table(conventions, 2026)
    again = load_conventions(FIXTURE).conventions  # another load: priced again, equal figures
    assert build_table(again, 2026) is not build_table(conventions, 2026)
    assert build_table(again, 2026) == build_table(conventions, 2026)


def test_the_converter_batches_what_waits_and_removes_its_profiles(tmp_path, monkeypatch) -> None:
    log = fake_soffice(tmp_path, monkeypatch, WRITE_PDFS)
    monkeypatch.setattr(pdf, "PIPE_WAIT", 0.2)
    sources = docx_files(tmp_path, 12)
    with pdf.Converter(workers=2) as converter:
        futures = converter.submit(sources[:10], tmp_path / "pdf")
        scratch = converter.scratch("fsl-pack-")
        pack = converter.submit(sources[10:], scratch, pdf_a=True)
        merged = []
        converter.later(lambda: merged.append([f.result().name for f in pack]))
        converter.finish()
        profiles = [w.profile for w in converter._workers]
        assert merged == [["avenant_2026_a10.pdf", "avenant_2026_a11.pdf"]]
    assert [f.result().name for f in futures] == [f"avenant_2026_a{i}.pdf" for i in range(10)]
    assert not scratch.exists()
    calls = log.read_text().splitlines()
    servers = [c for c in calls if "--convert-to" not in c]
    clients = [c for c in calls if "--convert-to" in c]
    assert len(servers) == 2 and all("-env:UserInstallation=file:///" in c for c in servers)
    assert len({c.split()[0] for c in servers}) == 2  # one private profile each
    assert sum(c.count(".docx") for c in clients) == 12 and len(clients) <= 4
    assert all("SelectPdfVersion" in c for c in clients if str(scratch) in c)
    assert not any(p.exists() for p in profiles)


def test_a_file_the_converter_did_not_convert_is_named(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch, "exit 0")
    monkeypatch.setattr(pdf, "PIPE_WAIT", 0.2)
    [source] = docx_files(tmp_path, 1)
    with pdf.Converter() as converter, pytest.raises(DocumentError) as caught:
        converter.wait(converter.submit([source], tmp_path / "pdf"))
    assert caught.value.path == str(source.resolve())


def test_a_slow_conversion_is_stopped_and_libreoffice_killed(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch,
                 f'sleep 30 & echo $! >> "{tmp_path}/children"; wait')
    monkeypatch.setattr(pdf, "PIPE_WAIT", 0.2)
    start = time.monotonic()
    with pytest.raises(FslError, match="en 1 s"), pdf.Converter(workers=1, timeout=1) as converter:
        converter.wait(converter.submit(docx_files(tmp_path, 2), tmp_path / "pdf"))
    assert time.monotonic() - start < 15
    time.sleep(0.3)
    children = [int(line) for line in (tmp_path / "children").read_text().split()]
    assert len(children) == 2 and not any(alive(child) for child in children)  # instance and client


def test_ctrl_c_stops_every_instance_and_removes_the_profiles(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch, f'sleep 30 & echo $! >> "{tmp_path}/children"; wait')
    monkeypatch.setattr(pdf, "PIPE_WAIT", 0.2)
    with pytest.raises(KeyboardInterrupt), pdf.Converter(workers=2) as converter:
        converter.submit(docx_files(tmp_path, 12), tmp_path / "pdf")
        time.sleep(1)
        profiles = [w.profile for w in converter._workers]
        raise KeyboardInterrupt
    time.sleep(0.3)
    children = [int(line) for line in (tmp_path / "children").read_text().split()]
    assert len(children) >= 2 and not any(alive(child) for child in children)
    assert not any(p.exists() for p in profiles)


def test_the_same_stem_twice_in_one_folder_is_refused(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch, WRITE_PDFS)
    monkeypatch.setattr(pdf, "PIPE_WAIT", 0.2)
    (tmp_path / "b").mkdir()
    with pdf.Converter(workers=1) as converter:
        converter.submit([tmp_path / "x.docx"], tmp_path / "pdf")
        with pytest.raises(DocumentError):
            converter.submit([tmp_path / "b" / "x.docx"], tmp_path / "pdf")
        converter.close(wait=False)


def _texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): " ".join(page.extract_text() for page in PdfReader(p).pages)
            for p in sorted(folder.rglob("*.pdf"))}


def _digests(folder: Path, suffix: str) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob(f"*{suffix}"))}


@pytest.fixture
def conventions(tmp_path: Path) -> Path:
    """The pack fixture's associations with the real Département, commissions and activity."""
    return copy_pack_conventions(tmp_path)


@pytest.mark.libreoffice
@needs_libreoffice
def test_the_build_writes_the_same_documents_as_the_single_batch_path(conventions, tmp_path) -> None:
    """DOCX bytes identical to a build without --pdf and to `write_avenants`; each avenant's PDF
    text identical to what one `soffice --convert-to` batch makes of the same DOCX; the pack's PDF
    text identical to `fsl pack --pdf` (its own single batch, then the same merge)."""
    out, plain, alone = tmp_path / "pdf", tmp_path / "docx", tmp_path / "pack"
    assert main(["build", "2026", "--pdf", "-q", "--conventions", str(conventions), "--out", str(out)]) == 0
    assert main(["build", "2026", "-q", "--conventions", str(conventions), "--out", str(plain)]) == 0
    assert _digests(out, ".docx") == _digests(plain, ".docx")
    direct = write_avenants(load_conventions(conventions).conventions, 2026, tmp_path / "direct")
    assert {f"avenants/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in direct} == \
        {k: v for k, v in _digests(out, ".docx").items() if k.startswith("avenants/")}
    pdf.convert_to_pdf(direct, tmp_path / "direct")
    built = _texts(out / "avenants")
    assert len(built) == len(direct) and built == _texts(tmp_path / "direct")
    assert main(["pack", "2026", "--pdf", "-q", "--conventions", str(conventions), "--out", str(alone)]) == 0
    assert _texts(out / "pack") == _texts(alone / "pack") != {}
