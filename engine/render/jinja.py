"""The Jinja environment every document template renders in: sandboxed, XML-escaping, strict.

- sandboxed: a template edited by hand cannot reach Python internals;
- autoescape: `Aide & Partage <Nord>` becomes `Aide &amp; Partage &lt;Nord&gt;` in the DOCX XML
  (docxtpl's own default does not escape: the `&` would break the paragraph);
- strict: a field missing from the data raises `MissingField` naming it, never an empty string.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import partial

from jinja2 import StrictUndefined
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing

from engine.money import format_count

COMPILED_CACHE_SIZE = 64


class MissingField(UndefinedError):
    """A template asked for a field the context does not have."""

    def __init__(self, message: str | None, field: str | None) -> None:
        super().__init__(message)
        self.field = field


class FieldUndefined(StrictUndefined):
    """StrictUndefined whose error carries the missing field's name (sandbox errors unchanged)."""

    __slots__ = ()

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError) -> None:
        if exc is UndefinedError:
            exc = partial(MissingField, field=name)
        super().__init__(hint, obj, name, exc)


class DocumentEnvironment(SandboxedEnvironment):
    """A sandboxed environment that compiles each template source once.

    docxtpl calls `from_string` with the template's XML at every render: the 27 avenants render
    the same six templates, so their compiled form is kept (bounded, least recently used first out).
    """

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self._compiled: OrderedDict[str, object] = OrderedDict()

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 (Jinja's name)
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.pop(source, None) or super().from_string(source)
        self._compiled[source] = template
        if len(self._compiled) > COMPILED_CACHE_SIZE:
            self._compiled.popitem(last=False)
        return template


def document_environment() -> DocumentEnvironment:
    """The environment for DOCX templates: sandboxed, autoescaping, StrictUndefined, French filters."""
    env = DocumentEnvironment(autoescape=True, undefined=FieldUndefined)
    env.filters.update(FILTERS)
    return env


def accord(count: int, singular: str, plural: str, zero: str | None = None) -> str:
    """`35|accord('point mensuel', 'points mensuels')` → `35 points mensuels` (0 and 1: singular).

    With `zero` (« aucune porte close »), a count of 0 is written in words, never « 0 porte close ».
    """
    if isinstance(count, str):  # a model's placeholder (« XX points mensuels », 004 annexe 2)
        return f"{count} {plural}"
    if count == 0 and zero is not None:
        return zero
    return f"{format_count(count)} {singular if count < 2 else plural}"


def enumeration(items: Sequence, conjunction: str) -> str:
    """`['2', '3', '4']|enumeration('et')` → `2, 3 et 4`."""
    texts = [str(item) for item in items]
    if len(texts) < 2:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} {conjunction} {texts[-1]}"


FILTERS = {"accord": accord, "enumeration": enumeration}
"""The filters the templates use; a bare environment needs them too to render the same templates."""
