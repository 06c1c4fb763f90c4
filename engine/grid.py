"""The activity grid's layout, shared by the writer (`fsl grilles`) and the reader (`fsl solde`).

A grid is `grille_activite_YEAR_<slug>.xlsx`: an « Instructions » sheet naming the association and
the year, then one sheet per measure the association runs, row 1 holding the register's columns
(INTERFACES.md, « Activity register »): measures for ASLL, AML, DSF and FAL, occupancy for the
FAL housings and the GLA housings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from engine.activity import ACTIVITY_COLUMNS, OCCUPANCY_COLUMNS
from engine.checker.registry import MEASURES
from engine.model import Measure

GRID_GLOB = "grille_activite_*.xlsx"
INSTRUCTIONS = "Instructions"
ASSOCIATION_CELL = "B3"
YEAR_CELL = "B4"
MEASURE_COLUMNS: tuple[str, ...] = MEASURES + ACTIVITY_COLUMNS


@dataclass(frozen=True)
class SheetSpec:
    """One input sheet: its name, the measure it holds, and whether rows are measures or occupancy."""

    name: str
    measure: Measure
    occupancy: bool

    @property
    def columns(self) -> tuple[str, ...]:
        return OCCUPANCY_COLUMNS if self.occupancy else MEASURE_COLUMNS


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("ASLL", Measure.ASLL, False),
    SheetSpec("AML", Measure.AML, False),
    SheetSpec("DSF", Measure.DSF, False),
    SheetSpec("FAL", Measure.FAL, False),
    SheetSpec("FAL occupation", Measure.FAL, True),
    SheetSpec("GLA", Measure.GLA, True),
)
_GROUPS = {Measure.ASLL: ("asll",), Measure.AML: ("aml",), Measure.DSF: ("dsf", "portes_closes"),
           Measure.FAL: ("fal",), Measure.GLA: ("gla",)}


def grid_filename(year: int, slug: str) -> str:
    return f"grille_activite_{year}_{slug}.xlsx"


def sheets_for(amounts: Mapping[str, Decimal]) -> tuple[SheetSpec, ...]:
    """The sheets of an association whose allocation has these amounts per group."""
    return tuple(s for s in SHEETS if any(amounts.get(g, 0) for g in _GROUPS[s.measure]))


def sheet_named(name: str) -> SheetSpec | None:
    return next((s for s in SHEETS if s.name == name), None)
