"""Annexe 1 is a fact: territories as 004 lists them; an allocation elsewhere needs a written
deviation with its source (Habitat Jeunes HAJ: Audomarois; 4 AJ: tous)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from engine.cli import main
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parents[1]


def test_annexe_1_territories_are_those_of_the_deliberation() -> None:
    conventions = load_conventions(ROOT / "conventions").conventions
    haj, four_aj = conventions.association("habitat-jeunes-haj"), conventions.association("4-aj")
    assert haj.territories == ("calaisis",) and four_aj.territories == ("arrageois",)
    assert "004 annexe 3" in haj.territory_deviations["audomarois"]
    assert "004 annexe 3" in four_aj.territory_deviations["tous"]


def test_an_allocation_outside_the_territories_without_a_deviation_is_an_error(tmp_path: Path,
                                                                               capsys) -> None:
    root = tmp_path / "conventions"
    shutil.copytree(ROOT / "conventions", root)
    path = root / "associations" / "habitat-jeunes-haj.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"ecart_territoires:\n(?:  .*\n)+", "", text), encoding="utf-8")
    assert main(["validate", "--conventions", str(root)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"habitat-jeunes-haj\.yaml:\d+: allocations\[\d\]\.lignes\[1\]\.territoire: "
                     r"territoire « audomarois » absent de la liste des territoires de la convention", err)
    assert "ecart_territoires" in err
