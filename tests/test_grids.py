"""`fsl grilles` and reading filled grids back: the model, the round trip, located errors, no canary."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.errors import InputErrors
from engine.finance import build_table
from engine.grid import column_text, header_key, header_names, sheet_named, sheets_for
from engine.grilles import grids_step
from engine.load.activity import load_activity
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS
from tests.test_solde_example import load_generator, run

CANARY = "Zéphyrine Quastana-Boulbès"
LOCATED = re.compile(r"^.+\.xlsx:[^!:]+![A-Z]+\d+: [a-z_]+: .+$")


@pytest.fixture(scope="module")
def conventions():
    return load_conventions(CONVENTIONS).conventions


@pytest.fixture(scope="module")
def expected(conventions):
    return {b.association.slug: sheets_for(b.amounts) for b in build_table(conventions, 2026).blocks}


@pytest.fixture(scope="module")
def blank(conventions, tmp_path_factory) -> Path:
    stage = tmp_path_factory.mktemp("grilles")
    grids_step(conventions, 2026, stage)
    return stage / "grilles"


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return load_generator().generate(tmp_path_factory.mktemp("plan"))


def _rows(plan, slug: str, limit: int | None = None):
    measures = [r for r in plan.measures if r[1] == slug and not r[13].startswith("2025")][:limit]
    occupancy = [r for r in plan.occupancy if r[0] == slug][:limit]
    return measures, occupancy


def _filled(blank: Path, folder: Path, plan, slugs, limit: int | None = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        path = shutil.copy(blank / f"grille_activite_2026_{slug}.xlsx", folder)
        load_generator().fill_grid(Path(path), *_rows(plan, slug, limit))
    return folder


def test_one_grid_per_association_with_the_sheets_it_runs(blank, expected):
    books = sorted(blank.glob("*.xlsx"))
    assert len(books) == 27
    book = load_workbook(blank / "grille_activite_2026_apsa-du-pas-de-calais.xlsx")
    assert book.sheetnames == ["Instructions", "Synthèse", "ASLL", "AML", "DSF", "FAL", "FAL occupation"]
    assert load_workbook(blank / "grille_activite_2026_immobiliere-sociale-62.xlsx").sheetnames == [
        "Instructions", "Synthèse", "GLA"]
    sheet = book["DSF"]
    header = [c.value for c in sheet[2]]
    assert header == ["Identifiant de la mesure", "Territoire", "Date de l'audience", "Résultat du DSF",
                      "Date de réalisation", "DSF pour un ménage suivi en ASLL par l'association"]
    ranges = [r for dv in sheet.data_validations.dataValidation for r in dv.sqref.ranges]
    validated = {str(r).split(":")[0][:-1] for r in ranges}
    assert validated == {c.column_letter for c in sheet[2]}  # every input column
    assert sheet.freeze_panes == "A3" and sheet.protection.sheet and sheet["A2"].protection.locked
    assert sheet.column_dimensions["A"].protection.locked is False
    assert sheet.page_setup.orientation == "landscape"
    assert book["Instructions"]["B3"].value == "apsa-du-pas-de-calais"


def test_each_sheet_shows_only_its_columns_in_french_with_an_input_message(blank):
    book = load_workbook(blank / "grille_activite_2026_apsa-du-pas-de-calais.xlsx")
    for sheet in book.worksheets[2:]:
        spec = sheet_named(sheet.title)
        labels = [c.value for c in sheet[2]]
        assert labels == [column_text(spec, c).label for c in spec.columns]
        assert not {"association", "dispositif", "mesure_id", "date_audience"} & set(labels)
        banner = sheet["A1"].value  # the association and the measure: filled in, never typed
        assert "A.P.S.A. du Pas-de-Calais" in banner and spec.name in banner
        for dv in sheet.data_validations.dataValidation:
            assert dv.showInputMessage and dv.prompt and dv.promptTitle, (sheet.title, dv.sqref)
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32, dv.prompt
            assert "{" not in dv.prompt  # every field filled
    asll = [c.value for c in book["ASLL"][2]]
    assert "Acte ASLL payé en points" in asll and "Date de l'audience" not in asll
    assert [c.value for c in book["FAL occupation"][2]][-1] == "FAL accompagnement seul"
    fal = next(dv for dv in book["FAL occupation"].data_validations.dataValidation
               if str(dv.sqref).startswith("D"))
    assert "1\xa0562,80\xa0€" in fal.prompt and "2\xa0062,80\xa0€" in fal.prompt


def test_territories_are_listed_by_name_and_hearings_allowed_into_next_year(blank):
    sheet = load_workbook(blank / "grille_activite_2026_acarlogi.xlsx")["DSF"]
    rules = {str(dv.sqref).split(":")[0][0]: dv for dv in sheet.data_validations.dataValidation}
    assert rules["B"].formula1 == '"CommunAupôle Lens-Liévin,Hénin-Carvin"'
    assert (rules["C"].formula1, rules["C"].formula2) == ("DATE(2000,1,1)", "DATE(2027,12,31)")
    assert rules["E"].formula2 == "DATE(2026,12,31)"  # the DSF itself is done in the year


def test_the_return_address_comes_from_departement_yaml(conventions, blank):
    sheet = load_workbook(blank / "grille_activite_2026_acarlogi.xlsx")["Instructions"]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert conventions.departement.address and all(
        line in text for line in conventions.departement.address)


def test_the_summary_is_locked_and_shows_entered_vs_allocated(blank):
    book = load_workbook(blank / "grille_activite_2026_acarlogi.xlsx")
    summary = book["Synthèse"]
    assert summary.protection.sheet and summary.protection.password is None
    rows = {r[0]: r for r in summary.iter_rows(min_row=5, values_only=True)}
    assert rows["ASLL"][1:3] == ("points × mois", 1200) and rows["ASLL"][3].startswith("=SUMPRODUCT(")
    assert rows["DSF réalisés"][2] == 250 and rows["DSF réalisés"][5] == 40595
    values = load_workbook(blank / "grille_activite_2026_acarlogi.xlsx", data_only=True)["Synthèse"]
    cached = {r[0]: r for r in values.iter_rows(min_row=5, values_only=True)}
    assert cached["ASLL"][3] == 0 and cached["ASLL"][4] == 0  # the formulas carry their value


def test_grids_are_byte_reproducible(conventions, blank, tmp_path):
    grids_step(conventions, 2026, tmp_path)
    for path in blank.glob("*.xlsx"):
        assert (tmp_path / "grilles" / path.name).read_bytes() == path.read_bytes()


def test_round_trip_a_filled_grid_reads_back_as_the_register(blank, plan, expected, tmp_path):
    slug = "apsa-du-pas-de-calais"
    grids = _filled(blank, tmp_path / "grilles", plan, [slug], limit=None)
    measures, occupancy = _rows(plan, slug)
    gen = load_generator()
    csv_dir = tmp_path / "csv"
    gen._write(csv_dir, gen.Plan(measures, occupancy, [], {}))
    from_grid = load_activity(grids, expected, 2026)
    from_csv = load_activity(csv_dir, expected)
    assert len(from_grid.measures) == len(measures) > 100
    def records(register):  # the line is where the row stands: a sheet row, a CSV line
        return [dataclasses.replace(m.record, line=0) for m in register.measures]
    assert records(from_grid) == records(from_csv)
    assert [(m.actual_end, m.result, m.realised_on) for m in from_grid.measures] == [
        (m.actual_end, m.result, m.realised_on) for m in from_csv.measures]
    def housing_months(register):
        return [(o.association, o.measure, o.housing, o.year, o.month, o.days) for o in register.occupancy]
    assert housing_months(from_grid) == housing_months(from_csv)


def test_columns_an_association_adds_are_never_read(blank, plan, tmp_path):
    grids = _filled(blank, tmp_path / "in", plan, ["acarlogi"], limit=6)
    book = load_workbook(grids / "grille_activite_2026_acarlogi.xlsx")
    for sheet in book.worksheets[1:]:
        sheet.cell(row=1, column=20, value="nom et adresse du ménage")
        for row in range(2, 5):
            sheet.cell(row=row, column=20, value=f"{CANARY}, 3 rue des Lilas, Arras")
    book.save(grids / "grille_activite_2026_acarlogi.xlsx")
    out = tmp_path / "out"
    code, stdout, stderr = run("solde", "2026", "--activite", str(grids), "--out", str(out))
    assert code == 0, stderr
    assert CANARY not in stdout + stderr
    for path in out.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in _all_bytes(path), path


def _all_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(name) for name in archive.namelist())
    return data


def _plant(folder: Path) -> int:
    """40 errors, one per kind and place, across the 27 grids; returns how many were planted."""
    books = sorted(folder.glob("*.xlsx"))
    planted = 0
    for index, path in enumerate(books):
        book = load_workbook(path)
        sheets = [s for s in book.worksheets[2:] if s.max_row >= 5]
        for sheet in sheets:
            if planted >= 40:
                break
            planted += _plant_one(sheet, (index + planted) % 9)
        book.save(path)
    return planted


def _plant_one(sheet, kind: int) -> int:
    names = header_names(sheet_named(sheet.title))
    column = {names[header_key(c.value)]: c.column for c in sheet[2] if c.value}
    occupancy, dsf = "jours_occupes" in column, sheet.title == "DSF"
    first, second = 3, 4
    if kind == 0:  # text in a number (or a date)
        sheet.cell(row=first, column=column["jours_occupes" if occupancy else "date_audience" if dsf
                                           else "duree_mois"], value="douze")
    elif kind == 1:  # a formula where a value is expected
        sheet.cell(row=first, column=column["logement_id" if occupancy else "mesure_id"], value="=A3")
    elif kind == 2:  # a wrong value in a list: the new columns, a territory, a month
        target = {"ASLL": ("acte_asll", "bilan"), "DSF": ("dsf_suivi_asll", "peut-être"),
                  "FAL occupation": ("accompagnement_seul", "peut-être"), "GLA": ("mois", "2026-13")}
        name, value = target.get(sheet.title, ("territoire", "Atlantide"))
        sheet.cell(row=first, column=column[name], value=value)
    elif kind == 3:  # a duplicate measure id (or housing-month)
        for name in ("logement_id", "mois") if occupancy else ("mesure_id",):
            value = sheet.cell(row=first, column=column[name]).value
            sheet.cell(row=second, column=column[name], value=value)
    elif kind == 4:  # a date outside the year
        name = "mois" if occupancy else "date_realisation" if dsf else "date_fin_reelle"
        sheet.cell(row=first, column=column[name], value="2025-12" if occupancy else _day(2025))
    elif kind == 5:  # an identifier that is not one
        sheet.cell(row=first, column=column["logement_id" if occupancy else "mesure_id"], value="n° 12 !")
    elif kind == 6:  # a renamed column
        name = "logement_id" if occupancy else "mesure_id"
        sheet.cell(row=2, column=column[name], value="Identifiant (FSL)")
    elif kind == 7:  # a renamed sheet
        sheet.title = f"{sheet.title} bis"
    else:  # a number out of range (a result unknown on a DSF)
        name = "jours_occupes" if occupancy else "resultat" if dsf else "duree_mois"
        sheet.cell(row=first, column=column[name], value="fait" if dsf else 45 if occupancy else 99)
    return 1


def _day(year: int):
    from datetime import date
    return date(year, 6, 15)


def test_forty_planted_errors_give_forty_located_errors_and_nothing_written(blank, plan, expected, tmp_path):
    folder = _filled(blank, tmp_path / "grilles", plan, sorted(expected), limit=3)
    assert _plant(folder) == 40
    out = tmp_path / "out"
    code, stdout, stderr = run("solde", "2026", "--activite", str(folder), "--out", str(out))
    lines = [line for line in stderr.splitlines() if not line.startswith("attention")]
    errors = [line for line in lines if ".xlsx:" in line]
    assert code == 1 and stdout == "" and not out.exists()
    assert "Traceback" not in stderr
    assert len(errors) == 40, "\n".join(errors)
    assert all(LOCATED.match(line) for line in errors), [e for e in errors if not LOCATED.match(e)]
    assert lines[-1] == "40 erreur(s) : rien n'a été écrit."


def test_a_grid_that_is_not_a_workbook_is_an_error_not_a_crash(blank, expected, tmp_path):
    (tmp_path / "grille_activite_2026_acarlogi.xlsx").write_bytes(b"PK\x03\x04 pas un classeur")
    with pytest.raises(InputErrors, match="grille illisible"):
        load_activity(tmp_path, expected, 2026)


def test_a_grid_too_big_once_unzipped_is_refused_before_parsing(blank, expected, tmp_path, monkeypatch):
    from engine.load import grid
    shutil.copy(blank / "grille_activite_2026_acarlogi.xlsx", tmp_path)
    monkeypatch.setattr(grid, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(InputErrors, match="trop grosse une fois décompressée"):
        load_activity(tmp_path, expected, 2026)


def test_a_fifo_or_a_link_to_a_device_is_refused(expected, tmp_path):
    import os
    os.mkfifo(tmp_path / "grille_activite_2026_acarlogi.xlsx")
    (tmp_path / "grille_activite_2026_demain.xlsx").symlink_to("/dev/zero")
    with pytest.raises(InputErrors) as caught:
        load_activity(tmp_path, expected, 2026)
    assert len(caught.value.errors) == 2 and all("grille illisible" in str(e) for e in caught.value.errors)


def test_measures_still_running_are_carried_over_from_the_previous_register(conventions, tmp_path):
    previous = tmp_path / "activite-2025"
    previous.mkdir()
    (previous / "mesures.csv").write_text("\n".join([
        "mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
        "renouvellement_de;date_audience;motif;date_fin_reelle;resultat;date_realisation",
        "M-RUN;acarlogi;ASLL;ASL;lens-lievin;2025-09-10;2025-10-01;12;;;;;;",
        "M-DONE;acarlogi;ASLL;GSL;;2025-03-10;2025-04-01;6;;;;;;",
        "M-STOP;acarlogi;ASLL;GSL;;2025-09-10;2025-10-01;12;;;;2025-11-15;;"]) + "\n", encoding="utf-8")
    (previous / "occupation.csv").write_text("association;dispositif;logement_id;mois;jours_occupes\n", encoding="utf-8")
    grids_step(conventions, 2026, tmp_path / "out", previous)
    book = load_workbook(tmp_path / "out" / "grilles" / "grille_activite_2026_acarlogi.xlsx")
    rows = [row for row in book["ASLL"].iter_rows(min_row=3, values_only=True) if any(row)]
    assert [(r[0], r[1], r[2], r[4].date().isoformat(), r[5]) for r in rows] == [
        ("M-RUN", "ASL", "CommunAupôle Lens-Liévin", "2025-10-01", 12)]
    # the summary's value is the carried measure's: ASL (2 points) from January to September 2026
    summary = load_workbook(tmp_path / "out" / "grilles" / "grille_activite_2026_acarlogi.xlsx",
                            data_only=True)["Synthèse"]
    assert next(r for r in summary.iter_rows(min_row=5, values_only=True) if r[0] == "ASLL")[3] == 18


@pytest.mark.libreoffice
def test_libreoffice_opens_the_27_grids(blank, tmp_path):
    from engine.render.pdf import convert_to_pdf, libreoffice_path
    if libreoffice_path() is None:
        pytest.skip("LibreOffice absent")
    pdfs = convert_to_pdf(sorted(blank.glob("*.xlsx")), tmp_path)
    assert len(pdfs) == 27 and all(p.stat().st_size > 1000 for p in pdfs)


def test_an_association_in_both_the_csv_and_a_grid_is_an_error(blank, expected, tmp_path):
    shutil.copy(blank / "grille_activite_2026_acarlogi.xlsx", tmp_path)
    (tmp_path / "mesures.csv").write_text(
        "mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
        "renouvellement_de;date_audience;motif\nM-1;acarlogi;ASLL;GSL;;2026-01-10;2026-02-01;6;;;\n",
        encoding="utf-8")
    (tmp_path / "occupation.csv").write_text("association;dispositif;logement_id;mois;jours_occupes\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_activity(tmp_path, expected, 2026)
    assert [e.line for e in caught.value.errors] == ["Instructions!B3"]
    assert "viendrait deux fois" in str(caught.value)


def test_a_grid_whose_association_or_year_cell_was_changed_is_refused(blank, expected, tmp_path):
    for slug, cell, value in (("acarlogi", "B3", "inconnue"), ("demain", "B4", 2025)):
        path = shutil.copy(blank / f"grille_activite_2026_{slug}.xlsx", tmp_path)
        book = load_workbook(path)
        book["Instructions"][cell] = value
        book.save(path)
    with pytest.raises(InputErrors) as caught:
        load_activity(tmp_path, expected, 2026)
    assert sorted((e.line, e.field) for e in caught.value.errors) == [
        ("Instructions!B3", "association"), ("Instructions!B4", "annee")]
