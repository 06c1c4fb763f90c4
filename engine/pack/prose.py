"""The French prose of the pack: Jinja2 text templates of `templates/pack/`, rendered in a sandbox.

A template writes the light markup of `engine.pack.markup`; values coming from the data are
escaped so that a name or a visa can never be read as markup, and the filters return French
numbers and dates (« 3 636 », « 4 139 361,80 € », « 26 mai 2026 », « 1er juillet 2025 »).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from engine import PROJECT_ROOT
from engine.errors import TemplateError as FslTemplateError
from engine.money import format_count, format_eur, format_number
from engine.render.jinja import enumeration

TEMPLATE_DIR = PROJECT_ROOT / "templates" / "pack"
_SPECIAL = re.compile(r"([\\*^|\[\]{}])")


class Marked(str):
    """Text that is already markup (a filter's output): not escaped again."""


def escape(value: object) -> str:
    """Plain data as literal text: markup characters get a backslash, newlines become spaces."""
    if isinstance(value, Marked):
        return value
    text = "" if value is None else str(value)
    return _SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def long_date(day: date) -> Marked:
    """`2025-07-01` → « 1er juillet 2025 » (the 1st is an ordinal in French: 004 « 1er juillet »)."""
    text = format_date(day, "d MMMM y", locale="fr_FR")
    if day.day == 1:
        text = "1^{er}" + text[1:]
    return Marked(text)


def short_date(day: date) -> str:
    """`2026-05-04` → « 04/05/2026 » (004: « en date du 04/05/2026 »)."""
    return f"{day:%d/%m/%Y}"


def ordinal(number: int) -> Marked:
    """`2` → « 2ème » with the suffix raised (004: « la 2ème commission »)."""
    return Marked(f"{number}^{{{'er' if number == 1 else 'ème'}}}")


def french_list(items) -> str:
    """`[2026, 2027]` → « 2026 et 2027 » (the amendments' `enumeration` with « et »)."""
    return enumeration(items, "et")


def upper(text: str) -> str:
    """Capitals that keep a filter's markup (« REUNION DU 26 MAI 2026 »)."""
    return Marked(text.upper()) if isinstance(text, Marked) else text.upper()


@cache
def environment(template_dir: Path = TEMPLATE_DIR) -> SandboxedEnvironment:
    """A sandboxed, strict environment: an unknown field is an error, never an empty string."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(template_dir)), undefined=StrictUndefined, autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=escape,
    )
    env.filters.update(
        nombre=format_count, montant=format_number, euros=format_eur, date_longue=long_date,
        date_courte=short_date, ordinal=ordinal, liste=french_list, majuscules=upper,
    )
    return env


def render(name: str, context: dict, template_dir: Path = TEMPLATE_DIR) -> str:
    """Render `templates/pack/<name>`; a template problem is a `TemplateError` naming the field."""
    try:
        return environment(template_dir).get_template(name).render(context)
    except TemplateSyntaxError as exc:
        raise FslTemplateError(f"modèle illisible ligne {exc.lineno} : {exc.message}", name) from None
    except TemplateError as exc:
        raise FslTemplateError(f"champ manquant ou invalide : {exc.message}", name,
                               _field(exc.message or "")) from None


def _field(message: str) -> str | None:
    found = re.search(r"'([^']+)'", message)
    return found.group(1) if found else None
