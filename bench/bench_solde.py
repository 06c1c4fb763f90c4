"""Time `fsl solde` on 27 full-year grids against bare openpyxl reading the same workbooks.

    .venv/bin/python bench/bench_solde.py [--repeat 3]

- the grids: the 27 of `fsl grilles 2026`, filled with the whole generated year of
  examples/activite-2026 (~4 800 measures and ~12 000 occupancy rows; one association left blank);
- engine: `load_activity` (every cell checked, errors located) then `settle_year`;
- bare openpyxl: `load_workbook(read_only=True)` and every row of every sheet read as values.
Times are the median of `--repeat` runs, engine and bare alternating; target engine / bare ≤ 1.3.
Peak memory (tracemalloc) of one engine run is printed too.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from engine import PROJECT_ROOT
from engine.finance import build_table
from engine.grid import sheets_for
from engine.load.activity import load_activity
from engine.load.settlement_rules import load_settlement_rules
from engine.settlement import settle_year
from engine.validation import load_conventions

TARGET = 1.3
YEAR = 2026


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    conventions = load_conventions(PROJECT_ROOT / "conventions").conventions
    table = build_table(conventions, YEAR)
    rules = load_settlement_rules(PROJECT_ROOT / "conventions")
    expected = {b.association.slug: sheets_for(b.amounts) for b in table.blocks}
    with tempfile.TemporaryDirectory() as tmp:
        folder = _grids(conventions, Path(tmp))
        books = sorted(folder.glob("*.xlsx"))

        def engine() -> int:
            register = load_activity(folder, expected, YEAR)
            settle_year(table, register, conventions.departement, rules)
            return len(register.measures) + len(register.occupancy)

        rows = engine()
        print(f"{len(books)} grilles, {rows} lignes (mesures, occupation), médiane de {args.repeat} passages")
        ours, bare = _interleaved(args.repeat, engine, lambda: _bare(books))
        tracemalloc.start()
        engine()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"moteur (lecture contrôlée + solde) : {ours:7.3f} s")
    print(f"openpyxl nu (lecture seule)        : {bare:7.3f} s")
    ratio = ours / bare
    print(f"rapport moteur / openpyxl nu       : {ratio:7.2f} (cible ≤ {TARGET})")
    print(f"mémoire de pointe (tracemalloc)    : {peak / 1e6:7.1f} Mo")
    return 0


def _grids(conventions, folder: Path) -> Path:
    """The example year, every association with activity sent as a filled grid."""
    path = PROJECT_ROOT / "examples" / "generate_activite.py"
    spec = importlib.util.spec_from_file_location("generate_activite", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    plan = module.generate(folder / "exemple")
    slugs = {b.association.slug for b in build_table(conventions, YEAR).blocks}  # 27, one of them blank
    grids = folder / "grilles"
    grids.mkdir()
    module.write_grids(conventions, grids, plan, slugs)
    return grids


def _bare(books: list[Path]) -> int:
    count = 0
    for path in books:
        book = load_workbook(path, read_only=True, data_only=False)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                count += len(row)
        book.close()
    return count


def _interleaved(repeat: int, ours: Callable[[], object], bare: Callable[[], object]) -> tuple[float, float]:
    """Median times of both, run alternately so that a busy machine slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for work, kept in ((ours, times[0]), (bare, times[1])):
            start = time.perf_counter()
            work()
            kept.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


if __name__ == "__main__":
    raise SystemExit(main())
