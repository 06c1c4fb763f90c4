"""Issue 12, one test per row of its table: nothing lost, nothing overwritten, never a traceback.

Rows covered elsewhere: 2 and 3 in test_output.py (clerk's file, fault injection), 7, 10 and 13
in bad_inputs/ (cases 36 to 43, run by test_validation.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.checker.evidence import end_of_day, inspect_file
from engine.cli import main
from engine.rules import FileStatus

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "soumissions-2026"
AS_OF = "2026-11-22"


@pytest.fixture
def submissions(tmp_path: Path) -> Path:
    folder = tmp_path / "soumissions"
    shutil.copytree(EXAMPLE, folder)
    return folder


def check(folder: Path, *extra: str) -> int:
    return main(["check", str(folder), "--as-of", AS_OF, *extra])


# Row 1: a report never overwrites an input.
def test_row1_a_report_over_a_received_file_is_refused(submissions: Path, capsys) -> None:
    received = submissions / "fichiers" / "D-000003.pdf"
    before = received.read_bytes()
    assert check(submissions, "--xlsx", str(received)) == 3
    assert received.read_bytes() == before
    assert "jamais dans le dossier contrôlé" in capsys.readouterr().err


def test_row1_a_report_over_a_file_that_is_not_a_report_is_refused(submissions, tmp_path, capsys) -> None:
    letter = tmp_path / "courrier.html"
    letter.write_text("Madame, Monsieur,", encoding="utf-8")
    assert check(submissions, "--html", str(letter)) == 3
    assert letter.read_text(encoding="utf-8") == "Madame, Monsieur,"
    assert "n'est pas un rapport" in capsys.readouterr().err


def test_row1_a_previous_report_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "soumissions"
    shutil.copytree(ROOT / "tests" / "hostile" / "soumissions", folder)
    reports = ["--html", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "r.xlsx")]
    assert check(folder, *reports) == 1  # findings
    first = (tmp_path / "r.xlsx").stat().st_mtime_ns
    assert check(folder, *reports) == 1
    assert (tmp_path / "r.xlsx").stat().st_mtime_ns >= first


# Row 3: a failing move into output/ leaves the previous output exactly as it was (CLI level).
def test_row3_a_failing_publication_leaves_the_previous_build(small_conventions, tmp_path, monkeypatch,
                                                              capsys) -> None:
    out = tmp_path / "sortie"
    args = ["table", "2026", "--conventions", str(small_conventions), "--out", str(out)]
    assert main(args) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.replace

    def immutable(source, target):  # as `chattr +i` on the DOCX: it can be neither moved nor replaced
        if out / "tableau_financier_2026.docx" in (Path(source), Path(target)):
            raise PermissionError(1, "Operation not permitted", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", immutable)
    alpha = small_conventions / "associations" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("asll_points: 35", "asll_points: 36"),
                     encoding="utf-8")
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "resté tel qu'il était" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def run_fsl(*args: str, timeout: float = 10) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


# Row 4: /dev/zero behind a symlink, and a FIFO, are refused at once.
def test_row4_a_symlink_to_dev_zero_is_refused(small_conventions: Path) -> None:
    (small_conventions / "associations" / "z.yaml").symlink_to("/dev/zero")
    started = time.monotonic()
    result = run_fsl("validate", "--conventions", str(small_conventions))
    assert result.returncode == 1 and time.monotonic() - started < 10
    assert "z.yaml" in result.stderr and "hors du dossier" in result.stderr


def test_row4_a_fifo_never_hangs(small_conventions: Path, submissions: Path) -> None:
    os.mkfifo(small_conventions / "associations" / "f.yaml")
    result = run_fsl("validate", "--conventions", str(small_conventions))
    assert result.returncode == 1 and "pas un fichier ordinaire" in result.stderr
    (submissions / "evenements.csv").unlink(missing_ok=True)
    os.mkfifo(submissions / "evenements.csv")
    result = run_fsl("check", str(submissions), "--as-of", AS_OF)
    assert result.returncode == 1 and "evenements.csv" in result.stderr


# Row 5: a control character in a CSV field is a located error; ESC never reaches the terminal raw.
def test_row5_control_characters_in_a_csv_field(submissions: Path, tmp_path: Path, capsys) -> None:
    documents = submissions / "documents.csv"
    text = documents.read_text(encoding="utf-8")
    documents.write_text(text.replace("D-000003.pdf", "D-000003\x0b\x1b[2J.pdf", 1), encoding="utf-8")
    assert check(submissions, "--xlsx", str(tmp_path / "r.xlsx")) == 1
    err = capsys.readouterr().err
    assert "documents.csv:4: fichier (colonne 7): caractère invisible U+000B" in err
    assert "\x1b" not in err and not (tmp_path / "r.xlsx").exists()


# Row 6: a name starting with `=` is text, not a formula.
def test_row6_a_name_starting_with_equals_is_text_in_the_table(small_conventions, tmp_path) -> None:
    alpha = small_conventions / "associations" / "alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    alpha.write_text(text.replace("nom: Association Alpha", 'nom: "=HYPERLINK(\\"http://x\\";\\"y\\")"'),
                     encoding="utf-8")
    assert main(["table", "2026", "--conventions", str(small_conventions), "--out", str(tmp_path / "o")]) == 0
    sheet = load_workbook(tmp_path / "o" / "tableau_financier_2026.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value.startswith("="))
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all(c.value.startswith(("=SUM(", "=ROUND(")) for c in formulas)  # the engine's own


def test_row6_the_check_report_writes_formula_like_text_as_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from engine.render.xlsx_text import append_row

    book = Workbook()
    append_row(book.active, ["=1+1", "+33 6", "-x", "@SUM(A1)", "\tx", "ok\x1bkо", 3])
    book.save(tmp_path / "r.xlsx")
    row = next(load_workbook(tmp_path / "r.xlsx").active.iter_rows())
    assert [c.data_type for c in row] == ["s"] * 6 + ["n"]
    assert row[5].value == "ok\ufffdkо"


# Row 8: --xlsx on a directory is exit 3 in French.
def test_row8_a_report_onto_a_directory_is_exit_3(submissions: Path, tmp_path: Path, capsys) -> None:
    assert check(submissions, "--xlsx", str(tmp_path)) == 3
    err = capsys.readouterr().err
    assert "c'est un dossier" in err and "Traceback" not in err


# Row 9: an unknown association slug or territory in mesures.csv is blamed on mesures.csv.
def test_row9_unknown_slug_and_territory_are_blamed_on_mesures_csv(submissions: Path, capsys) -> None:
    measures = submissions / "mesures.csv"
    lines = measures.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(";acarlogi;", ";acarlogy;")
    lines[2] = lines[2].replace(";GSL;;", ";GSL;atlantide;")
    measures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check(submissions) == 1
    err = capsys.readouterr().err
    assert f"{measures}:2: association (colonne 2): association « acarlogy » inconnue" in err
    assert f"{measures}:3: territoire (colonne 5): territoire « atlantide » inconnu" in err
    assert "documents.csv" not in err


# Row 11: a truncated signed PDF is unreadable, never a silent fallback on the register.
@pytest.mark.parametrize("share", [4, 2, 1.001])
def test_row11_a_truncated_signed_pdf_is_unreadable(tmp_path: Path, share: float) -> None:
    data = (EXAMPLE / "fichiers" / "D-000003.pdf").read_bytes()
    (tmp_path / "t.pdf").write_bytes(data[: int(len(data) / share)])
    found = inspect_file(str(tmp_path / "t.pdf"), 10**7, (), end_of_day(date(2026, 11, 22)))
    assert found.status is FileStatus.UNREADABLE and "tronqué" in found.reason


# Row 12: a year with no allocation is an error naming it, nothing written.
def test_row12_a_year_without_allocation_is_an_error(tmp_path: Path, capsys) -> None:
    assert main(["table", "2027", "--out", str(tmp_path / "o")]) == 1
    assert "aucune allocation 2027" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# Row 14: nothing is read outside fichiers/ or regles/.
def test_row14_symlinks_leaving_fichiers_are_unreadable_findings(submissions: Path, capsys) -> None:
    target = submissions / "fichiers" / "D-000003.pdf"
    target.unlink()
    target.symlink_to("/etc/passwd")
    assert check(submissions, "--json") == 1
    out = capsys.readouterr().out
    assert '"document_id": "D-000003"' in out and "sort du dossier fichiers/" in out


def test_row14_a_fichiers_folder_that_is_a_symlink_is_refused(submissions: Path, tmp_path, capsys) -> None:
    shutil.move(submissions / "fichiers", tmp_path / "ailleurs")
    (submissions / "fichiers").symlink_to(tmp_path / "ailleurs")
    check(submissions, "--json")
    out = capsys.readouterr().out
    assert "sort du dossier fichiers/" in out


def test_row14_regles_reads_only_a_rules_file(submissions: Path, capsys) -> None:
    # issue 13: --regles takes a name of conventions/regles/ or the path of a .yaml rules file
    assert check(submissions, "--regles", "../commissions/2026") == 1
    assert "« ../commissions/2026 » : attendu un fichier .yaml" in capsys.readouterr().err


def test_row14_a_trusted_certificate_is_never_read_outside_regles(tmp_path: Path) -> None:
    from engine.checker.ruleset import RULES_DIR, build_ruleset
    from engine.errors import InputErrors
    from engine.load.yamlfile import parse_yaml

    (tmp_path / "secret.pem").write_text("-----BEGIN CERTIFICATE-----", encoding="utf-8")
    (tmp_path / "regles").mkdir()
    text = (RULES_DIR / "cea.yaml").read_text(encoding="utf-8").replace(
        "controle_depuis: 2024-01-01", "controle_depuis: 2024-01-01\ncertificats_confiance: [../secret.pem]")
    with pytest.raises(InputErrors, match="hors du dossier"):
        build_ruleset(parse_yaml(text, tmp_path / "regles" / "cea.yaml"))


# Row 15: Ctrl-C during the PDF conversion: LibreOffice stopped, staging and profile removed.
def test_row15_interrupt_during_pdf_conversion_cleans_everything(tmp_path: Path) -> None:
    bin_dir, temp, out = tmp_path / "bin", tmp_path / "tmp", tmp_path / "sortie"
    for folder in (bin_dir, temp):
        folder.mkdir()
    late = tmp_path / "ecrit-apres-coup.pdf"
    soffice = bin_dir / "soffice"
    started = bin_dir / "lance"  # LibreOffice (this stand-in) is running: the interrupt comes mid-conversion
    soffice.write_text(f"#!/bin/sh\ntouch {started}\n(sleep 3; touch {late}) &\nsleep 60\n", encoding="utf-8")
    soffice.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", TMPDIR=str(temp))
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "avenants", "2026", "--pdf", "--out", str(out),
         "--conventions", str(ROOT / "tests" / "fixtures" / "avenants")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not (started.exists() and list(temp.glob("fsl-libreoffice-*"))) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130 and "Traceback" not in err
    time.sleep(4)
    assert not late.exists()  # LibreOffice's process group was stopped
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "tmp"]  # no staging, no output
    assert list(temp.iterdir()) == []  # no profile left


# Row 16: French argparse, warnings summarised, an internal error is a sentence and a log.
def test_row16_argparse_speaks_french(capsys) -> None:
    assert main(["table", "deux-mille"]) == 2
    err = capsys.readouterr().err
    assert "valeur « deux-mille » invalide : attendu un nombre entier" in err
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "arguments positionnels" in out and "afficher ce message d'aide et quitter" in out
    assert "positional arguments" not in out


def test_row16_warnings_are_one_summary_line(capsys) -> None:
    assert main(["validate"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "signataires inconnus" in err[0] and "fsl validate --details" in err[0]
    assert main(["validate", "--details"]) == 0
    details = capsys.readouterr().err.splitlines()
    assert len(details) > 1 and all(line.startswith("attention : conventions/") for line in details)
    assert main(["validate", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_row16_an_unexpected_error_is_a_sentence_and_a_log(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("FSL_LOG_DIR", str(tmp_path))
    monkeypatch.delenv("FSL_DEBUG", raising=False)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("engine.commands.validate.load", broken)
    assert main(["validate"]) == 3
    err = capsys.readouterr().err
    assert "Erreur interne inattendue (ZeroDivisionError)" in err and "Traceback" not in err
    logs = list(tmp_path.glob("fsl-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "Traceback" in logs[0].read_text(encoding="utf-8")
    monkeypatch.setenv("FSL_DEBUG", "1")
    assert main(["validate"]) == 3
    assert "Traceback" in capsys.readouterr().err
