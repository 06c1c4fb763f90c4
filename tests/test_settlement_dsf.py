"""The settlement pays only what the deliberation pays (tests/cases/solde.yaml, dsf_non_remuneres):
a closed door after fewer than 2 attempts, a DSF for the association's own ASLL household (same
`menage`) are not paid, and the line says why with the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.finance import build_table
from engine.load.activity import load_activity
from engine.load.settlement_rules import load_settlement_rules
from engine.load.yamlfile import load_yaml
from engine.settlement import realised_amounts
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS, ROOT

CASES = load_yaml(ROOT / "tests" / "cases" / "solde.yaml").data["dsf_non_remuneres"]
HEADER = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
          "renouvellement_de;date_audience;motif;menage;date_fin_reelle;resultat;date_realisation\n")


@pytest.fixture(scope="module")
def world():
    conventions = load_conventions(CONVENTIONS).conventions
    return conventions, build_table(conventions, 2026), load_settlement_rules(CONVENTIONS)


@pytest.mark.parametrize("case", CASES, ids=[c["nom"] for c in CASES])
def test_unpaid_dsf(world, case, tmp_path: Path) -> None:
    conventions, table, rules = world
    (tmp_path / "mesures.csv").write_text(HEADER + "".join(f"{r}\n" for r in case["mesures"]), encoding="utf-8")
    (tmp_path / "occupation.csv").write_text("association;dispositif;logement_id;mois;jours_occupes\n", encoding="utf-8")
    (tmp_path / "evenements.csv").write_text(
        "mesure_id;type_evenement;date;commentaire\n" + "".join(f"{r}\n" for r in case["evenements"]),
        encoding="utf-8")
    register = load_activity(tmp_path, {"acarlogi": ()}, 2026).of("acarlogi")
    realised = {r.group: r for r in realised_amounts(register, conventions.departement, table.period, rules,
                                                     {"dsf": 0, "portes_closes": 0})}
    got = {g: f"{realised[g].amount}" if g in realised else "0.00" for g in ("dsf", "portes_closes")}
    unpaid = [line for r in realised.values() for line in r.unpaid]
    assert {**got, "non_remuneres": len(unpaid)} == case["attendu"]
    for line in unpaid:
        assert line.startswith("D-1 : ") and ("DSF-PORTE-CLOSE" in line or "DSF-SUIVI-ASLL" in line), line
