"""The HTML report of a check: one self-contained file (inline CSS and SVG, no external resource).

Rendered by a sandboxed, autoescaping Jinja2 environment from `templates/rapport_controle.html.j2`;
the French prose lives in the template, this module only prepares numbers and labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from engine import PROJECT_ROOT
from engine.checker.report import by_association, counts_by_rule
from engine.checker.run import CheckResult
from engine.rules import Check

TEMPLATES = PROJECT_ROOT / "templates"
TEMPLATE = "rapport_controle.html.j2"
EVIDENCE_FR = {"declared": "registre", "signature": "signature PDF", "file": "fichier reçu"}
BAR_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 360, 18, 170


@dataclass(frozen=True)
class Bar:
    """One row of the chart: the rule, its counts and the widths of its two bar segments."""

    rule: str
    errors: int
    warnings: int
    y: int
    error_width: float
    warning_width: float


def chart_bars(counts: list[tuple[str, int, int]]) -> list[Bar]:
    top = max((e + w for _, e, w in counts), default=0) or 1
    return [Bar(rule, e, w, i * (BAR_HEIGHT + 6), BAR_WIDTH * e / top, BAR_WIDTH * w / top)
            for i, (rule, e, w) in enumerate(counts)]


def _french_day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else ""


def environment(templates: Path = TEMPLATES) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates)), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["jour"] = _french_day
    env.filters["preuve"] = lambda value: EVIDENCE_FR.get(value, value)
    return env


def render_html(result: CheckResult, templates: Path = TEMPLATES) -> str:
    counts = counts_by_rule(result)
    bars = chart_bars(counts)
    return environment(templates).get_template(TEMPLATE).render(
        result=result, groups=by_association(result), counts=counts, bars=bars,
        chart={"width": LABEL_WIDTH + BAR_WIDTH + 60, "height": max(1, len(bars)) * (BAR_HEIGHT + 6),
               "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT},
        manual=[r for r in result.ruleset.rules if r.check is Check.MANUEL],
    )


def write_html(result: CheckResult, path: Path) -> None:
    Path(path).write_text(render_html(result), encoding="utf-8")
