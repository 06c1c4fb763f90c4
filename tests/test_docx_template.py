"""Issue 10: the avenants' faster rendering gives docxtpl's bytes.

`engine.render.docx_template` keeps docxtpl's data-independent work (the patched XML of each
template) and renders an annex's body without opening its package; `write_document` writes a
python-docx Document without zipping it three times. Here both are compared with the plain path
they replace (a new DocxTemplate per part, `document.save()`, then `write_normalized`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree
from regenerate_goldens import FIXTURE

from engine.model import Measure
from engine.render import avenant as avenant_module
from engine.render.avenant import append_body, load_templates, write_avenants
from engine.render.avenant_context import avenant_context
from engine.render.docx_template import render_body, render_document
from engine.render.jinja import MissingField, document_environment
from engine.render.reproducible import package_entries, write_document, write_normalized
from engine.validation import load_conventions


@pytest.fixture(scope="module")
def conventions():
    return load_conventions(FIXTURE).conventions


def plain(data: bytes, context: dict, env):
    """docxtpl as documented: open the template, render it whole."""
    template = DocxTemplate(io.BytesIO(data))
    template.render(context, jinja_env=env)
    return template.docx


def xml(element) -> bytes:
    return etree.tostring(element)


def test_each_annex_body_is_the_one_docxtpl_renders(conventions) -> None:
    templates, env = load_templates(), document_environment()
    seen = set()
    for association in conventions.associations:
        context = avenant_context(conventions, association, 2026)
        for annex in context["annexes"]:
            data = templates.annexes[Measure(annex["mesure"])].data
            values = {**context, "annexe": annex}
            assert xml(render_body(data, values, env)) == xml(plain(data, values, env).element.body)
            seen.add(annex["mesure"])
    assert seen == {m.value for m in Measure}


def test_the_avenant_part_is_the_one_docxtpl_renders(conventions) -> None:
    templates, env = load_templates(), document_environment()
    for association in conventions.associations[:3]:
        context = avenant_context(conventions, association, 2026)
        fast, slow = render_document(templates.avenant.data, context, env), plain(templates.avenant.data,
                                                                                  context, env)
        entries = package_entries(fast)
        assert entries == package_entries(slow)
        footer = next(content for name, content in entries.items() if name.startswith("word/footer"))
        assert escape(association.name).encode() in footer


def test_write_document_writes_the_bytes_of_save_then_write_normalized(conventions, tmp_path) -> None:
    templates, env = load_templates(), document_environment()
    association = conventions.associations[0]
    for typeset in (True, False):
        rendered = [avenant_module.render_avenant(conventions, association, 2026, templates, env)
                    for _ in range(2)]
        buffer = io.BytesIO()
        rendered[0].save(buffer)
        write_normalized(tmp_path / "before.docx", buffer.getvalue(), 2026, typeset=typeset)
        write_document(tmp_path / "after.docx", rendered[1], 2026, typeset=typeset)
        assert (tmp_path / "after.docx").read_bytes() == (tmp_path / "before.docx").read_bytes()


def test_every_avenant_has_the_bytes_of_the_plain_docxtpl_path(conventions, tmp_path, monkeypatch) -> None:
    """The whole avenants, rendered the fast way and the plain way (monkeypatched back)."""
    fast = write_avenants(conventions, 2026, tmp_path / "fast")

    def plain_part(template, context, env, association, render=None):
        document = plain(template.data, context, env)
        return document if render is render_document or render is None else document.element.body

    def plain_write(path, document, year):
        buffer = io.BytesIO()
        document.save(buffer)
        write_normalized(path, buffer.getvalue(), year)

    monkeypatch.setattr(avenant_module, "render_part", plain_part)
    monkeypatch.setattr(avenant_module, "write_document", plain_write)
    slow = write_avenants(conventions, 2026, tmp_path / "slow")
    assert [p.name for p in fast] == [p.name for p in slow] and len(fast) >= 3
    for a, b in zip(fast, slow, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_field_missing_from_an_annex_footer_still_fails(tmp_path) -> None:
    """render_body does not open the package, but renders the footer's tags and drops the result."""
    document = Document()
    document.add_paragraph("Corps {{ corps }}")
    document.sections[0].footer.paragraphs[0].text = "Pied {{ pied }}"
    buffer = io.BytesIO()
    document.save(buffer)
    env = document_environment()
    body = render_body(buffer.getvalue(), {"corps": "A & B", "pied": "x"}, env)
    assert "A &amp; B" in xml(body).decode()
    with pytest.raises(MissingField) as missing:
        render_body(buffer.getvalue(), {"corps": "A"}, env)
    assert missing.value.field == "pied"
    with pytest.raises(MissingField):
        plain(buffer.getvalue(), {"corps": "A"}, env)


def test_append_body_takes_a_rendered_body(conventions) -> None:
    templates, env = load_templates(), document_environment()
    association = next(a for a in conventions.associations if a.slug == "horizon-logement")
    context = avenant_context(conventions, association, 2026)
    document = render_document(templates.avenant.data, context, env)
    before = len(document.element.body)
    annex = context["annexes"][0]
    body = render_body(templates.annexes[Measure(annex["mesure"])].data, {**context, "annexe": annex}, env)
    added = len([e for e in body if not e.tag.endswith("}sectPr")])
    append_body(document, body, "annexe")
    assert len(document.element.body) == before + added
