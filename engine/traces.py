"""The build step that writes `traces/<slug>.json`: where every figure of each amendment comes from.

The same trace as `fsl explain YEAR SLUG --json`, one file per association with an allocation that
year, written into the build's staging folder (engine/render/output.py moves it into place).
"""

from __future__ import annotations

import json
from pathlib import Path

from engine.build import BuildOptions
from engine.explain import explain
from engine.model import Conventions
from engine.render.trace import trace_json

TRACES_DIR = "traces"


def traces_step(conventions: Conventions, year: int, stage: Path, options: BuildOptions) -> list[Path]:
    """`traces/<slug>.json` for each association of the year (or only `options.association`)."""
    folder = stage / TRACES_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for association in conventions.associations:
        if association.allocation(year) is None:
            continue
        if options.association is not None and association.slug != options.association:
            continue
        path = folder / f"{association.slug}.json"
        path.write_text(trace_text_json(conventions, year, association.slug), encoding="utf-8")
        written.append(path)
    return written


def trace_text_json(conventions: Conventions, year: int, slug: str) -> str:
    """The trace as the JSON text `fsl explain --json` prints (same bytes for the same data)."""
    document = trace_json(explain(conventions, year, slug))
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
