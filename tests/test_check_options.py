"""`fsl check` options: `--confiance` (repeatable) and `--regles` given as a file path."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from engine import PROJECT_ROOT
from engine.checker.ruleset import RULES_DIR, load_certificate, load_ruleset
from engine.cli import main
from engine.errors import FslError, InputErrors

EXAMPLE = PROJECT_ROOT / "examples" / "soumissions-2026"


def _check(*args: str) -> tuple[int, dict | None, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["check", *args])
    text = out.getvalue()
    return status, json.loads(text) if text.startswith("{") else None, err.getvalue()


def test_rules_set_given_as_a_file_path(tmp_path: Path) -> None:
    copy = tmp_path / "mes-regles.yaml"
    shutil.copy(RULES_DIR / "pas-de-calais.yaml", copy)
    assert load_ruleset(str(copy)).rules == load_ruleset("pas-de-calais").rules


def test_rules_name_never_leaves_the_rules_folder(tmp_path: Path) -> None:
    with pytest.raises(FslError, match="inconnues"):
        load_ruleset("..")
    with pytest.raises(FslError, match="introuvable"):
        load_ruleset(str(tmp_path / "absent.yaml"))
    with pytest.raises(FslError, match="attendu un fichier .yaml"):
        load_ruleset("../../etc/passwd")


def test_rules_file_trust_list_stays_in_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs.pem"
    shutil.copy(EXAMPLE / "ac-exemple.pem", outside)
    folder = tmp_path / "regles"
    folder.mkdir()
    text = (RULES_DIR / "pas-de-calais.yaml").read_text(encoding="utf-8")
    rules = folder / "regles.yaml"
    rules.write_text(text.replace("regles:\n", "certificats_confiance: [../ailleurs.pem]\nregles:\n", 1),
                     encoding="utf-8")
    with pytest.raises(InputErrors, match="hors du dossier"):
        load_ruleset(str(rules))
    (folder / "lien.pem").symlink_to(outside)
    rules.write_text(text.replace("regles:\n", "certificats_confiance: [lien.pem]\nregles:\n", 1),
                     encoding="utf-8")
    with pytest.raises(InputErrors, match="hors du dossier"):
        load_ruleset(str(rules))
    shutil.copy(outside, folder / "ac.pem")
    rules.write_text(text.replace("regles:\n", "certificats_confiance: [ac.pem]\nregles:\n", 1),
                     encoding="utf-8")
    assert len(load_ruleset(str(rules)).trust_roots) == 1


def test_confiance_bad_file_is_a_french_error(tmp_path: Path) -> None:
    bad = tmp_path / "pas-un-certificat.pem"
    bad.write_text("bonjour", encoding="utf-8")
    with pytest.raises(FslError, match="certificat X.509"):
        load_certificate(bad)
    with pytest.raises(FslError, match="introuvable"):
        load_certificate(tmp_path / "absent.pem")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="exemple non livré")
def test_confiance_is_repeatable_and_removes_untrusted_warnings(tmp_path: Path) -> None:
    other = tmp_path / "autre.pem"
    from engine.checker.examples.pki import ca_pem, make_kit

    other.write_bytes(ca_pem(make_kit({})))
    _, without, _ = _check(str(EXAMPLE), "--as-of", "2026-11-22", "--json")
    status, with_both, _ = _check(str(EXAMPLE), "--as-of", "2026-11-22", "--json",
                                  "--confiance", str(other), "--confiance", str(EXAMPLE / "ac-exemple.pem"))
    assert status == 1
    untrusted = [f for f in without["findings"] if "certificat non reconnu" in f["message"]]
    assert untrusted and not any("certificat non reconnu" in f["message"] for f in with_both["findings"])
    assert with_both["summary"]["warnings"] == without["summary"]["warnings"] - len(untrusted)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="exemple non livré")
def test_rules_path_on_the_command_line(tmp_path: Path) -> None:
    copy = tmp_path / "regles.yaml"
    shutil.copy(RULES_DIR / "pas-de-calais.yaml", copy)
    _, by_name, _ = _check(str(EXAMPLE), "--as-of", "2026-11-22", "--json")
    _, by_path, _ = _check(str(EXAMPLE), "--as-of", "2026-11-22", "--json", "--regles", str(copy))
    assert by_name == by_path


def test_html_report_states_the_moment_of_validation() -> None:
    from datetime import date

    from engine.checker.report_html import render_html
    from engine.checker.run import run_check

    if not EXAMPLE.exists():
        pytest.skip("exemple non livré")
    html = render_html(run_check(EXAMPLE, date(2026, 11, 22), load_ruleset()))
    assert "<h2>Méthode</h2>" in html and "date de réception" in html and "horodatage" in html
    assert "jamais à la date du contrôle" in html
