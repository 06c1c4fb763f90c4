"""`fsl build`: the pack is one of its steps, and manifest.json hashes every input and output."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.commands import build as build_command
from engine.pack.write import pack_step
from engine.render.pdf import libreoffice_path
from tests.conftest import copy_pack_conventions

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "conventions"


@pytest.fixture
def conventions(tmp_path: Path) -> Path:
    return copy_pack_conventions(tmp_path)


def test_build_writes_the_pack_and_a_manifest_of_every_file(conventions: Path, tmp_path: Path,
                                                            capsys) -> None:
    assert pack_step in build_command.steps()
    out = tmp_path / "sortie"
    assert main(["build", "2026", "--conventions", str(conventions), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.is_file() and p.name != "manifest.json")
    assert [entry["path"] for entry in manifest["outputs"]] == files
    assert {f"pack/{stem}.docx" for stem in ("1_deliberation", "2_rapport")} <= set(files)
    assert "tableau_financier_2026.xlsx" in files and any(f.startswith("avenants/") for f in files)
    for entry in manifest["outputs"]:
        assert entry["sha256"] == hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest()
    inputs = {Path(entry["path"]).name for entry in manifest["inputs"]}
    assert {"departement.yaml", "grande.yaml", "logement.yaml", "2026.yaml", "2025.yaml",
            "deliberation.j2", "rapport.j2"} <= inputs
    printed = capsys.readouterr().out
    assert f"{len(files) + 1} fichiers écrits dans {out} :" in printed
    assert "  pack/ : 10 DOCX" in printed
    assert "  manifest.json (empreintes SHA-256 de " in printed


def test_a_missing_pack_input_stops_the_whole_build(conventions: Path, tmp_path: Path, capsys) -> None:
    (conventions / "activite" / "2025.yaml").unlink()
    out = tmp_path / "sortie"
    assert main(["build", "2026", "--conventions", str(conventions), "--out", str(out)]) == 1
    assert "activite/2025.yaml: -: fichier introuvable" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice absent")
@pytest.mark.skipif(len(list((REAL / "associations").glob("*.yaml"))) < 27,
                    reason="les 27 associations ne sont pas encore dans conventions/associations")
def test_build_2026_pdf_writes_table_27_avenants_and_the_pack(tmp_path: Path, capsys) -> None:
    assert main(["build", "2026", "--pdf", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "tableau_financier_2026.xlsx").is_file()
    assert len(list((tmp_path / "avenants").glob("*.pdf"))) == 27
    assert (tmp_path / "pack" / "dossier_commission_permanente_2026.pdf").is_file()
    assert "  pack/ : 10 DOCX, 1 PDF" in capsys.readouterr().out


def test_a_pack_without_pdf_does_not_import_pypdf(conventions: Path, tmp_path: Path) -> None:
    """pypdf merges the PDF parts: a pack written without --pdf does not pay for its import."""
    script = (
        "import sys\n"
        "from engine.cli import main\n"
        f"code = main(['pack', '2026', '--conventions', {str(conventions)!r}, "
        f"'--out', {str(tmp_path / 'sortie')!r}])\n"
        "print(code, 'pypdf' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    assert done.stdout.splitlines()[-1] == "0 False", done.stdout + done.stderr
