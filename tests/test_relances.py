"""`fsl relances`: one letter per association with missing or late documents, each listing exactly
that association's findings of `fsl check` (one engine, two views), never a household's name."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from engine import PROJECT_ROOT
from engine.checker.examples.build import generate
from engine.checker.reminders import clause_text, reminder_findings, text_codes
from engine.checker.ruleset import load_ruleset
from engine.checker.run import run_check
from engine.cli import main
from engine.commands.check import conventions_reference
from engine.errors import FslError

AS_OF = date(2026, 11, 22)
REFERENCE = conventions_reference(PROJECT_ROOT / "conventions", load_ruleset())
"""What `fsl check` knows from the conventions (a measure outside its convention is an error)."""
CANARY = "Zéphyrine Quastana-Boulbès"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("relances") / "soumissions", "small", AS_OF, canary=CANARY)


@pytest.fixture(scope="module")
def written(example, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lettres") / "relances"
    pem = example.folder / "ac-exemple.pem"
    with contextlib.redirect_stderr(io.StringIO()):
        status = main(["relances", str(example.folder), "--as-of", AS_OF.isoformat(), "--out", str(out),
                       "--confiance", str(pem)])
    assert status == 0
    return out


def _rows(path: Path) -> list[list[str]]:
    table = Document(str(path)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def _text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


def test_one_letter_per_association_with_a_late_or_missing_document(example, written) -> None:
    result = run_check(example.folder, AS_OF, load_ruleset(), trust_roots=(example.kit.ca_der,),
                       reference=REFERENCE)
    expected = {f.association for f in reminder_findings(result)}
    pieces = {r.id for r in result.ruleset.rules if r.document is not None}  # notices and visits: no letter
    truth = {t["association"] for t in example.plan.truth
             if t["days_late"] is not None and t["rule"] in pieces and t["severity"] == "error"}
    assert expected == truth and len(expected) >= 3
    assert sorted(p.name for p in written.glob("*.docx")) == sorted(f"relance_{a}.docx" for a in expected)


def test_each_letter_lists_exactly_its_findings(example, written) -> None:
    result = run_check(example.folder, AS_OF, load_ruleset(), trust_roots=(example.kit.ca_der,),
                       reference=REFERENCE)
    codes = text_codes(result.ruleset.source)
    read = {r.id for r in result.ruleset.rules if r.interpretation}
    for association in {f.association for f in reminder_findings(result)}:
        findings = [f for f in reminder_findings(result) if f.association == association]
        rows = _rows(written / f"relance_{association}.docx")
        got = sorted((r[1], r[2], r[3], r[4], r[5]) for r in rows)
        want = sorted((f.mesure_id or "—", f.due.strftime("%d/%m/%Y"),
                       f.received.strftime("%d/%m/%Y") if f.received else "non reçue",
                       f"{f.days_late} j", clause_text(f.source, codes, f.rule in read)) for f in findings)
        assert got == want, association


def test_mail_merge_csv_matches_the_letters(written) -> None:
    with (written / "relances.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert sorted(r["fichier_docx"] for r in rows) == sorted(p.name for p in written.glob("*.docx"))
    for row in rows:
        lines = _rows(written / row["fichier_docx"])
        assert int(row["pieces"]) == len(lines)
        assert int(row["non_recues"]) == sum(r[3] == "non reçue" for r in lines)
        assert int(row["retard_max_jours"]) == max(int(r[4].split()[0]) for r in lines)


def test_no_household_name_in_any_letter(example, written) -> None:
    assert CANARY in (example.folder / "evenements.csv").read_text(encoding="utf-8")
    for path in written.iterdir():
        text = _text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8-sig")
        assert CANARY not in text and "Quastana" not in text, path.name
        assert "M-0" in text or path.suffix in (".csv", ".json")  # the letters, or the CSV / manifest


def test_letters_are_byte_reproducible(example, written, tmp_path: Path) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        main(["relances", str(example.folder), "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "b"),
              "--confiance", str(example.folder / "ac-exemple.pem")])
    for path in written.iterdir():
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes(), path.name


def test_letters_never_go_inside_the_checked_folder(example) -> None:
    from engine.commands.relances import _refuse_inside

    with pytest.raises(FslError, match="dossier des pièces"):
        _refuse_inside(example.folder / "lettres", example.folder)


def test_committed_template_is_what_the_script_builds() -> None:
    import importlib.util

    script = PROJECT_ROOT / "templates" / "make_relance.py"
    spec = importlib.util.spec_from_file_location("make_relance", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_bytes() == (PROJECT_ROOT / "templates" / "relance.docx").read_bytes()


@pytest.mark.libreoffice
def test_pdf_letters_in_one_batch(example, tmp_path: Path) -> None:
    from engine.render.pdf import libreoffice_path

    if libreoffice_path() is None:
        pytest.skip("LibreOffice absent")
    with contextlib.redirect_stderr(io.StringIO()):
        status = main(["relances", str(example.folder), "--as-of", AS_OF.isoformat(), "--out",
                       str(tmp_path / "p"), "--pdf"])
    assert status == 0
    docx, pdfs = sorted((tmp_path / "p").glob("*.docx")), sorted((tmp_path / "p").glob("*.pdf"))
    assert [p.stem for p in docx] == [p.stem for p in pdfs] and pdfs


def test_relances_refuses_the_register_fsl_check_refuses(example, tmp_path: Path, capsys) -> None:
    """One engine, two views: an association unknown to the conventions stops both commands alike."""
    folder = tmp_path / "soumissions"
    shutil.copytree(example.folder, folder)
    measures = folder / "mesures.csv"
    lines = measures.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(";")[1], "association-fantome", 1)
    measures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = []
    extra = {"check": ["--json"], "relances": ["--out", str(tmp_path / "lettres")]}
    for command, options in extra.items():
        assert main([command, str(folder), "--as-of", AS_OF.isoformat(), *options]) == 1
        err = capsys.readouterr().err.splitlines()
        errors.append([line for line in err if "association-fantome" in line])
    assert errors[0] and errors[0] == errors[1]
    assert not (tmp_path / "lettres").exists()


def test_clause_column_cites_the_text_not_a_code(written) -> None:
    clauses = {row[5] for path in written.glob("*.docx") for row in _rows(path)}
    assert clauses and not any(c.startswith("004") or " 004 " in c for c in clauses)
    assert any(c.startswith("annexe ASLL de la délibération n°2026-173") for c in clauses)


def test_a_deadline_of_the_service_reading_is_labelled_so() -> None:
    codes = {"004": "de la délibération n°2026-173"}
    assert clause_text("004 annexe ASLL, Les bilans individuels", codes, True) == (
        "annexe ASLL de la délibération n°2026-173 (Les bilans individuels) — échéance : lecture du service")
