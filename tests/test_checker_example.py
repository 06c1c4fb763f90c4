"""The generated example: the checker reports exactly the injected violations, signed for real here."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from engine import PROJECT_ROOT
from engine.checker.examples.build import generate
from engine.checker.report import result_json
from engine.checker.ruleset import load_ruleset
from engine.checker.run import run_check
from engine.cli import main
from engine.commands.check import conventions_reference

AS_OF = date(2026, 11, 22)
REFERENCE = conventions_reference(PROJECT_ROOT / "conventions", load_ruleset())
"""What `fsl check` knows from the conventions (a measure outside its convention is an error)."""
CANARY = "Zéphyrine Quastana-Boulbès"
COMMITTED = PROJECT_ROOT / "examples" / "soumissions-2026"
KEY = ("rule", "severity", "association", "mesure_id", "document_id", "due", "received", "days_late",
       "evidence")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The small example, generated now: its PDFs are signed with a certificate made this minute."""
    return generate(tmp_path_factory.mktemp("exemple") / "soumissions", "small", AS_OF, canary=CANARY)


@pytest.fixture(scope="module")
def checked(example):
    return result_json(run_check(example.folder, AS_OF, load_ruleset(), trust_roots=(example.kit.ca_der,),
                                 reference=REFERENCE))


def _truth(folder: Path) -> dict:
    return json.loads((folder / "verite.json").read_text(encoding="utf-8"))


def _untrusted(truth: dict) -> list[dict]:
    return [{"rule": s["rule"], "severity": "warning", "association": s["association"],
             "mesure_id": s["mesure_id"], "document_id": s["document_id"], "due": None,
             "received": s["received"], "days_late": None, "evidence": "signature",
             "motif": "certificat non reconnu"} for s in truth["signatures_intactes"]]


def assert_same(found: list[dict], expected: list[dict]) -> None:
    """Same findings, one for one, each message carrying the expected words."""
    got = Counter(tuple(f[k] for k in KEY) for f in found)
    want = Counter(tuple(e[k] for k in KEY) for e in expected)
    assert got - want == Counter(), f"constats en trop : {sorted(got - want, key=str)}"
    assert want - got == Counter(), f"constats manquants : {sorted(want - got, key=str)}"
    for e in expected:
        messages = [f["message"] for f in found if all(f[k] == e[k] for k in KEY)]
        assert any(e["motif"] in m for m in messages), (e, messages)


def test_example_covers_every_checked_rule(example) -> None:
    rules = {t["rule"] for t in example.plan.truth}
    active = {r.id for r in load_ruleset().active()}
    assert active | {"FICHIER-ILLISIBLE", "DISPOSITIF-HORS-CONVENTION"} == rules
    assert len(example.plan.intact_signed) >= 5 and len(example.plan.files) >= 40


def test_reports_exactly_the_injected_violations(example, checked) -> None:
    assert_same(checked["findings"], _truth(example.folder)["constats"])
    assert checked["summary"]["errors"] == sum(t["severity"] == "error" for t in example.plan.truth)


def test_without_trusted_authority_intact_signatures_are_warnings(example) -> None:
    report = result_json(run_check(example.folder, AS_OF, load_ruleset(), reference=REFERENCE))
    truth = _truth(example.folder)
    assert_same(report["findings"], truth["constats"] + _untrusted(truth))


def test_cli_json_html_xlsx_and_canary(example, checked, tmp_path: Path) -> None:
    html, xlsx = tmp_path / "rapport.html", tmp_path / "constats.xlsx"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", str(example.folder), "--as-of", "2026-11-22", "--json",
                       "--html", str(html), "--xlsx", str(xlsx)])
    report = json.loads(out.getvalue())
    assert status == 1 and report["as_of"] == "2026-11-22"
    assert report["summary"]["documents"] == checked["summary"]["documents"]
    assert "http" not in html.read_text(encoding="utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
    texts = {"json": out.getvalue(), "html": html.read_text(encoding="utf-8"), "xlsx": _xlsx_text(xlsx)}
    inputs = (example.folder / "evenements.csv").read_text(encoding="utf-8")
    assert CANARY in inputs and any(CANARY.encode("cp1252") in p.read_bytes()
                                    for p in (example.folder / "fichiers").glob("*.pdf"))
    for kind, text in texts.items():
        assert CANARY not in text and "Quastana" not in text, kind
        assert "M-0" in text, kind


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


def test_html_groups_by_association_with_chart(example, tmp_path: Path) -> None:
    from engine.checker.report_html import render_html

    result = run_check(example.folder, AS_OF, load_ruleset(), trust_roots=(example.kit.ca_der,),
                       reference=REFERENCE)
    html = render_html(result)
    assert html.count("<h3>") == len({f.association for f in result.findings})
    assert "<svg" in html and "Règles à vérifier hors de cet outil" in html and "AML-ACCORD" in html


def test_received_files_are_never_modified(example) -> None:
    files = sorted((example.folder / "fichiers").iterdir())
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in files}
    run_check(example.folder, AS_OF, load_ruleset(), reference=REFERENCE)
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in sorted((example.folder / "fichiers").iterdir())}
    assert before == after


def test_as_of_earlier_sees_fewer_documents(example) -> None:
    early = result_json(run_check(example.folder, date(2026, 3, 1), load_ruleset(), reference=REFERENCE))
    assert early["summary"]["errors"] < sum(t["severity"] == "error" for t in example.plan.truth)
    assert all(f["received"] is None or f["received"] <= "2026-03-01" for f in early["findings"])


@pytest.mark.skipif(not COMMITTED.exists(), reason="exemple non livré")
def test_committed_example_is_what_the_generator_writes(tmp_path: Path) -> None:
    fresh = generate(tmp_path / "soumissions", "small", AS_OF).folder
    for name in ("mesures.csv", "documents.csv", "evenements.csv"):
        committed, regenerated = (COMMITTED / name).read_bytes(), (fresh / name).read_bytes()
        assert committed == regenerated, name
    assert _truth(COMMITTED) == _truth(fresh)
    assert sorted(p.name for p in (COMMITTED / "fichiers").iterdir()) == sorted(
        p.name for p in (fresh / "fichiers").iterdir())


@pytest.mark.skipif(not COMMITTED.exists(), reason="exemple non livré")
def test_committed_example_checks_to_its_truth() -> None:
    truth = _truth(COMMITTED)
    report = result_json(run_check(COMMITTED, date.fromisoformat(truth["as_of"]), load_ruleset(),
                                   reference=REFERENCE))
    assert_same(report["findings"], truth["constats"] + _untrusted(truth))


@pytest.mark.skipif(not COMMITTED.exists(), reason="exemple non livré")
def test_committed_example_with_its_authority_trusted_on_the_command_line() -> None:
    """`fsl check examples/soumissions-2026 --confiance …/ac-exemple.pem`: exactly the ground truth,
    no « certificat non reconnu »."""
    truth = _truth(COMMITTED)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", str(COMMITTED), "--as-of", truth["as_of"], "--json",
                       "--confiance", str(COMMITTED / "ac-exemple.pem")])
    report = json.loads(out.getvalue())
    assert status == 1
    assert_same(report["findings"], truth["constats"])
    assert not any("certificat non reconnu" in f["message"] for f in report["findings"])
