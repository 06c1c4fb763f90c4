"""The grid step (`fsl grilles`): one activity grid per association of the year, beside `engine.build`.

Measures still running on 1 January are carried over from the previous register when one is given
(CSV or filled grids of year N−1, read by the same loader): their register columns only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engine.activity import ActivityMeasure
from engine.calendar import Counting, deadline, holiday_calendar
from engine.checker.ruleset import load_ruleset
from engine.errors import FslError
from engine.finance import Block, build_table
from engine.grid import grid_filename, sheets_for
from engine.load.activity import load_activity
from engine.model import Conventions, Measure
from engine.render.grid_xlsx import GridData, write_grid

GRIDS_DIR = "grilles"
ANNUAL_GRID_RULE = "BILAN-ANNUEL"
CARRIED = (Measure.ASLL, Measure.AML, Measure.FAL)
LABELS = (
    ("asll", ("asll_points",), "ASLL (points mensuels)"),
    ("aml", ("aml_points",), "AML (points mensuels)"),
    ("dsf", ("dsf",), "DSF"),
    ("portes_closes", ("portes_closes",), "DSF portes closes"),
    ("gla", ("gla",), "GLA (logements)"),
    ("fal", ("fal", "fal_accompagnement_seul"), "FAL (logements)"),
)


def grids_step(conventions: Conventions, year: int, stage: Path, previous: Path | None = None) -> list[Path]:
    """`grilles/grille_activite_<year>_<slug>.xlsx` for each association funded in `year`."""
    table = build_table(conventions, year)
    carried = carried_over(conventions, year, previous) if previous is not None else ()
    due = grid_due(year)
    folder = stage / GRIDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for block in table.blocks:
        slug = block.association.slug
        path = folder / grid_filename(year, slug)
        write_grid(_data(block, year, due, tuple(m for m in carried if m.association == slug)), path)
        written.append(path)
    return written


def _data(block: Block, year: int, due: date, carried: tuple[ActivityMeasure, ...]) -> GridData:
    allocation = tuple((label, sum(block.counts[c] for c in columns), block.amounts[group])
                       for group, columns, label in LABELS if block.amounts[group])
    return GridData(block.association.slug, block.association.name, year, due, sheets_for(block.amounts),
                    allocation, block.association.territories, carried)


def grid_due(year: int, rules: str = "pas-de-calais") -> date:
    """When the year's grid is due (rule BILAN-ANNUEL: 1 February N+1, moved per art. 642)."""
    ruleset = load_ruleset(rules)
    rule = next((r for r in ruleset.rules if r.id == ANNUAL_GRID_RULE), None)
    d = rule.deadline if rule is not None else None
    if d is None:
        raise FslError(f"règles « {rules} » : la règle {ANNUAL_GRID_RULE} et son échéance sont attendues "
                       "pour dater les grilles (échéance : 1er février N+1)")
    holidays = holiday_calendar(ruleset.country, ruleset.subdivision)
    return deadline(date(year, 1, 1), d.offset, Counting(d.counting), holidays, extend=d.extend,
                    fixed_day=d.fixed_day)


def carried_over(conventions: Conventions, year: int, previous: Path) -> tuple[ActivityMeasure, ...]:
    """Measures of the previous register still running on 1 January of `year`, with no actual end."""
    before = build_table(conventions, year - 1)
    register = load_activity(previous, {b.association.slug: sheets_for(b.amounts) for b in before.blocks},
                             year - 1)
    first = date(year, 1, 1)
    return tuple(m for m in register.measures
                 if m.measure in CARRIED and m.actual_end is None and m.last_day and m.last_day >= first)
