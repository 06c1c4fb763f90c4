"""A rules file whose rule lacks what its control reads (engine/checker/context.py: limit,
deadline_of, document_of) stops `fsl check` with a French message, never a Python traceback."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from engine.cli import main
from tests.conftest import CONVENTIONS

ASLL_RENEWAL = """  - id: ASLL-RENOUVELLEMENT
    libelle: "Renouvellement sollicité par l'association, en justifiant les causes"
    controle: renouvellement
    dispositifs: [ASLL]
    limites:
      attendu: demande_renouvellement
"""
MEASURES = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
            "renouvellement_de;date_audience;motif;menage\n"
            "M-1;acarlogi;ASLL;GSL;lens-lievin;2025-05-10;2025-06-01;6;;;;\n"
            "M-2;acarlogi;ASLL;GSL;lens-lievin;2026-02-10;2026-03-01;6;M-1;;;\n")


def test_a_renewal_rule_without_its_expected_event_is_a_french_error(tmp_path: Path) -> None:
    text = (CONVENTIONS / "regles" / "pas-de-calais.yaml").read_text(encoding="utf-8")
    assert text.count(ASLL_RENEWAL) == 1
    rules = tmp_path / "regles.yaml"  # the rank keeps M-2 (second period) in the rule's scope
    rules.write_text(text.replace(ASLL_RENEWAL, ASLL_RENEWAL.replace("attendu: demande_renouvellement",
                                                                     "rang: 2")), encoding="utf-8")
    folder = tmp_path / "registre"
    folder.mkdir()
    (folder / "mesures.csv").write_text(MEASURES, encoding="utf-8")
    (folder / "evenements.csv").write_text("mesure_id;type_evenement;date;commentaire\n", encoding="utf-8")
    (folder / "documents.csv").write_text("document_id;mesure_id;association;type_document;periode;"
                                          "date_reception;fichier;signataires_declares\n", encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["check", str(folder), "--as-of", "2026-12-10", "--regles", str(rules)])
    assert status == 1
    assert ("règle ASLL-RENOUVELLEMENT : « limites.attendu » est attendu pour le contrôle "
            "« renouvellement »") in err.getvalue()
    assert "Traceback" not in err.getvalue()
