"""docxtpl rendering without the work that does not depend on the data.

At every render docxtpl opens the template with python-docx (every part of the package parsed),
then rewrites the body's XML with some twenty regular expressions (`patch_xml`) before Jinja
compiles it. The 27 avenants of a year render the same six templates, so:
- the patched XML of each template part is kept (`patch_xml` depends on its text only), and
  `DocumentEnvironment` keeps the compiled template;
- an annex, of which only the body is used (it is appended to the avenant), is rendered without
  opening its package: its body's XML, and the other texts with a tag, are read once.
The result is the one docxtpl gives: tests/test_docx_template.py compares them byte for byte.
"""

from __future__ import annotations

import copy
import functools
import io
from collections import OrderedDict
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docxtpl import DocxTemplate
from lxml import etree

PATCHED_CACHE_SIZE = 64
_PATCHED: OrderedDict[str, str] = OrderedDict()
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl renders (`DocxTemplate.render_properties`)."""
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Template(DocxTemplate):
    """docxtpl's template, whose `patch_xml` is computed once per text (bounded, oldest out) and
    whose package is parsed once per template: each render works on a copy of it."""

    docx: DocxDocument | None  # docxtpl's attributes (it ships no types)
    is_rendered: bool

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.data = data

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            self.docx = copy.deepcopy(_opened(self.data))
            self.is_rendered = False

    def opened(self) -> DocxDocument:
        """The document docxtpl works on, opened first when it is not yet."""
        document = self.docx
        if document is None:
            document = self.docx = copy.deepcopy(_opened(self.data))
            self.is_rendered = False
        return document

    def patch_xml(self, src_xml: str) -> str:
        patched = _PATCHED.pop(src_xml, None)
        if patched is None:
            patched = super().patch_xml(src_xml)
        _PATCHED[src_xml] = patched
        if len(_PATCHED) > PATCHED_CACHE_SIZE:
            _PATCHED.popitem(last=False)
        return patched


@functools.lru_cache(maxsize=16)
def _opened(data: bytes) -> DocxDocument:
    """Template `data` opened by python-docx (never handed out: `Template` renders a copy)."""
    return Document(io.BytesIO(data))


def render_document(data: bytes, context: dict, env):
    """The python-docx Document of template `data` rendered with `context` in `env` (docxtpl)."""
    template = Template(data)
    template.render(context, jinja_env=env)
    return template.docx


def render_body(data: bytes, context: dict, env) -> etree._Element:
    """Only the rendered `<w:body>` of template `data`: the same element `render_document` would
    give as `document.element.body`, without opening the package. The other parts' tagged texts
    (a footer naming the association…) are rendered too, in docxtpl's order, and dropped: a field
    they miss fails as it would."""
    source = _sources(data)
    template = Template(data)
    template.pic_map, template.current_rendering_part, template.docx_ids_index = {}, None, 1000
    tree = template.fix_tables(template.render_xml_part(template.patch_xml(source.body), None, context, env))
    template.fix_docpr_ids(tree)
    for xml in source.parts:
        template.render_xml_part(template.patch_xml(xml), None, context, env)
    for text in source.properties:
        env.from_string(text).render(context)
    return tree


@dataclass(frozen=True)
class _Sources:
    body: str
    parts: tuple[str, ...]
    """Headers, footers then footnotes with a tag, as docxtpl reads them."""
    properties: tuple[str, ...]
    """Core properties with a tag."""


@functools.lru_cache(maxsize=16)
def _sources(data: bytes) -> _Sources:
    """The texts docxtpl renders in template `data` (those without a tag render as themselves)."""
    template = Template(data)
    template.init_docx()
    document = template.opened()
    parts = [template.get_part_xml(part) for uri in (Template.HEADER_URI, Template.FOOTER_URI)
             for _, part in template.get_headers_footers(uri)]
    parts += [part.blob.decode("utf-8") for section in document.sections
              for part in section.part.package.parts if part.content_type == _FOOTNOTES]
    properties = [getattr(document.core_properties, name) for name in _PROPERTIES]
    return _Sources(template.get_xml(), tuple(text for text in parts if "{" in text),
                    tuple(text for text in properties if "{" in text))
