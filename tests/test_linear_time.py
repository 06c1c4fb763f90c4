"""`fsl check` and `fsl solde` read mesures.csv in time linear in its rows (issue 23: the register
check copied the set of known ids for every row, 10 000 rows 1.8 s, 40 000 rows 16.7 s)."""

from __future__ import annotations

import time
from pathlib import Path

from engine.checker.registry import DOCUMENTS, MEASURES, load_submission
from engine.load.activity import load_activity

MEASURE = "M-{:06d};acarlogi;ASLL;GSL;;2026-02-16;01/03/2026;6;;;"


def _register(folder: Path, rows: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "fichiers").mkdir()
    lines = [";".join(MEASURES)] + [MEASURE.format(i) for i in range(rows)]
    (folder / "mesures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "documents.csv").write_text(";".join(DOCUMENTS) + "\n", encoding="utf-8")
    (folder / "occupation.csv").write_text("association;dispositif;logement_id;mois;jours_occupes\n", encoding="utf-8")
    return folder


def _seconds(read, folder: Path) -> float:
    start = time.perf_counter()
    read(folder)
    return time.perf_counter() - start


def _ratio(read, tmp_path: Path) -> float:
    small, large = _register(tmp_path / "small", 10_000), _register(tmp_path / "large", 40_000)
    _seconds(read, small)  # warm-up: imports and caches
    return _seconds(read, large) / _seconds(read, small)


def test_check_register_is_linear_in_rows(tmp_path: Path) -> None:
    ratio = _ratio(load_submission, tmp_path)
    assert ratio < 6, f"40 000 lignes / 10 000 lignes : {ratio:.1f} fois plus long"


def test_solde_register_is_linear_in_rows(tmp_path: Path) -> None:
    ratio = _ratio(lambda folder: load_activity(folder, {"acarlogi": ()}), tmp_path)
    assert ratio < 6, f"40 000 lignes / 10 000 lignes : {ratio:.1f} fois plus long"
