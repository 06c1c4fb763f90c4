"""The avenants: golden text, French that agrees with the data, signatories, escaping, missing
fields, quoted rates, reproducible bytes, file names, the command and the build step."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml.etree import XMLSyntaxError
from regenerate_goldens import FIXTURE, GOLDEN_DIR, GOLDEN_SLUGS, docx_text, normalized

import engine.commands.build as build_command
from engine.cli import main
from engine.commands.avenants import avenants_step
from engine.errors import FslError, InputError, TemplateError
from engine.model import frozen_mapping
from engine.render.avenant import avenant_filename, load_templates, write_avenants
from engine.render.avenant_context import avenant_context
from engine.render.jinja import FILTERS
from engine.validation import load_conventions

YEAR = 2026


@pytest.fixture(scope="module")
def conventions():
    return load_conventions(FIXTURE).conventions


@pytest.fixture(scope="module")
def rendered(conventions, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("avenants")
    paths = write_avenants(conventions, YEAR, out)
    return {p.stem.removeprefix(f"avenant_{YEAR}_"): p for p in paths}


def text(path: Path) -> str:
    return normalized(docx_text(path))


@pytest.mark.parametrize("slug", GOLDEN_SLUGS)
def test_text_equals_the_checked_in_golden(rendered, slug: str) -> None:
    expected = (GOLDEN_DIR / f"{slug}.txt").read_text(encoding="utf-8")
    assert docx_text(rendered[slug]) == expected, "texte changé : vérifier puis `make goldens`"


def test_is62_gla_annex_states_both_periods_and_800_housings(rendered) -> None:
    t = text(rendered["immobiliere-sociale-62"])
    assert "Annexe N°6 - Immobilière Sociale 62 (IS62)" in t
    assert ("Concernant la période du 01/07/2025 au 31/12/2025 la subvention maximum est de "
            "199 824,00 € soit 800 logements occupés.") in t
    assert ("Concernant la période du 01/01/2026 au 31/12/2026 la subvention maximum est de "
            "399 648,00 € soit 800 logements occupés.") in t
    assert "| Territoires d'intervention | Tous les territoires du Département" in t
    assert "L'annexe 6 est modifiée comme indiqué en annexe." in t


def test_one_annex_takes_the_singular(rendered) -> None:
    t = text(rendered["entraide-artois"])
    assert "modifier l'article 3 et l'annexe 2 de la convention initiale." in t
    assert "le coût de l'opération est détaillé en annexe 2." in t
    assert "L'annexe 2 est modifiée comme indiqué en annexe." in t


def test_two_annexes_take_the_plural(rendered) -> None:
    t = text(rendered["aide-et-partage-nord"])
    assert "modifier l'article 3 et les annexes 2 et 3 de la convention initiale." in t
    assert "le coût des opérations est détaillé en annexes 2 et 3." in t
    assert "Les annexes 2 et 3 sont modifiées comme indiqué en annexe." in t
    assert "Il sera actualisé par voie d'avenant pour les années 2026 et 2027. »" in t


def test_four_annexes_are_listed_with_commas(rendered) -> None:
    t = text(rendered["horizon-logement"])
    assert "les annexes 2, 3, 4 et 5 de la convention initiale" in t
    assert "Les annexes 2, 3, 4 et 5 sont modifiées" in t
    assert "« Pour la période du 1er juillet 2025 au 31 décembre 2027 le coût des opérations" in t


def test_annexes_follow_in_number_order_each_from_a_new_page(rendered) -> None:
    document = Document(str(rendered["horizon-logement"]))
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert titles == ["Accompagnement Social Lié au Logement - ASLL", "Aide à la Médiation Locative - AML",
                      "DIAGNOSTIC SOCIAL ET FINANCIER - DSF", "FORFAIT ANNUEL LOGEMENT - FAL"]
    assert document.styles["Heading 1"].paragraph_format.page_break_before
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Avenant financier 2026 – Association Horizon Logement\tPage ")
    assert footer._p.xpath(".//w:fldSimple/@w:instr") == [" PAGE ", " NUMPAGES "]


def test_cost_cell_gives_each_period_its_counts_and_territories(rendered) -> None:
    t = text(rendered["horizon-logement"])
    # ASLL 2025 half-year: 135 points × 85,95 × 6 ; territory lines priced on their own
    assert ("Concernant la période du 01/07/2025 au 31/12/2025 : la subvention maximum est de "
            "69 619,50 € soit 135 points mensuels, répartis comme suit : - Arrageois : 100 points "
            "mensuels (51 570,00 €) - Ternois : 35 points mensuels (18 049,50 €)") in t
    # AML 2025: one point in Ternois stays singular
    assert "- Ternois : 1 point mensuel (515,70 €)" in t
    # FAL 2026: 20 × 2 062,80 + 1 × 1 562,80
    assert ("soit 20 FAL et 1 accompagnement seul, répartis comme suit : - Arrageois : 18 FAL "
            "(37 130,40 €) - Ternois : 2 FAL et 1 accompagnement seul (5 688,40 €)") in t
    assert "la subvention maximum est de 42 818,80 €" in t
    # DSF 2026: diagnostics then portes closes, each by territory
    assert ("Les diagnostics : concernant la période du 01/01/2026 au 31/12/2026 : la subvention "
            "maximum est de 25 980,80 € soit 160 diagnostics, répartis comme suit :") in t
    assert ("Les portes closes : concernant la période du 01/01/2026 au 31/12/2026 : la subvention "
            "maximum est de 2 777,52 € soit 71 portes closes, réparties comme suit : - Arrageois : "
            "70 portes closes (2 738,40 €) - CommunAupôle Lens-Liévin : 1 porte close (39,12 €)") in t
    assert t.count("Pour l'année 2027 : la subvention annuelle fera l'objet d'un avenant") == 4


def test_amounts_use_no_break_spaces(rendered) -> None:
    raw = docx_text(rendered["immobiliere-sociale-62"])
    assert "199\u00a0824,00\u00a0€" in raw


def test_no_following_year_no_announcement(conventions, tmp_path: Path) -> None:
    dep = conventions.departement
    two_periods = replace(conventions, departement=replace(dep, periods=dep.periods[:2]))
    [path] = write_avenants(two_periods, YEAR, tmp_path, association="entraide-artois")
    t = text(path)
    assert "Pour l'année 2027" not in t
    assert "Il sera actualisé par voie d'avenant pour l'année 2026. »" in t


def test_unknown_signatory_gives_a_blank_block_to_fill(rendered) -> None:
    t = text(rendered["horizon-logement"])
    assert ("Pour Association Horizon Logement, Qualité du signataire : ____________________ "
            "Prénom Nom : ____________________") in t


def test_signatories_come_from_the_data(rendered) -> None:
    t = text(rendered["entraide-artois"])
    assert ("| Pour le Département du Pas-de-Calais Et par délégation La Directrice des politiques "
            "d'inclusion durable Sabine DESPIERRE | Pour Entraide Artois, La Présidente, Marie EXEMPLE") in t
    assert "Arras, le En 2 exemplaires originaux" in t


def test_hostile_name_renders_as_such(rendered) -> None:
    document = Document(str(rendered["aide-et-partage-nord"]))
    t = text(rendered["aide-et-partage-nord"])
    assert "Pour Aide & Partage <Nord>," in t
    assert "Annexe N°2 - Aide & Partage <Nord>" in t and "Annexe N°3 - Aide & Partage <Nord>" in t
    assert document.sections[0].footer.paragraphs[0].text.startswith(
        "Avenant financier 2026 – Aide & Partage <Nord>\t")
    assert document.core_properties.title == "Avenant financier 2026 – Aide & Partage <Nord>"


def test_docxtpl_without_escaping_would_break_on_the_hostile_name(conventions) -> None:
    association = conventions.association("aide-et-partage-nord")
    env = Environment()
    env.filters.update(FILTERS)
    template = DocxTemplate(io.BytesIO(load_templates().avenant.data))
    with pytest.raises(XMLSyntaxError):
        template.render(avenant_context(conventions, association, YEAR), jinja_env=env)


def test_missing_field_names_the_field_and_the_association(conventions, tmp_path, monkeypatch) -> None:
    def without_city(*args):
        context = avenant_context(*args)
        del context["departement"]["ville"]
        return context

    monkeypatch.setattr("engine.render.avenant.avenant_context", without_city)
    with pytest.raises(TemplateError) as caught:
        write_avenants(conventions, YEAR, tmp_path, association="aide-et-partage-nord")
    error = caught.value
    assert (error.template, error.field) == ("avenant.docx", "ville")
    assert "« Aide & Partage <Nord> » (aide-et-partage-nord)" in str(error)
    assert not list(tmp_path.iterdir())


def test_a_rate_the_annex_text_no_longer_matches_is_refused(conventions, tmp_path) -> None:
    dep = conventions.departement
    rate = dep.rates["asll_points"]
    raised = replace(rate, values=(replace(rate.values[0], amount=Decimal("90.00")),))
    changed = replace(conventions, departement=replace(
        dep, rates=frozen_mapping({**dep.rates, "asll_points": raised})))
    with pytest.raises(TemplateError) as caught:
        write_avenants(changed, YEAR, tmp_path, association="entraide-artois")
    assert (caught.value.template, caught.value.field) == ("annexe_asll.docx", "taux.asll_points")
    assert "85,95" in str(caught.value) and "90,00" in str(caught.value)


def test_an_earlier_period_without_allocation_is_an_input_error(conventions, tmp_path) -> None:
    association = conventions.association("entraide-artois")
    only_2026 = replace(association, allocations=frozen_mapping({YEAR: association.allocation(YEAR)}))
    changed = replace(conventions, associations=(only_2026,))
    with pytest.raises(InputError) as caught:
        write_avenants(changed, YEAR, tmp_path)
    assert caught.value.field == "allocations"
    assert caught.value.path.endswith("entraide-artois.yaml")
    assert "2025" in str(caught.value)


def test_rendering_twice_gives_identical_bytes(conventions, rendered, tmp_path) -> None:
    again = write_avenants(conventions, YEAR, tmp_path)
    assert [p.name for p in again] == sorted(p.name for p in rendered.values())
    for path in again:
        assert path.read_bytes() == (rendered[path.stem.removeprefix(f"avenant_{YEAR}_")]).read_bytes()


def test_file_name_comes_from_a_safe_slug() -> None:
    assert avenant_filename(2026, "acarlogi") == "avenant_2026_acarlogi.docx"
    for bad in ("../etc", "a/b", "Acarlogi", "", "a--b"):
        with pytest.raises(FslError):
            avenant_filename(2026, bad)


def run_avenants(out: Path, *extra: str) -> int:
    return main(["avenants", str(YEAR), "--conventions", str(FIXTURE), "--out", str(out), *extra])


def test_command_writes_one_docx_per_association(tmp_path: Path, capsys) -> None:
    assert run_avenants(tmp_path) == 0
    names = sorted(p.name for p in (tmp_path / "avenants").iterdir())
    assert names == [f"avenant_2026_{slug}.docx" for slug in sorted(GOLDEN_SLUGS)]
    assert "4 avenant(s) DOCX et 0 PDF écrits" in capsys.readouterr().out


def test_one_association_replaces_only_its_file(tmp_path: Path) -> None:
    assert run_avenants(tmp_path) == 0
    folder = tmp_path / "avenants"
    (folder / "avenant_2026_entraide-artois.docx").unlink()
    others = {p.name: p.stat().st_ino for p in folder.iterdir()}
    assert run_avenants(tmp_path, "--association", "entraide-artois") == 0
    assert len(list(folder.iterdir())) == 4
    assert (folder / "avenant_2026_entraide-artois.docx").is_file()
    assert {p.name: p.stat().st_ino for p in folder.iterdir() if p.name in others} == others


def test_an_engine_file_changed_by_hand_is_never_overwritten(tmp_path: Path, capsys) -> None:
    assert run_avenants(tmp_path) == 0
    changed = tmp_path / "avenants" / "avenant_2026_entraide-artois.docx"
    changed.write_bytes(b"relu et corrige a la main")
    assert run_avenants(tmp_path, "--association", "entraide-artois") == 3
    assert changed.read_bytes() == b"relu et corrige a la main"
    assert "ne viennent pas du moteur" in capsys.readouterr().err


def test_unknown_association_is_refused(tmp_path: Path, capsys) -> None:
    assert run_avenants(tmp_path, "--association", "inconnue") == 1
    assert "association « inconnue » inconnue" in capsys.readouterr().err
    assert not tmp_path.joinpath("avenants").exists()


def test_without_libreoffice_the_docx_are_still_written(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("engine.commands.avenants.libreoffice_path", lambda: None)
    assert run_avenants(tmp_path, "--pdf") == 0
    assert len(list((tmp_path / "avenants").glob("*.docx"))) == 4
    assert not list((tmp_path / "avenants").glob("*.pdf"))
    assert "installez-le avec « apt-get install libreoffice-writer-nogui »" in capsys.readouterr().err


def test_build_runs_the_avenants_step(tmp_path: Path, monkeypatch) -> None:
    assert avenants_step in build_command.steps()
    monkeypatch.setattr(build_command, "steps", lambda: [avenants_step])
    assert main(["build", str(YEAR), "--conventions", str(FIXTURE), "--out", str(tmp_path)]) == 0
    assert len(list((tmp_path / "avenants").glob("avenant_2026_*.docx"))) == 4
