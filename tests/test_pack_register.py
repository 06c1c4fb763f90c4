"""The report of year N+1 takes its activity figures from the register of N when it is given."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from docx import Document

from engine.load.activity import load_activity
from engine.pack.register_figures import activity_from_register
from tests.test_grids import conventions, expected  # noqa: F401  (fixtures)
from tests.test_solde_example import EXAMPLE, run

HEADER = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
          "renouvellement_de;date_audience;motif;date_fin_reelle;resultat;date_realisation")


def test_figures_from_the_example_register(expected):  # noqa: F811
    register = load_activity(EXAMPLE, expected)
    figures = activity_from_register(register, 2026, "exemple")
    text = (EXAMPLE / "mesures.csv").read_text(encoding="utf-8")
    rows = [line.split(";") for line in text.splitlines()[1:]]
    dsf = sum(1 for r in rows if r[2] == "DSF" and r[12] == "realise" and r[13].startswith("2026"))
    assert figures.dsf_done >= dsf > 0  # the CSV part; the three grids add their own
    asll = next(s for s in figures.supports if s.measure.value == "ASLL")
    begun = sum(1 for r in rows if r[2] == "ASLL" and r[6].startswith("2026"))
    assert asll.begun >= begun > 0 and asll.households > asll.begun
    assert figures.gla_housings == len({r.split(";")[2] for r in (EXAMPLE / "occupation.csv").read_text(
        encoding="utf-8").splitlines()[1:] if ";GLA;" in r and not r.endswith(";0")})
    assert figures.households == sum(s.households for s in figures.supports)
    assert figures.computed_from == "exemple"


def test_a_renewal_is_the_same_household_and_not_a_new_measure(tmp_path: Path, expected):  # noqa: F811
    lines = [HEADER,
             "M-1;acarlogi;ASLL;GSL;;2025-01-10;2025-02-01;6;;;;;;",
             "M-2;acarlogi;ASLL;GSL;;2025-07-10;2025-08-01;6;M-1;;;;;",
             "M-3;acarlogi;ASLL;ASL;;2024-11-10;2024-12-01;3;;;;;;",  # ended in February 2025
             "M-4;acarlogi;DSF;;;;;;;2025-04-20;;;realise;2025-04-02",
             "M-5;acarlogi;DSF;;;;;;;2025-04-20;;;porte_close;2025-04-03"]
    (tmp_path / "mesures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "occupation.csv").write_text("association;dispositif;logement_id;mois;jours_occupes\n", encoding="utf-8")
    figures = activity_from_register(load_activity(tmp_path, expected), 2025, "registre")
    asll = next(s for s in figures.supports if s.measure.value == "ASLL")
    assert (asll.households, asll.begun, figures.dsf_done) == (2, 1, 1)
    assert date(2025, 1, 1).year == figures.year


def test_fsl_pack_says_its_figures_come_from_the_grids(tmp_path: Path):
    register = tmp_path / "activite-2025"
    register.mkdir()
    (register / "mesures.csv").write_text("\n".join([
        HEADER, "M-1;acarlogi;ASLL;GSL;;2025-06-10;2025-07-01;6;;;;;;",
        "M-2;acarlogi;DSF;;;;;;;2025-10-20;;;realise;2025-10-02"]) + "\n", encoding="utf-8")
    (register / "occupation.csv").write_text("association;dispositif;logement_id;mois;jours_occupes\n", encoding="utf-8")
    code, _, err = run("pack", "2026", "--activite", str(register), "--out", str(tmp_path / "out"))
    assert code == 0, err
    text = "\n".join(p.text for p in Document(str(tmp_path / "out" / "pack" / "2_rapport.docx")).paragraphs)
    assert "ont bénéficié à 1 ménages" in text or "ont bénéficié à 1 ménage" in text
    assert "1 DSF ont été réalisés" in text
    assert "calculés à partir des grilles d'activité 2025" in text
