"""`fsl explain`: each figure of an amendment with its YAML line, rate, source, months and formula."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from engine.cli import main
from engine.explain import explain
from engine.finance import build_table
from engine.money import NBSP
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS


def _explain_json(capsys, *args: str) -> dict:
    assert main(["explain", *args, "--conventions", str(CONVENTIONS), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _lens_asll(trace: dict) -> dict:
    period = next(p for p in trace["periodes"] if p["annee"] == 2026)
    line = next(li for li in period["lignes"] if li["territoire"] == "lens-lievin")
    return next(f for f in line["chiffres"] if f["colonne"] == "asll_points")


def test_acarlogi_lens_asll_names_yaml_line_rate_source_months_and_formula(capsys) -> None:
    figure = _lens_asll(_explain_json(capsys, "2026", "acarlogi"))
    assert figure["montant"] == "36099.00"
    assert figure["nombre"] == 35
    where = figure["nombre_source"]
    assert where["fichier"] == "conventions/associations/acarlogi.yaml"
    text = (CONVENTIONS / "associations" / "acarlogi.yaml").read_text(encoding="utf-8").splitlines()
    assert text[where["ligne"] - 1].strip() == "asll_points: 35"
    assert figure["taux"] == "85.95" and figure["taux_debut"] == "2025-07-01"
    assert "004 annexe ASLL" in figure["taux_source"]
    rate_at = figure["taux_fichier"]
    dep_text = (CONVENTIONS / "departement.yaml").read_text(encoding="utf-8").splitlines()
    assert rate_at["fichier"] == "conventions/departement.yaml"
    assert dep_text[rate_at["ligne"] - 1].strip() == "montant: 85.95"
    assert figure["mois"] == 12 and figure["unite"] == "mois"
    assert figure["formule"].replace(NBSP, " ") == "35 × 85,95 € × 12 mois = 36 099,00 €"


def test_the_text_output_says_the_same(capsys) -> None:
    assert main(["explain", "2026", "acarlogi", "--conventions", str(CONVENTIONS)]) == 0
    out = capsys.readouterr().out.replace(NBSP, " ")
    assert "35 × 85,95 € × 12 mois = 36 099,00 €" in out
    lines = (CONVENTIONS / "associations" / "acarlogi.yaml").read_text(encoding="utf-8").splitlines()
    line = [n for n, text in enumerate(lines, 1) if text.strip() == "asll_points: 35"][-1]  # 2026 row
    assert f"nombre 35 : conventions/associations/acarlogi.yaml:{line}" in out
    assert "inférence : Arrondissement DSF non imprimé" in out
    assert "ESTIMÉE" in out  # the 2025 period the amendment restates is an estimate


def test_every_figure_adds_up_to_the_table_rows_and_totals() -> None:
    conventions = load_conventions(CONVENTIONS).conventions
    for year in (2025, 2026):
        table = build_table(conventions, year)
        for block in table.blocks:
            trace = explain(conventions, year, block.association.slug)
            period = trace.periods[-1]
            assert period.year == year and period.total == block.total
            for line, row in zip(period.lines, block.rows, strict=True):
                by_group = dict.fromkeys(row.amounts, Decimal("0.00"))
                for figure in line.figures:
                    by_group[figure.group] += figure.amount
                assert by_group == dict(row.amounts)


def test_annual_rate_formula_prorates_by_months(capsys) -> None:
    trace = _explain_json(capsys, "2026", "immobiliere-sociale-62")
    first = trace["periodes"][0]
    gla = [f for li in first["lignes"] for f in li["chiffres"] if f["colonne"] == "gla"]
    assert first["annee"] == 2025 and gla
    assert gla[0]["formule"].replace(NBSP, " ").startswith(f"{gla[0]['nombre']} × 499,56 € × 6 / 12 = ")


def test_unknown_association_is_an_error(capsys) -> None:
    assert main(["explain", "2026", "nobody", "--conventions", str(CONVENTIONS)]) == 1
    assert "association « nobody » inconnue" in capsys.readouterr().err


def test_build_writes_the_same_trace_beside_the_documents(tmp_path: Path, capsys) -> None:
    from engine.build import BuildOptions
    from engine.traces import traces_step

    conventions = load_conventions(CONVENTIONS).conventions
    written = traces_step(conventions, 2026, tmp_path, BuildOptions(association="acarlogi"))
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["traces/acarlogi.json"]
    assert json.loads(written[0].read_text(encoding="utf-8")) == _explain_json(capsys, "2026", "acarlogi")


def test_measure_totals_are_those_the_amendment_annexes_state() -> None:
    from engine.money import format_eur
    from engine.render.avenant_context import avenant_context

    conventions = load_conventions(CONVENTIONS).conventions
    for association in conventions.associations:
        trace = explain(conventions, 2026, association.slug)
        context = avenant_context(conventions, association, 2026)
        for annex in context["annexes"]:
            for stated in annex["periodes"]:
                period = next(p for p in trace.periods if p.year == stated["annee"])
                measure = next(m for m in period.measures if m.value == annex["mesure"])
                if association.allocation(stated["annee"]).estimated:  # issue 18: « XX », never a guess
                    assert stated["montant"] == "XX €", association.slug
                    continue
                assert format_eur(period.measures[measure]) == stated["montant"]
