"""The submissions register (CSV): every mistake named by file, line and column, in French."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from engine.checker.registry import DOCUMENTS, EVENTS, MEASURES, load_submission, parse_day
from engine.cli import main
from engine.errors import InputErrors
from engine.rules import DocumentType, Measure, Role

MEASURE = "M-0001;acarlogi;ASLL;GSL;lens-lievin;2026-02-16;01/03/2026;6;;;"
DOCUMENT = "D-0001;M-0001;acarlogi;cet;;2026-03-20;;menage|instructeur|association"


def folder(tmp_path: Path, measures=(MEASURE,), documents=(DOCUMENT,), events=None,
           encoding="utf-8") -> Path:
    root = tmp_path / "soumissions"
    (root / "fichiers").mkdir(parents=True)
    (root / "mesures.csv").write_text("\n".join([";".join(MEASURES), *measures]) + "\n", encoding=encoding)
    (root / "documents.csv").write_text("\n".join([";".join(DOCUMENTS), *documents]) + "\n",
                                        encoding=encoding)
    if events is not None:
        (root / "evenements.csv").write_text("\n".join([";".join(EVENTS), *events]) + "\n",
                                             encoding=encoding)
    return root


def errors_of(root: Path) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        load_submission(root)
    return [str(e) for e in caught.value.errors]


def test_valid_register_is_typed(tmp_path: Path) -> None:
    events = ["M-0001;visite;2026-03-04;RDV avec Mme Exemple"]
    submission = load_submission(folder(tmp_path, events=events))
    [m], [d], [e] = submission.measures, submission.documents, submission.events
    assert m.measure is Measure.ASLL and m.start == date(2026, 3, 1) and m.end == date(2026, 8, 31)
    assert d.type is DocumentType.CET and d.declared == {Role.MENAGE, Role.INSTRUCTEUR, Role.ASSOCIATION}
    assert e.day == date(2026, 3, 4) and not hasattr(e, "commentaire")


def test_both_date_forms_and_bom(tmp_path: Path) -> None:
    root = folder(tmp_path, encoding="utf-8-sig")
    assert load_submission(root).measures[0].decision == date(2026, 2, 16)
    assert parse_day("29/02/2026") is None and parse_day("2026-2-1") is None


@pytest.mark.parametrize(("measures", "documents", "expected"), [
    ((MEASURE.replace("2026-02-16", "31/02/2026"),), (DOCUMENT,),
     "mesures.csv:2: date_decision (colonne 6): date « 31/02/2026 » invalide"),
    ((MEASURE.replace(";ASLL;", ";ASLX;"),), (DOCUMENT,),
     "mesures.csv:2: dispositif (colonne 3): valeur « ASLX » inconnue"),
    ((MEASURE.replace(";6;", ";six;"),), (DOCUMENT,),
     "mesures.csv:2: duree_mois (colonne 8): « six » : attendu un nombre entier de 1 à 60"),
    ((MEASURE.replace(";GSL;", ";simple;"),), (DOCUMENT,),
     "mesures.csv:2: type (colonne 4): « simple » n'est pas un type ASLL"),
    ((MEASURE.replace("2026-02-16", ""),), (DOCUMENT,),
     "mesures.csv:2: date_decision (colonne 6): obligatoire pour une mesure ASLL"),
    ((MEASURE, MEASURE), (DOCUMENT,), "mesures.csv:3: mesure_id (colonne 1): « M-0001 » en double"),
    ((MEASURE.replace(";;;", ";M-9999;;"),), (DOCUMENT,),
     "mesures.csv:2: renouvellement_de (colonne 9): « M-9999 » ne désigne aucune autre mesure"),
    ((MEASURE,), (DOCUMENT.replace("M-0001", "M-0404"),),
     "documents.csv:2: mesure_id (colonne 2): « M-0404 » ne figure pas dans mesures.csv"),
    ((MEASURE,), (DOCUMENT.replace(";acarlogi;", ";habitat-insertion;"),),
     "documents.csv:2: association (colonne 3): « habitat-insertion » alors que la mesure M-0001"),
    ((MEASURE,), (DOCUMENT.replace(";;menage", ";../../etc/passwd;menage"),),
     "documents.csv:2: fichier (colonne 7): « ../../etc/passwd » : chemin refusé"),
    ((MEASURE,), (DOCUMENT.replace("menage|", "maire|"),),
     "documents.csv:2: signataires_declares (colonne 8): signataire « maire » inconnu"),
    ((MEASURE,), (DOCUMENT.replace(";cet;", ";contrat;"),),
     "documents.csv:2: type_document (colonne 4): valeur « contrat » inconnue"),
    ((MEASURE,), (DOCUMENT + ";en trop",), "documents.csv:2: -: 9 colonnes au lieu de 8"),
])
def test_bad_cell_names_file_line_and_column(tmp_path: Path, measures, documents, expected) -> None:
    messages = errors_of(folder(tmp_path, measures, documents))
    assert any(expected in m for m in messages), messages


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    measures = (MEASURE.replace("2026-02-16", "hier"),
                MEASURE.replace("M-0001", "M-0002").replace(";6;", ";0;"))
    assert len(errors_of(folder(tmp_path, measures))) == 2


def test_header_problems(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "mesures.csv").write_text("mesure_id,association,dispositif\nM-1,a,ASLL\n", encoding="utf-8")
    [message] = [m for m in errors_of(root) if "mesures.csv" in m]
    assert message.startswith(str(root / "mesures.csv") + ":1: en-tête: en-tête invalide, séparateur « , »")


def test_not_utf8_says_how_to_save(tmp_path: Path) -> None:
    root = folder(tmp_path, measures=(MEASURE.replace("lens-lievin", "Liévin"),), encoding="cp1252")
    assert any("pas en UTF-8" in m and "mesures.csv:2" in m for m in errors_of(root))


def test_missing_register_file(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "documents.csv").unlink()
    assert any("fichier absent : attendu documents.csv" in m for m in errors_of(root))


def test_event_of_unknown_measure(tmp_path: Path) -> None:
    root = folder(tmp_path, events=["M-0002;visite;2026-03-04;"])
    assert any("evenements.csv:2: mesure_id (colonne 1)" in m for m in errors_of(root))


def _fsl(*args: str) -> subprocess.CompletedProcess:
    """`fsl ARGS` in this process (fast); stdout, stderr and the exit status as from a shell."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = exc.code
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def test_cli_bad_csv_exits_1_in_french_without_traceback(tmp_path: Path) -> None:
    root = folder(tmp_path, (MEASURE.replace("2026-02-16", "2026-13-01"),))
    done = subprocess.run([sys.executable, "-m", "engine", "check", str(root), "--as-of", "2026-11-22"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "mesures.csv:2: date_decision (colonne 6): date « 2026-13-01 » invalide" in done.stderr


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _fsl("check", str(folder(tmp_path)), "--as-of", "22 novembre").returncode == 2
    unknown = _fsl("check", str(folder(tmp_path / "b")), "--regles", "bretagne")
    assert unknown.returncode == 1
    assert "règles « bretagne » inconnues ; disponibles : cea, pas-de-calais" in unknown.stderr


def test_cli_json_contract(tmp_path: Path) -> None:
    import json

    done = _fsl("check", str(folder(tmp_path)), "--as-of", "2026-03-21", "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["as_of"] == "2026-03-21"
    assert report["summary"] == {"documents": 1, "measures": 1, "errors": 1, "warnings": 0}
    [finding] = report["findings"]
    assert finding == {
        "rule": "ASLL-CET", "severity": "error", "association": "acarlogi", "mesure_id": "M-0001",
        "document_id": "D-0001", "message": "CET reçu le 2026-03-20, dû le 2026-03-16 : 4 jours de retard",
        "due": "2026-03-16", "received": "2026-03-20", "days_late": 4, "evidence": "declared",
        "source": "004 annexe ASLL, Le contrat d'Engagement Tripartite"}


def test_cli_exit_0_without_error(tmp_path: Path) -> None:
    on_time = DOCUMENT.replace("2026-03-20", "2026-03-10")
    done = _fsl("check", str(folder(tmp_path, documents=(on_time,))), "--as-of", "2026-03-21")
    assert done.returncode == 0 and "0 erreur(s)" in done.stdout


def test_occupation_csv_is_read_by_the_settlement_reader_with_located_errors(tmp_path: Path) -> None:
    # issue 8 « one loader »: fsl check reads occupation.csv through engine.load.activity
    root = folder(tmp_path)
    rows = ["acarlogi;GLA;L-1;2026-03;31", "acarlogi;GLA;L-1;2026-04;trente", "acarlogi;ASLL;L-2;2026-03;5",
            "acarlogi;GLA;L-1;2026-03;30"]
    (root / "occupation.csv").write_text(
        "association;dispositif;logement_id;mois;jours_occupes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    errors = errors_of(root)
    assert any("occupation.csv:3:" in e and "jours_occupes" in e for e in errors), errors
    assert any("occupation.csv:4:" in e and "dispositif" in e for e in errors), errors
    assert any("occupation.csv:5:" in e and "déjà compté" in e for e in errors), errors
    rows = rows[:1]
    (root / "occupation.csv").write_text(
        "association;dispositif;logement_id;mois;jours_occupes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    [record] = load_submission(root).occupancy
    assert (record.association, record.measure, record.month, record.days, record.line) == \
        ("acarlogi", Measure.GLA, (2026, 3), 31, 2)


def test_an_asll_act_of_the_activity_register_is_no_measure_to_check(tmp_path: Path) -> None:
    """A diagnostic (column `acte_asll`) has no start nor duration: `fsl check` reads the same
    mesures.csv as `fsl solde` without asking for either, and expects no piece for it."""
    root = folder(tmp_path, documents=())
    header = ";".join((*MEASURES, "acte_asll", "date_realisation"))
    (root / "mesures.csv").write_text("\n".join([header, f"{MEASURE};;",
                                                 "A-2;acarlogi;ASLL;;;2026-04-02;;;;;;diagnostic;2026-05-03"])
                                      + "\n", encoding="utf-8")
    submission = load_submission(root)
    assert [m.mesure_id for m in submission.measures] == ["M-0001"]
