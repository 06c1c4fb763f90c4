"""The annexes carry the deliberation's clauses verbatim, and the templates match their YAML.

Every sentence of each measure annex of 004 (after the corrections listed in
docs/ocr-corrections.md) must appear in the annex the engine renders. The sentences are read
from ../shared/seeds when it is there, else from the copy in tests/golden/avenants/.
"""

from __future__ import annotations

import importlib.util

import pytest
from regenerate_goldens import (
    FIXTURE,
    GOLDEN_DIR,
    SEED,
    SEED_SECTIONS,
    _plain,
    docx_text,
    normalized,
    ocr_corrections,
    seed_sentences,
)

from engine import PROJECT_ROOT
from engine.model import Measure
from engine.render.avenant import load_templates, render_part
from engine.render.avenant_context import avenant_context
from engine.render.jinja import document_environment
from engine.render.reproducible import normalize_zip
from engine.validation import load_conventions

# The fixture association whose avenant carries each measure's annex.
CARRIER = {"ASLL": "horizon-logement", "AML": "horizon-logement", "DSF": "horizon-logement",
           "FAL": "horizon-logement", "GLA": "immobiliere-sociale-62"}


def checked_in(measure: str) -> list[str]:
    return (GOLDEN_DIR / f"seed_{measure.lower()}.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def sentences() -> dict[str, list[str]]:
    if SEED.is_file():
        return seed_sentences(SEED.read_text(encoding="utf-8"))
    return {measure: checked_in(measure) for measure in SEED_SECTIONS}


@pytest.fixture(scope="module")
def annex_texts() -> dict[str, str]:
    """Each measure annex rendered alone for its fixture association, as one normalised line."""
    conventions = load_conventions(FIXTURE).conventions
    templates, env = load_templates(), document_environment()
    texts = {}
    for measure, slug in CARRIER.items():
        association = conventions.association(slug)
        context = avenant_context(conventions, association, 2026)
        annex = next(a for a in context["annexes"] if a["mesure"] == measure)
        part = render_part(templates.annexes[Measure(measure)], {**context, "annexe": annex}, env,
                           association)
        texts[measure] = normalized(docx_text(part).replace("| ", " "))
    return texts


@pytest.mark.parametrize("measure", list(SEED_SECTIONS))
def test_every_sentence_of_the_seed_annex_is_rendered(measure, sentences, annex_texts) -> None:
    assert len(sentences[measure]) > 30
    missing = [s for s in sentences[measure] if s not in annex_texts[measure]]
    assert missing == []


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds absent")
def test_checked_in_sentences_match_the_seed(sentences) -> None:
    for measure in SEED_SECTIONS:
        assert checked_in(measure) == sentences[measure], "`make goldens` pour recopier les phrases"


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds absent")
def test_each_listed_correction_matches_the_seed_text() -> None:
    seed = SEED.read_text(encoding="utf-8")
    corrections = ocr_corrections()
    assert len(corrections) >= 8
    for measure, wrong, _right in corrections:
        start = seed.index(SEED_SECTIONS[measure])
        ends = [seed.find(t, start + 1) for t in SEED_SECTIONS.values()]
        section = _plain(seed[start:min([e for e in ends if e > start] or [len(seed)])])
        assert wrong in section, f"{measure} : « {wrong} » introuvable dans la délibération"


def test_committed_templates_are_what_make_templates_builds() -> None:
    spec = importlib.util.spec_from_file_location("make_templates",
                                                  PROJECT_ROOT / "templates" / "make_templates.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    stamp = f"{builder.TEMPLATE_YEAR}-01-01T00:00:00Z"
    avenant = builder.load_yaml(PROJECT_ROOT / "templates" / "avenant.yaml").data
    footer = (avenant["pied_de_page"], avenant["page"])
    expected = {"avenant.docx": avenant["blocs"]}
    for measure in builder.MEASURES:
        yaml = builder.load_yaml(PROJECT_ROOT / "templates" / "annexes" / f"{measure}.yaml").data
        expected[f"annexe_{measure}.docx"] = yaml["blocs"]
    for name, blocks in expected.items():
        built = normalize_zip(builder.build_bytes(blocks, footer), stamp)
        assert (PROJECT_ROOT / "templates" / name).read_bytes() == built, \
            f"{name} ne correspond plus à son YAML : python templates/make_templates.py"
