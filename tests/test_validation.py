"""Every deliberately bad input is rejected with its file, line and field; nothing is written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine.cli import main
from engine.errors import InputErrors
from engine.validation import load_conventions

BAD = Path(__file__).parent / "bad_inputs"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert {c["fichier"] for c in CASES} == {p.name for p in BAD.glob("*.yaml")} - {"cases.yaml"}


@pytest.mark.parametrize("case", CASES, ids=[c["fichier"] for c in CASES])
def test_bad_input_names_file_line_and_field(case, small_conventions: Path, tmp_path: Path, capsys) -> None:
    target = small_conventions / case["cible"]
    shutil.copy(BAD / case["fichier"], target)
    out = tmp_path / "sortie"
    status = main(["table", "2026", "--conventions", str(small_conventions), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    expected = f"{target}:{case['ligne']}: {case['champ']}: "
    assert expected in err, err
    line = next(li for li in err.splitlines() if li.startswith(expected))
    assert case.get("message", "") in line
    assert "Traceback" not in err
    assert not out.exists()


def test_valid_fixture_loads_with_warnings(small_conventions: Path) -> None:
    loaded = load_conventions(small_conventions)
    assert [a.slug for a in loaded.conventions.associations] == ["alpha", "beta"]
    messages = [w.message for w in loaded.warnings]
    assert any("estimées" in m for m in messages)
    assert any("signataire inconnu" in m for m in messages)
    assert any("dérogation" in m for m in messages)


def test_all_errors_are_collected_at_once(small_conventions: Path) -> None:
    shutil.copy(BAD / "08_territoire_inconnu.yaml", small_conventions / "associations" / "alpha.yaml")
    (small_conventions / "associations" / "beta.yaml").write_text("", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_conventions(small_conventions)
    assert {Path(e.path).name for e in caught.value.errors} == {"alpha.yaml", "beta.yaml"}


def test_cli_error_has_no_traceback_in_a_real_process(small_conventions: Path) -> None:
    shutil.copy(BAD / "02_octal.yaml", small_conventions / "associations" / "alpha.yaml")
    command = [sys.executable, "-m", "engine", "validate", "--conventions", str(small_conventions)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "alpha.yaml:18: allocations[0].lignes[0].asll_points:" in run.stderr
    assert "Traceback" not in run.stderr


def test_validate_loads_neither_the_checker_rules_nor_the_holidays(small_conventions: Path) -> None:
    """`fsl validate` start-up: the check command's rules (holidays, calendar) load only when run."""
    script = (
        "import sys\n"
        "from engine.cli import main\n"
        f"code = main(['validate', '-q', '--conventions', {str(small_conventions)!r}])\n"
        "print(code, sorted(m for m in ('holidays', 'engine.checker.ruleset', 'engine.calendar', "
        "'engine.rules') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr


AVENANT_FIXTURE = Path(__file__).parent / "fixtures" / "avenants"


def _staffed(tmp_path: Path, slug: str, etp: str | None) -> Path:
    """The avenant fixture with `slug`'s `etp:` line replaced (removed when `etp` is None)."""
    root = tmp_path / "conventions"
    shutil.copytree(AVENANT_FIXTURE, root)
    path = root / "associations" / f"{slug}.yaml"
    lines = [li for li in path.read_text(encoding="utf-8").splitlines() if not li.startswith("etp:")]
    path.write_text("\n".join(lines + ([etp] if etp else [])) + "\n", encoding="utf-8")
    return root


def test_points_beyond_50_per_post_are_an_error_at_the_etp_line(tmp_path: Path) -> None:
    """004 annexe ASLL « quota maximum de 50 points par poste équivalent temps plein »: 51 points
    ASLL for 1 ETP (entraide-artois, 2026) exceed 50; 1.5 ETP hold them."""
    root = _staffed(tmp_path, "entraide-artois", 'etp: {ASLL: 1, source: "test : 1 ETP"}')
    with pytest.raises(InputErrors) as raised:
        load_conventions(root)
    [error] = [e for e in raised.value.errors if e.field == "etp.ASLL"]
    assert error.line is not None and error.path.endswith("entraide-artois.yaml")
    assert "51 points ASLL en 2026 pour 1 ETP ASLL" in error.message and "plafond 50" in error.message
    load_conventions(_staffed(tmp_path / "b", "entraide-artois", 'etp: {ASLL: 1.5, source: "test"}'))


def test_missing_etp_is_an_open_point_never_a_silent_skip(tmp_path: Path) -> None:
    from engine.open_points import PointKind, association_points

    for etp, expected in ((None, 1), ('etp: {ASLL: 1.5, source: "test"}', 0)):
        root = _staffed(tmp_path / str(expected), "entraide-artois", etp)
        conventions = load_conventions(root).conventions
        association = conventions.association("entraide-artois")
        points = [p for p in association_points(conventions, association, 2026)
                  if p.kind is PointKind.STAFFING]
        assert len(points) == expected
        if points:
            message = points[0].message
            assert message.startswith("ETP non renseigné : plafond de 50 points par ETP non vérifié")
            assert "51 points ASLL en 2026" in message
