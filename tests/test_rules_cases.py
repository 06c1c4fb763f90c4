"""tests/cases/regles.yaml: each obligation broken in a minimal register gives its finding, kept in
another gives none; run through the real `fsl check --json`. Every rule named there has both, and
every active rule of both rules sets is named there."""

from __future__ import annotations

import contextlib
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest

from engine.checker.ruleset import load_ruleset
from engine.cli import main
from engine.load.yamlfile import load_yaml

CASES = load_yaml(Path(__file__).parent / "cases" / "regles.yaml").data["cas"]
MEASURES = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
            "renouvellement_de;date_audience;motif;menage\n")
EVENTS = "mesure_id;type_evenement;date;commentaire\n"
DOCUMENTS = ("document_id;mesure_id;association;type_document;periode;date_reception;fichier;"
             "signataires_declares\n")
OCCUPANCY = "association;dispositif;logement_id;mois;jours_occupes\n"


def _register(folder: Path, case: dict) -> Path:
    folder.mkdir(parents=True)
    (folder / "mesures.csv").write_text(MEASURES + "".join(f"{r}\n" for r in case["mesures"]),
                                        encoding="utf-8")
    (folder / "evenements.csv").write_text(EVENTS + "".join(f"{r}\n" for r in case.get("evenements", [])),
                                           encoding="utf-8")
    (folder / "documents.csv").write_text(DOCUMENTS + "".join(f"{r}\n" for r in case.get("documents", [])),
                                          encoding="utf-8")
    if "occupation" in case:
        (folder / "occupation.csv").write_text(OCCUPANCY + "".join(f"{r}\n" for r in case["occupation"]),
                                               encoding="utf-8")
    return folder


def _findings(folder: Path, case: dict) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", str(folder), "--as-of", str(case["date"]), "--regles", case["regles"],
                       "--json"])
    assert status in (0, 1), status
    return json.loads(out.getvalue())["findings"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, tmp_path: Path) -> None:
    found = [f for f in _findings(_register(tmp_path / "registre", case), case)
             if f["rule"] == case["regle"] and f["mesure_id"] == case["mesure"]]
    if case["viole"]:
        assert found, f"{case['id']} : aucun constat {case['regle']}"
        assert any(case["motif"] in f["message"] for f in found), [f["message"] for f in found]
    else:
        assert found == [], [f["message"] for f in found]


def test_every_rule_named_in_the_cases_has_a_breaking_and_a_keeping_case() -> None:
    kinds: dict[tuple[str, str], set[bool]] = defaultdict(set)
    for case in CASES:
        kinds[(case["regles"], case["regle"])].add(bool(case["viole"]))
    assert {key: sides for key, sides in kinds.items() if sides != {True, False}} == {}
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name", ["pas-de-calais", "cea"])
def test_every_active_rule_has_a_breaking_and_a_keeping_case(name: str) -> None:
    """Each rule the engine checks (not `manuel`) is broken in one register of tests/cases/regles.yaml
    and kept in another, under that rules set."""
    sides: dict[str, set[bool]] = defaultdict(set)
    for case in CASES:
        if case["regles"] == name:
            sides[case["regle"]].add(bool(case["viole"]))
    missing = {rule.id: sorted({"cassée", "tenue"} - {"cassée" if v else "tenue" for v in sides[rule.id]})
               for rule in load_ruleset(name).active() if sides[rule.id] != {True, False}}
    assert missing == {}
