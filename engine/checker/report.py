"""The `fsl check --json` document (INTERFACES.md), and the counts the other reports share.

Findings name measures by `mesure_id` only: no household name ever reaches a report.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.checker.run import CheckResult
from engine.rules import Finding, Severity


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule, "severity": finding.severity.value, "association": finding.association,
        "mesure_id": finding.mesure_id, "document_id": finding.document_id, "message": finding.message,
        "due": _day(finding.due), "received": _day(finding.received), "days_late": finding.days_late,
        "evidence": finding.evidence.value, "source": finding.source,
    }


def result_json(result: CheckResult) -> dict[str, Any]:
    return {
        "as_of": result.as_of.isoformat(),
        "findings": [finding_json(f) for f in result.findings],
        "summary": {"documents": result.documents, "measures": result.measures,
                    "errors": result.errors, "warnings": result.warnings},
    }


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def counts_by_rule(result: CheckResult) -> list[tuple[str, int, int]]:
    """(rule, errors, warnings) for every rule with a finding, most errors first."""
    errors = Counter(f.rule for f in result.findings if f.severity is Severity.ERROR)
    warnings = Counter(f.rule for f in result.findings if f.severity is Severity.WARNING)
    rules = set(errors) | set(warnings)
    return sorted(((r, errors[r], warnings[r]) for r in rules), key=lambda t: (-t[1], -t[2], t[0]))


def by_association(result: CheckResult) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for finding in result.findings:
        groups.setdefault(finding.association, []).append(finding)
    return sorted(groups.items())


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # mkstemp makes 0600 files; a report is shared
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
