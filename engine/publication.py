"""The build step that writes the SCDL « subventions » open-data file when the data allows it.

`fsl build` must succeed on data that cannot be published yet (the seeds give neither the
Département's SIRET nor the associations' SIRET or RNA, so Validata refuses every row): the step
then writes nothing and says in one line why not; `fsl scdl YEAR` gives the full list of what to
fill in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from engine.build import BuildOptions
from engine.errors import InputError, InputErrors
from engine.model import Conventions
from engine.render.scdl_csv import ScdlRefused, scdl_file
from engine.validata import ValidatorMissing


def scdl_step(conventions: Conventions, year: int, stage: Path, options: BuildOptions) -> list[Path]:
    """`scdl_subventions_YEAR.csv`, or one line on stderr saying why it is not written."""
    if options.association is not None:
        return []
    try:
        published = scdl_file(conventions, year)
    except ScdlRefused as refused:
        print(f"{refused.summary()} (détail : fsl scdl {year})", file=sys.stderr)
        return []
    except ValidatorMissing as exc:  # as without LibreOffice: the other documents are still written
        print(f"fichier SCDL {year} non produit : {exc}", file=sys.stderr)
        return []
    except (InputError, InputErrors) as exc:
        print(f"fichier SCDL {year} non produit : {_first(exc)} (détail : fsl scdl {year})",
              file=sys.stderr)
        return []
    path = stage / published.name
    path.write_bytes(published.data)
    return [path]


def _first(exc: InputError | InputErrors) -> str:
    errors = exc.errors if isinstance(exc, InputErrors) else [exc]
    more = f" ; et {len(errors) - 1} autre(s) point(s)" if len(errors) > 1 else ""
    return f"{errors[0]}{more}"
