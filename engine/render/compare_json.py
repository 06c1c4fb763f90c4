"""`fsl compare YEAR_A YEAR_B --json`: the contract of INTERFACES.md (amounts as decimal strings).

Beside the contract's keys, each association lists the years whose figures are estimated
(`estimees`) and those it has no allocation (`sans_allocation`); the totals add `par_mesure`.
"""

from __future__ import annotations

from engine.compare import Comparison, Line
from engine.model import GROUPS
from engine.money import json_amount


def compare_json(comparison: Comparison) -> dict:
    a, b = str(comparison.year_a), str(comparison.year_b)
    return {
        "annees": [comparison.year_a, comparison.year_b],
        "associations": [_line(line, a, b) for line in comparison.lines],
        "totaux": {**_sums(comparison.totals, a, b), "par_mesure": _groups(comparison.totals, a, b),
                   "estimees": _marked(comparison.totals, a, b, lambda side: side.estimated)},
    }


def _line(line: Line, a: str, b: str) -> dict:
    return {"association": line.slug, **_sums(line, a, b), "par_mesure": _groups(line, a, b),
            "estimees": _marked(line, a, b, lambda side: side.estimated),
            "sans_allocation": _marked(line, a, b, lambda side: not side.present)}


def _sums(line: Line, a: str, b: str) -> dict:
    return {a: json_amount(line.before.total), b: json_amount(line.after.total),
            "ecart": json_amount(line.difference())}


def _groups(line: Line, a: str, b: str) -> dict:
    return {g: {a: json_amount(line.before.amounts[g]), b: json_amount(line.after.amounts[g]),
                "ecart": json_amount(line.difference(g))} for g in GROUPS}


def _marked(line: Line, a: str, b: str, test) -> list[int]:
    return [int(year) for year, side in ((a, line.before), (b, line.after)) if test(side)]

