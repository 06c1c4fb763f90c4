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
from engine.finance import Block, build_table
from engine.grid import grid_filename, sheets_for
from engine.load.activity import load_activity, place_names
from engine.load.settlement_rules import load_settlement_rules
from engine.model import Conventions, Departement, Measure, Period
from engine.money import format_eur
from engine.render.grid_summary import SummaryInputs, summary_lines
from engine.render.grid_xlsx import GridData, write_grid
from engine.settlement import SettlementRules

GRIDS_DIR = "grilles"
ANNUAL_GRID_RULE = "BILAN-ANNUEL"
CARRIED = (Measure.ASLL, Measure.AML, Measure.FAL)
ALL_TERRITORIES = "tous"  # « Tous les territoires du Département »: the list offers each of them


def grids_step(conventions: Conventions, year: int, stage: Path, previous: Path | None = None) -> list[Path]:
    """`grilles/grille_activite_<year>_<slug>.xlsx` for each association funded in `year`."""
    table = build_table(conventions, year)
    rules = load_settlement_rules(Path(conventions.root))
    carried = carried_over(conventions, year, previous) if previous is not None else ()
    due = grid_due(year)
    folder = stage / GRIDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for block in table.blocks:
        slug = block.association.slug
        path = folder / grid_filename(year, slug)
        mine = tuple(m for m in carried if m.association == slug)
        write_grid(_data(block, conventions.departement, table.period, rules, due, mine), path)
        written.append(path)
    return written


def _data(block: Block, dep: Departement, period: Period, rules: SettlementRules, due: date,
          carried: tuple[ActivityMeasure, ...]) -> GridData:
    sheets = sheets_for(block.amounts)
    summary = summary_lines(SummaryInputs(period, block.counts, block.amounts, sheets, rules.points,
                                          rules.act_points, rules.gla_min_days, carried))
    rates = {"taux_fal": _rate(dep, rules.fal_rate, period),
             "taux_fal_seul": _rate(dep, rules.fal_alone_rate, period)}
    return GridData(block.association.slug, block.association.name, period.year, due, sheets, summary,
                    territory_names(dep, block.association.territories), carried,
                    ", ".join(dep.address), rates)


def territory_names(dep: Departement, territories: tuple[str, ...]) -> dict[str, str]:
    """id → name of the territories an association's measures may be in (all of them for « tous »)."""
    ids = [t.id for t in dep.territories if t.id != ALL_TERRITORIES] if ALL_TERRITORIES in territories \
        else list(territories)
    return {t: (dep.territory(t).name if dep.territory(t) else t) for t in ids}


def _rate(dep: Departement, column: str, period: Period) -> str:
    value = dep.rates[column].in_force(period.start)
    return format_eur(value.amount) if value is not None else "–"


def grid_due(year: int, rules: str = "pas-de-calais") -> date:
    """When the year's grid is due (rule BILAN-ANNUEL: 1 February N+1, moved per art. 642)."""
    ruleset = load_ruleset(rules)
    rule = next(r for r in ruleset.rules if r.id == ANNUAL_GRID_RULE)
    d = rule.deadline
    holidays = holiday_calendar(ruleset.country, ruleset.subdivision)
    return deadline(date(year, 1, 1), d.offset, Counting(d.counting), holidays, extend=d.extend,
                    fixed_day=d.fixed_day)


def carried_over(conventions: Conventions, year: int, previous: Path) -> tuple[ActivityMeasure, ...]:
    """Measures of the previous register still running on 1 January of `year`, with no actual end."""
    before = build_table(conventions, year - 1)
    register = load_activity(previous, {b.association.slug: sheets_for(b.amounts) for b in before.blocks},
                             year - 1, place_names(conventions.departement))
    first = date(year, 1, 1)
    return tuple(m for m in register.measures
                 if m.measure in CARRIED and m.act is None and m.actual_end is None and m.last_day
                 and m.last_day >= first)
