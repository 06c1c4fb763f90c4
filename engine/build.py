"""What `fsl build` and the single-document commands write, step by step, into a staging folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from engine.finance import build_table
from engine.model import Conventions
from engine.open_points import figure_points
from engine.pack.commission import commission_path, load_commission
from engine.render.table_docx import write_table_docx
from engine.render.table_xlsx import write_table_xlsx

if TYPE_CHECKING:
    from engine.render.pdf import Converter


@dataclass(frozen=True)
class BuildOptions:
    pdf: bool = False
    association: str | None = None
    progress: bool = False
    activity: Path | None = None  # the activity register of the year before, for the pack's figures
    converter: Converter | None = None  # the build's LibreOffice service (engine/render/pdf.py)


Step = Callable[[Conventions, int, Path, BuildOptions], list[Path]]


def table_date(conventions: Conventions, year: int) -> date | None:
    """The date the table carries, from commissions/YEAR.yaml when the year has one."""
    root = Path(conventions.root)
    if not commission_path(root, year).is_file():
        return None
    return load_commission(root, year).table_date


def table_step(conventions: Conventions, year: int, stage: Path, options: BuildOptions) -> list[Path]:
    """`tableau_financier_YEAR.xlsx` and `.docx`."""
    table = build_table(conventions, year)
    xlsx = stage / f"tableau_financier_{year}.xlsx"
    docx = stage / f"tableau_financier_{year}.docx"
    points = figure_points(conventions, year)
    dated = table_date(conventions, year)
    write_table_xlsx(conventions.departement, table, xlsx, points, conventions.root, dated)
    write_table_docx(conventions.departement, table, docx, points, conventions.root, dated)
    return [xlsx, docx]
