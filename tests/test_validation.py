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
