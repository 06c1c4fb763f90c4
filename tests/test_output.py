"""Output policy (INTERFACES.md): only the engine's own files are replaced, all or nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import OutputError
from engine.render import publish as publish_module
from engine.render.output import ALL, staged
from engine.render.publish import MANIFEST, publish
from tests.conftest import copy_pack_conventions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def conventions(tmp_path: Path) -> Path:
    """Two associations with everything a build needs (as tests/test_pack_build.py)."""
    return copy_pack_conventions(tmp_path)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under `folder` (relative path → bytes; folders → b'/')."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (b"/" if p.is_dir() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


def stage_with(tmp_path: Path, name: str, files: dict[str, bytes]) -> Path:
    stage = tmp_path / name
    for rel, data in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_bytes(data)
    stage.mkdir(exist_ok=True)
    return stage


def publish_files(tmp_path: Path, out: Path, files: dict[str, bytes], scope=ALL) -> None:
    with staged(out, scope) as stage:
        for rel, data in files.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_bytes(data)


def manifest_paths(out: Path) -> list[str]:
    return [e["path"] for e in json.loads((out / MANIFEST).read_text())["outputs"]]


# Row 2 of issue 12: a clerk's signed copy survives `fsl avenants`.
def test_a_clerks_file_in_avenants_survives_fsl_avenants(conventions: Path, tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    args = ["avenants", "2026", "--conventions", str(conventions), "--out", str(out)]
    assert main(args) == 0
    signed = out / "avenants" / "avenant_2026_alpha_signe.pdf"
    signed.write_bytes(b"%PDF-1.7 copie signee par le greffe")
    assert main(args) == 0
    assert signed.read_bytes() == b"%PDF-1.7 copie signee par le greffe"
    assert "avenants/avenant_2026_alpha_signe.pdf" not in manifest_paths(out)


# Row 2: a build without --pdf removes the previous PDFs only when they were the engine's.
def test_a_new_build_removes_only_the_previous_engine_files_and_the_manifest_matches(tmp_path: Path) -> None:
    out = tmp_path / "2026"
    publish_files(tmp_path, out, {"avenants/a.docx": b"docx 1", "avenants/a.pdf": b"pdf 1"})
    (out / "avenants" / "note.pdf").write_bytes(b"a person's file")
    publish_files(tmp_path, out, {"avenants/a.docx": b"docx 2"})
    assert sorted(p.name for p in (out / "avenants").iterdir()) == ["a.docx", "note.pdf"]
    assert manifest_paths(out) == ["avenants/a.docx"]
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk - {MANIFEST, "avenants/note.pdf"} == set(manifest_paths(out))


def test_a_narrow_scope_keeps_the_other_engine_files_listed(tmp_path: Path) -> None:
    out = tmp_path / "2026"
    publish_files(tmp_path, out, {"tableau.xlsx": b"t1", "pack/p.docx": b"p1"})
    publish_files(tmp_path, out, {"pack/p.docx": b"p2"}, scope=("pack/",))
    assert manifest_paths(out) == ["pack/p.docx", "tableau.xlsx"]
    assert (out / "tableau.xlsx").read_bytes() == b"t1"


def test_a_file_the_engine_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "2026"
    out.mkdir()
    (out / "tableau.xlsx").write_bytes(b"le tableau retouche par le service")
    with pytest.raises(OutputError, match="ne viennent pas du moteur"):
        publish_files(tmp_path, out, {"tableau.xlsx": b"t1", "autre.docx": b"x"})
    assert snapshot(out) == {"tableau.xlsx": b"le tableau retouche par le service"}


def test_a_manifest_that_is_not_the_engines_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "2026"
    out.mkdir()
    (out / MANIFEST).write_text("mes notes", encoding="utf-8")
    with pytest.raises(OutputError, match="manifest.json illisible"):
        publish_files(tmp_path, out, {"a.docx": b"x"})


def _counting(monkeypatch, fail_at: int | None) -> list[str]:
    """Count (and make the `fail_at`-th fail) every rename, mkdir, unlink and journal write."""
    calls: list[str] = []

    def wrap(name, real):
        def wrapper(*args, **kwargs):
            calls.append(name)
            if fail_at is not None and len(calls) == fail_at:
                raise OSError(28, "No space left on device", str(args[0]))
            return real(*args, **kwargs)
        return wrapper

    for name in ("replace", "mkdir", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, wrap(name, getattr(os, name)))
    monkeypatch.setattr(publish_module, "_log", wrap("journal", publish_module._log))
    return calls


def _previous_and_new_stage(conventions: Path, tmp_path: Path, monkeypatch):
    """A real build of the small conventions (+ a clerk's file), and the stage of a rebuild after a
    data change, captured before publication."""
    out = tmp_path / "sortie"
    build = ["build", "2026", "--conventions", str(conventions), "--out", str(out)]
    assert main(build) == 0
    (out / "avenants" / "signe.pdf").write_bytes(b"signed copy")
    grande = conventions / "associations" / "grande.yaml"
    text = grande.read_text(encoding="utf-8")
    grande.write_text(text.replace("asll_points: 2412", "asll_points: 2413"), encoding="utf-8")
    captured = tmp_path / "captured"
    monkeypatch.setattr("engine.render.output.publish",
                        lambda stage, *a: shutil.copytree(stage, captured))
    assert main(build) == 0
    monkeypatch.undo()
    assert snapshot(captured) != {}
    return out, captured


def test_fault_injection_each_step_of_publication_keeps_all_or_nothing(
        conventions: Path, tmp_path: Path, monkeypatch) -> None:
    out, captured = _previous_and_new_stage(conventions, tmp_path, monkeypatch)
    before = snapshot(out)
    reference = tmp_path / "reference"
    shutil.copytree(out, reference)
    stage = stage_with_copy(captured, tmp_path, "s0")
    with monkeypatch.context() as patch:
        calls = _counting(patch, None)
        publish(stage, reference, ALL, tmp_path / "b0")
    after = snapshot(reference)
    assert after != before and after["avenants/signe.pdf"] == b"signed copy"
    assert len(calls) > 10
    outcomes = []
    for step in range(1, len(calls) + 1):
        target = tmp_path / f"out{step}"
        shutil.copytree(out, target)
        stage = stage_with_copy(captured, tmp_path, f"s{step}")
        with monkeypatch.context() as patch:
            _counting(patch, step)
            try:
                publish(stage, target, ALL, tmp_path / f"b{step}")
                outcomes.append("new")
            except OutputError as exc:
                assert "resté tel qu'il était" in str(exc)
                assert not (tmp_path / f"b{step}").exists()
                outcomes.append("kept")
        expected = before if outcomes[-1] == "kept" else after
        assert snapshot(target) == expected, f"step {step} ({calls[step - 1]}) left a mix"
        shutil.rmtree(target)
    print(f"{len(calls)} steps: {outcomes.count('kept')} kept, {outcomes.count('new')} new")
    assert outcomes.count("kept") >= 10  # every failure before the manifest is in place


def stage_with_copy(captured: Path, tmp_path: Path, name: str) -> Path:
    stage = tmp_path / name
    shutil.copytree(captured, stage)
    return stage


def test_an_interruption_during_publication_rolls_back(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "2026"
    publish_files(tmp_path, out, {"a.docx": b"1", "b.docx": b"1"})
    before = snapshot(out)
    real = os.replace
    seen = []

    def interrupted(source, target):
        seen.append(target)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publish_files(tmp_path, out, {"a.docx": b"2", "b.docx": b"2"})
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026"]  # no stage, no backup left


def test_stale_folders_of_a_killed_run_are_cleared_and_its_publication_rolled_back(tmp_path: Path) -> None:
    out = tmp_path / "2026"
    publish_files(tmp_path, out, {"a.docx": b"old", "b.docx": b"old"})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stage = tmp_path / f".2026.fsl-stage-{dead}-abc"
    stage.mkdir()
    (stage / "a.docx").write_bytes(b"half")
    backup = tmp_path / f".2026.fsl-backup-{dead}-def"  # killed after a.docx was replaced
    backup.mkdir()
    os.replace(out / "a.docx", backup / "a.docx")
    (out / "a.docx").write_bytes(b"new")
    (backup / ".journal").write_text("place\ta.docx\n", encoding="utf-8")
    assert (out / "a.docx").read_bytes() == b"new"
    with staged(out, ()) as new_stage:
        (new_stage / "c.docx").write_bytes(b"c")
    assert (out / "a.docx").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026"]


# Row 8: an unwritable output is exit 3 with a French sentence, no traceback.
def test_an_unwritable_output_is_exit_3_in_french(small_conventions: Path, tmp_path: Path,
                                                  monkeypatch, capsys) -> None:
    real = os.mkdir

    def refused(path, *args, **kwargs):
        if Path(path).name == "sortie":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refused)
    out = tmp_path / "sortie"
    status = main(["table", "2026", "--conventions", str(small_conventions), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 3
    assert "permission refusée" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conventions"]


def test_stale_libreoffice_profiles_of_dead_runs_are_removed(tmp_path: Path, monkeypatch) -> None:
    from engine.render import pdf

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"fsl-libreoffice-{dead}-abc"
    alive = tmp_path / f"fsl-libreoffice-{os.getppid()}-def"
    for folder in (stale, alive):
        (folder / "user").mkdir(parents=True)
    pdf._clear_stale_profiles()
    assert not stale.exists() and alive.exists()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_a_build_without_pdf_removes_the_previous_pdfs_and_the_manifest_matches_the_disk(
        conventions: Path, tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    build = ["build", "2026", "--conventions", str(conventions), "--out", str(out)]
    assert main([*build, "--pdf"]) == 0
    assert list(out.rglob("*.pdf"))
    kept = out / "avenants" / "avenant_2026_grande_signe.pdf"
    kept.write_bytes(b"%PDF-1.7 signed by hand\n%%EOF\n")
    assert main(build) == 0
    assert [p.name for p in out.rglob("*.pdf")] == [kept.name]
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk - {MANIFEST, "avenants/avenant_2026_grande_signe.pdf"} == set(manifest_paths(out))
