"""One check run: read the register, read the files (bounded), evaluate the rules set."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from engine.calendar import holiday_calendar
from engine.checker.convention_measures import outside_convention
from engine.checker.evaluate import evaluate
from engine.checker.evidence import DEFAULT_LIMITS, FileLimits, read_evidence
from engine.checker.registry import Reference, load_submission
from engine.rules import Finding, RuleSet, Severity


@dataclass(frozen=True)
class CheckResult:
    as_of: date
    ruleset: RuleSet
    findings: tuple[Finding, ...]
    documents: int
    measures: int

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


def run_check(
    folder: Path, as_of: date, ruleset: RuleSet, trust_roots: Sequence[bytes] = (),
    limits: FileLimits = DEFAULT_LIMITS, progress: Callable[[int, int], None] | None = None,
    reference: Reference | None = None,
) -> CheckResult:
    """Check the submissions `folder` as of `as_of`; raises `InputErrors` on a bad register only.

    Signatures are trusted when their chain reaches the rules set's `certificats_confiance` or
    one of `trust_roots` (DER)."""
    submission = load_submission(folder, reference)
    trusted = (*ruleset.trust_roots, *trust_roots)
    evidence = read_evidence(folder, submission.documents, as_of, trusted, limits, progress)
    holidays = holiday_calendar(ruleset.country, ruleset.subdivision)
    findings = evaluate(ruleset, submission, evidence, as_of, holidays)
    if reference is not None:  # a measure outside its convention: one error, no piece asked
        findings = outside_convention(findings, submission, reference.measures)
    return CheckResult(as_of=as_of, ruleset=ruleset, findings=tuple(findings),
                       documents=len(submission.documents), measures=len(submission.measures))
