"""One DOCX per association: the avenant (004 annexe 2) followed by each of its modified annexes.

Each part is rendered by docxtpl from its template in templates/ with the sandboxed, escaping,
strict environment of `render.jinja`; the annexes are then appended to the avenant (their
titles start a new page). All templates come from one base (templates/make_templates.py), so
the avenant's styles and list numbering serve the annexes too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from jinja2.exceptions import TemplateError as JinjaError
from lxml import etree

from engine import PROJECT_ROOT
from engine.errors import FslError, TemplateError
from engine.load.yamlfile import load_yaml
from engine.model import Association, Conventions, Measure, frozen_mapping
from engine.money import format_number
from engine.open_points import association_points, deliberation_point
from engine.pack.commission import Commission, commission_path, load_commission
from engine.render.avenant_context import avenant_associations, avenant_context, quoted_value
from engine.render.docx_template import render_body, render_document
from engine.render.draft import mark_draft
from engine.render.jinja import DocumentEnvironment, MissingField, document_environment
from engine.render.reproducible import write_document

TEMPLATES_DIR = PROJECT_ROOT / "templates"
AVENANTS_DIR = "avenants"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLE_VALUES = etree.XPath(" | ".join(f".//w:{tag}/@w:val" for tag in ("pStyle", "rStyle", "tblStyle")),
                           namespaces={"w": W[1:-1]})
REBUILD = "reconstruisez les modèles : python templates/make_templates.py"


@dataclass(frozen=True)
class Template:
    """A DOCX template and the figures its clauses quote (checked against departement.yaml)."""

    name: str
    data: bytes
    quoted: Mapping[str, Decimal]


@dataclass(frozen=True)
class Templates:
    avenant: Template
    annexes: Mapping[Measure, Template]


def load_templates(folder: Path = TEMPLATES_DIR) -> Templates:
    """`avenant.docx` and `annexe_<mesure>.docx`, with the `valeurs_citees` of each annex YAML;
    read once per version of these files (the build's avenants and the pack's models share them)."""
    names = ["avenant.docx"]
    for measure in Measure:
        key = measure.value.lower()
        names += [f"annexes/{key}.yaml", f"annexe_{key}.docx"]
    return _templates(Path(folder), tuple(_stamp(Path(folder) / name) for name in names))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=4)
def _templates(folder: Path, stamps: tuple) -> Templates:
    annexes = {}
    for measure in Measure:
        key = measure.value.lower()
        spec = load_yaml(folder / "annexes" / f"{key}.yaml").data
        quoted = {k: Decimal(str(v)) for k, v in spec.get("valeurs_citees", {}).items()}
        annexes[measure] = Template(f"annexe_{key}.docx", _read(folder, f"annexe_{key}.docx"),
                                    frozen_mapping(quoted))
    avenant = Template("avenant.docx", _read(folder, "avenant.docx"), frozen_mapping({}))
    return Templates(avenant, frozen_mapping(annexes))


def _read(folder: Path, name: str) -> bytes:
    try:
        return (folder / name).read_bytes()
    except FileNotFoundError:
        raise TemplateError(f"modèle introuvable dans {folder} ; {REBUILD}", name) from None


def avenant_filename(year: int, slug: str, suffix: str = ".docx") -> str:
    """`avenant_2026_<slug>.docx`; the slug must be plain lowercase words joined by hyphens."""
    if not SLUG.fullmatch(slug):
        raise FslError(f"slug « {slug} » impropre à un nom de fichier (attendu : mots-en-minuscules)")
    return f"avenant_{year}_{slug}{suffix}"


def write_avenants(
    conventions: Conventions,
    year: int,
    folder: Path,
    *,
    association: str | None = None,
    templates: Templates | None = None,
    on_rendered: Callable[[Association], None] | None = None,
) -> list[Path]:
    """Write `avenant_<year>_<slug>.docx` in `folder` for each association (or only `association`)."""
    templates = templates or load_templates()
    env = document_environment()
    commission = year_commission(conventions, year)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for assoc in avenant_associations(conventions, year, association):
        path = folder / avenant_filename(year, assoc.slug)
        document = render_avenant(conventions, assoc, year, templates, env, commission)
        write_document(path, document, year)
        written.append(path)
        if on_rendered is not None:
            on_rendered(assoc)
    return written


def render_avenant(
    conventions: Conventions,
    association: Association,
    year: int,
    templates: Templates,
    env: DocumentEnvironment,
    commission: Commission | None = None,
):
    """The avenant then its annexes in annex-number order, as a python-docx Document."""
    context = avenant_context(conventions, association, year, commission)
    document = render_part(templates.avenant, context, env, association, render_document)
    styles = _style_ids(document)  # read once: appending a body adds none
    for annex in context["annexes"]:
        template = templates.annexes[Measure(annex["mesure"])]
        check_quoted_values(conventions, year, template)
        body = render_part(template, {**context, "annexe": annex}, env, association, render_body)
        append_body(document, body, template.name, styles)
    points = association_points(conventions, association, year)
    if commission is None:
        points.append(deliberation_point(commission_path(Path(conventions.root), year)))
    mark_draft(document, points, conventions.root)
    _properties(document, association, year)
    return document


def year_commission(conventions: Conventions, year: int) -> Commission | None:
    """The Commission permanente of `year` (its deliberation authorises the amendments), if known."""
    if not commission_path(Path(conventions.root), year).is_file():
        return None
    return load_commission(Path(conventions.root), year)


def render_part(template: Template, context: dict, env: DocumentEnvironment, association: Association,
                render: Callable = render_document):
    """Render one template with docxtpl (`render_document`, or `render_body` for the body only);
    a missing field names the field and the association."""
    try:
        return render(template.data, context, env)
    except MissingField as exc:
        raise TemplateError(f"le modèle demande « {exc.field} », absent des données de l'association "
                            f"« {association.name} » ({association.slug})", template.name,
                            exc.field) from exc
    except JinjaError as exc:
        raise TemplateError(f"modèle illisible ({exc}) en préparant l'avenant de "
                            f"« {association.name} » ({association.slug})", template.name) from exc


def check_quoted_values(conventions: Conventions, year: int, template: Template) -> None:
    """Refuse an annex whose clauses quote a rate, cap or share departement.yaml no longer gives."""
    dep = conventions.departement
    period = dep.required_period(year)
    for key, quoted in template.quoted.items():
        actual = quoted_value(dep, key, period)
        if actual is None:
            raise TemplateError("valeur citée inconnue de departement.yaml", template.name, key)
        if actual != quoted:
            raise TemplateError(f"le texte de l'annexe cite {format_number(quoted)} mais departement.yaml "
                                f"donne {format_number(actual)} en {year} : mettez à jour le texte "
                                f"(templates/annexes/) puis {REBUILD}", template.name, key)


def append_body(document, part, name: str, styles: set[str] | None = None) -> None:
    """Append the body `part` (a `<w:body>` element) to `document`'s, before its section
    properties; the styles it uses must exist in `document` (`styles`: its style ids, if known)."""
    missing = _styles_used(part) - (_style_ids(document) if styles is None else styles)
    if missing:
        raise TemplateError(f"styles absents de avenant.docx : {', '.join(sorted(missing))} ; {REBUILD}",
                            name)
    body = document.element.body
    section = body.find(f"{W}sectPr")
    for element in list(part):
        if element.tag == f"{W}sectPr":
            continue
        if section is None:
            body.append(element)
        else:
            section.addprevious(element)


def _styles_used(body) -> set[str]:
    return set(_STYLE_VALUES(body))


def _style_ids(document) -> set[str]:
    return {value for value in document.styles.element.xpath("./w:style/@w:styleId")}


def _properties(document, association: Association, year: int) -> None:
    """Fixed dates (python-docx would stamp the clock), and a title naming the association."""
    stamp = datetime(year, 1, 1)
    props = document.core_properties
    props.created = props.modified = props.last_printed = stamp
    props.title = f"Avenant financier {year} – {association.name}"
