"""The activity grid's layout, shared by the writer (`fsl grilles`) and the reader (`fsl solde`).

A grid is `grille_activite_YEAR_<slug>.xlsx`: an « Instructions » sheet naming the association and
the year, a locked « Synthèse » (entered vs allocated), then one sheet per measure the association
runs. On each: row 1 a banner naming the association and the measure (filled in for every row,
never typed), row 2 the French labels of the columns that sheet needs (templates/
grille_instructions.yaml), data from row 3. Each label stands for a register column (INTERFACES.md,
« Activity register »); the reader also accepts the register's own names in row 1, the layout of
grids written before the labels (every column of the register on every sheet).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from engine import PROJECT_ROOT
from engine.activity import ACTIVITY_COLUMNS, OCCUPANCY_COLUMNS, OCCUPANCY_OPTIONAL
from engine.checker.registry import MEASURES
from engine.model import Measure

GRID_GLOB = "grille_activite_*.xlsx"
INSTRUCTIONS = "Instructions"
SUMMARY = "Synthèse"
ASSOCIATION_CELL = "B3"
YEAR_CELL = "B4"
BANNER_ROW, HEADER_ROW = 1, 2
INPUT_ROWS = 20_000  # rows below the header that carry the validations (and that the summary counts)
TEXTS = PROJECT_ROOT / "templates" / "grille_instructions.yaml"
REGISTER_COLUMNS: tuple[str, ...] = MEASURES + ACTIVITY_COLUMNS  # what a measure row holds once read
OCCUPANCY_REGISTER: tuple[str, ...] = OCCUPANCY_COLUMNS + OCCUPANCY_OPTIONAL
FILLED = ("association", "dispositif")  # taken from the grid and the sheet, never typed
OPTIONAL = ("acte_asll", "dsf_suivi_asll", "accompagnement_seul")  # absent from older grids: read as empty
_RUN = ("date_decision", "date_debut", "duree_mois", "renouvellement_de", "motif", "date_fin_reelle")


@dataclass(frozen=True)
class SheetSpec:
    """One input sheet: its name, the measure it holds, whether rows are measures or occupancy,
    and the register columns it shows (only those the measure needs)."""

    name: str
    measure: Measure
    occupancy: bool
    columns: tuple[str, ...]

    @property
    def register(self) -> tuple[str, ...]:
        """Every column a row of this sheet holds once read (those not shown read as empty)."""
        return OCCUPANCY_REGISTER if self.occupancy else REGISTER_COLUMNS


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("ASLL", Measure.ASLL, False,
              ("mesure_id", "type", "territoire", *_RUN, "acte_asll", "date_realisation")),
    SheetSpec("AML", Measure.AML, False, ("mesure_id", "type", "territoire", *_RUN)),
    SheetSpec("DSF", Measure.DSF, False,
              ("mesure_id", "territoire", "date_audience", "resultat", "date_realisation", "dsf_suivi_asll")),
    SheetSpec("FAL", Measure.FAL, False, ("mesure_id", "territoire", *_RUN)),
    SheetSpec("FAL occupation", Measure.FAL, True,
              ("logement_id", "mois", "jours_occupes", "accompagnement_seul")),
    SheetSpec("GLA", Measure.GLA, True, ("logement_id", "mois", "jours_occupes")),
)
_GROUPS = {Measure.ASLL: ("asll",), Measure.AML: ("aml",), Measure.DSF: ("dsf", "portes_closes"),
           Measure.FAL: ("fal",), Measure.GLA: ("gla",)}


@dataclass(frozen=True)
class ColumnText:
    label: str
    title: str  # the input message's title (32 characters at most)
    help: str  # the input message (255 characters at most), with {fields} still to fill


def grid_filename(year: int, slug: str) -> str:
    return f"grille_activite_{year}_{slug}.xlsx"


def sheets_for(amounts: Mapping[str, Decimal]) -> tuple[SheetSpec, ...]:
    """The sheets of an association whose allocation has these amounts per group."""
    return tuple(s for s in SHEETS if any(amounts.get(g, 0) for g in _GROUPS[s.measure]))


def sheet_named(name: str) -> SheetSpec | None:
    return next((s for s in SHEETS if s.name == name), None)


@lru_cache(maxsize=1)
def grid_texts() -> dict:
    """templates/grille_instructions.yaml (read once)."""
    from engine.load.yamlfile import load_yaml

    return load_yaml(TEXTS).data


def column_text(spec: SheetSpec, column: str) -> ColumnText:
    """The label and input message of `column` on the sheet `spec`."""
    texts = grid_texts()
    entry = {**texts["colonnes"][column], **texts.get("par_feuille", {}).get(spec.name, {}).get(column, {})}
    return ColumnText(entry["libelle"], entry.get("titre", entry["libelle"]), entry["aide"])


def header_names(spec: SheetSpec) -> dict[str, str]:
    """What a header cell may say (compared by `header_key`) → the register column it stands for:
    the sheet's labels, and the register names of every column (grids written before the labels)."""
    names = {header_key(c): c for c in spec.register}
    names |= {header_key(column_text(spec, c).label): c for c in (*spec.columns, *FILLED)}
    return names


def header_key(text: str) -> str:
    """A header or list value as compared: case, spacing and typographic apostrophes aside
    (the writer typesets the labels: « l’association », non-breaking spaces)."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").casefold()
    return re.sub(r"\s+", " ", text).strip()
