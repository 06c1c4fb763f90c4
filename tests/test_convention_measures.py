"""Issue 18 point 5: a measure whose dispositif the convention does not hold is an error, never chased."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine.checker.convention_measures import outside_convention
from engine.checker.examples.build import generate
from engine.checker.reminders import letters
from engine.checker.ruleset import load_ruleset
from engine.checker.run import run_check
from engine.commands.check import conventions_reference
from engine.model import Measure

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 22)


def test_a_gla_only_association_is_never_asked_for_aml_or_asll_pieces(tmp_path: Path) -> None:
    example = generate(tmp_path / "soumissions", "small", AS_OF)
    ruleset = load_ruleset("pas-de-calais")
    reference = conventions_reference(ROOT / "conventions", ruleset)
    assert reference.measures["immobiliere-sociale-62"] == frozenset({Measure.GLA})
    measures = (example.folder / "mesures.csv").read_text(encoding="utf-8").splitlines()
    is62 = [line.split(";")[0] for line in measures[1:] if line.split(";")[1] == "immobiliere-sociale-62"
            and line.split(";")[2] != "GLA"]
    assert is62, "the example must give IS62 a measure its convention does not hold"
    without = run_check(example.folder, AS_OF, ruleset)
    assert any(f.association == "immobiliere-sociale-62" and f.mesure_id in is62 for f in without.findings)
    from engine.checker.registry import load_submission
    from engine.checker.run import CheckResult
    submission = load_submission(example.folder)
    result = CheckResult(as_of=AS_OF, ruleset=ruleset, documents=without.documents, measures=without.measures,
                         findings=tuple(outside_convention(without.findings, submission, reference.measures)))
    errors = [f for f in result.findings if f.rule == "DISPOSITIF-HORS-CONVENTION"]
    assert {f.mesure_id for f in errors if f.association == "immobiliere-sociale-62"} == set(is62)
    for f in (f for f in errors if f.association == "immobiliere-sociale-62"):
        assert f.severity.name == "ERROR" and "ne porte que GLA" in f.message
        assert any(m in f.message for m in ("mesure ASLL", "mesure AML", "mesure FAL", "mesure DSF"))
    chased = {line.mesure for letter in letters(result) for line in letter.lines}
    assert not chased & set(is62)
    wired = run_check(example.folder, AS_OF, ruleset, reference=reference)  # what fsl check runs
    assert sorted(wired.findings, key=str) == sorted(result.findings, key=str)
