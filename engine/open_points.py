"""What remains to confirm before an act can be signed (DOMAIN §7, « Drafts and acts »).

Pure: the loaded conventions in, frozen `OpenPoint` values out (no file, no clock, no printing).
An estimated allocation, a guessed annex number, an unknown signatory or missing identity data
makes every document it feeds a draft (« PROJET »); `fsl build --final` refuses while any remains.
The web UI and the open-data export reuse `open_points` as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from engine.errors import one_line, quoted_path
from engine.model import Association, CapScope, Conventions


class PointKind(Enum):
    """Why a point is open: each kind names what a person must confirm."""

    ESTIMATE = "estimation"
    ANNEX_NUMBERS = "numeros_annexes"
    SIGNATORY = "signataire"
    IDENTITY = "identite"
    ARTICLE = "article"
    DELIBERATION = "deliberation"
    DELEGATION = "delegation"
    """No `delegation` in departement.yaml: the amendment leaves the decree to cite blank."""
    RECONSTRUCTION = "reconstruction"
    """An `inference:` note: a figure read from the scan by reasoning, not as printed."""
    TERRITORY = "territoire"
    """A line outside the convention's territories (annexe 1), written in `ecart_territoires`."""
    PUBLISHED = "annexe_imprimee"
    """A retained association total that differs from the printed annex the Commission voted."""
    STAFFING = "etp"
    """No `etp:` for a measure counted in points per post (ASLL, AML): the cap is not checked."""


PLAIN_FIRST = frozenset({PointKind.RECONSTRUCTION, PointKind.TERRITORY, PointKind.PUBLISHED})
"""Reconstruction choices read as a sentence for the signer first, the file and line after."""


@dataclass(frozen=True)
class OpenPoint:
    """One thing to confirm, located in the data: `path:line: field: message`."""

    path: str
    line: int | None
    field: str
    message: str
    kind: PointKind
    association: str | None = None
    year: int | None = None
    """For an estimate: the year of the allocation (the table and the pack print only that year)."""

    def __str__(self) -> str:
        where, field, message = quoted_path(self.path), one_line(self.field), one_line(self.message)
        if self.kind in PLAIN_FIRST:
            return f"{message} — {where}:{self.line or 0}: {field}"
        return f"{where}:{self.line or 0}: {field}: {message}"

    def located(self, root: str) -> str:
        """As `__str__`, with the path relative to the conventions folder (what a document prints)."""
        path = Path(self.path)
        try:
            path = path.relative_to(root)
        except ValueError:
            pass
        where, field, message = quoted_path(path.as_posix()), one_line(self.field), one_line(self.message)
        if self.kind in PLAIN_FIRST:
            return f"{message} — {where}:{self.line or 0}: {field}"
        return f"{where}:{self.line or 0}: {field}: {message}"


def open_points(conventions: Conventions, year: int) -> tuple[OpenPoint, ...]:
    """Every open point of the documents of `year`, association by association (annexe 1 order)."""
    points: list[OpenPoint] = list(_delegation(conventions))
    for association in conventions.associations:
        if association.allocation(year) is not None:
            points += association_points(conventions, association, year)
    return tuple(points)


def association_points(conventions: Conventions, association: Association, year: int) -> list[OpenPoint]:
    """What the amendment of `association` for `year` (and its annexes) still leaves to confirm."""
    return [*_estimates(association, year), *_annexes(association), *_signatory(association),
            *_identity(association), *_article(association),
            *_inferences(conventions, association, year),
            *_territory_deviations(conventions, association, year),
            *_staffing(conventions, association, year)]


def figure_points(conventions: Conventions, year: int) -> tuple[OpenPoint, ...]:
    """The open points behind the figures of `year` alone (what the table and the pack print)."""
    return tuple(p for p in open_points(conventions, year)
                 if p.kind is PointKind.ESTIMATE and p.year == year)


def deliberation_point(path: Path) -> OpenPoint:
    """No `commissions/YEAR.yaml`: the « Vu » of the authorising deliberation stays blank."""
    return OpenPoint(str(path), None, "deliberation.numero",
                     "délibération autorisant l'avenant inconnue (fichier absent)",
                     PointKind.DELIBERATION)


def _delegation(conventions: Conventions) -> list[OpenPoint]:
    """The amendments cite the delegation of signature (arrêté, date): unknown, a blank to fill."""
    dep = conventions.departement
    if dep.delegation is not None:
        return []
    path = dep.path or str(Path(conventions.root) / "departement.yaml")
    return [OpenPoint(path, None, "delegation",
                      f"délégation de signature de {dep.signatory.name} inconnue (arrêté, date) : "
                      "les avenants laissent l'arrêté à citer en blanc", PointKind.DELEGATION)]


def _point(association: Association, key: str, field: str, message: str, kind: PointKind,
           year: int | None = None, line: int | None = None) -> OpenPoint:
    return OpenPoint(association.path, line or association.lines.get(key), field, message, kind,
                     association.slug, year)


def _estimates(association: Association, year: int) -> list[OpenPoint]:
    """Each estimated allocation the amendment prints (every period up to `year`)."""
    return [
        _point(association, "allocations", f"allocations.{allocation.year}.estimated",
               f"allocations {allocation.year} estimées, pas tirées d'un texte : l'annexe imprime « XX » ; "
               "reporter les chiffres de la convention initiale signée (estimated: false, source:)",
               PointKind.ESTIMATE, allocation.year, allocation.line)
        for allocation in sorted(association.allocations.values(), key=lambda a: a.year)
        if allocation.estimated and allocation.year <= year
    ]


def _annexes(association: Association) -> list[OpenPoint]:
    if not association.annexes_estimated:
        return []
    return [_point(association, "annexes.estimees", "annexes.estimees",
                   "numéros d'annexe supposés : à vérifier sur la convention signée",
                   PointKind.ANNEX_NUMBERS)]


def _signatory(association: Association) -> list[OpenPoint]:
    if association.signatory is not None:
        return []
    return [_point(association, "signataire", "signataire",
                   "signataire de l'association inconnu (qualité et nom)", PointKind.SIGNATORY)]


def _identity(association: Association) -> list[OpenPoint]:
    """The preamble names the association by its address and its SIRET or RNA number.

    Its representative is `representant`, else the signatory (an unknown one is already a point).
    """
    points = []
    if association.address is None:
        points.append(_point(association, "adresse", "adresse", "adresse du siège absente",
                             PointKind.IDENTITY))
    if association.siret is None and association.rna is None:
        points.append(_point(association, "identifiants", "identifiants",
                             "ni SIRET ni numéro RNA", PointKind.IDENTITY))
    return points


def _article(association: Association) -> list[OpenPoint]:
    if association.article is not None:
        return []
    return [_point(association, "article", "article",
                   "article du nom à choisir pour « Pour … » (l'association, le, la, les, l', aucun)",
                   PointKind.ARTICLE)]


def _territory_label(conventions: Conventions, territory: str) -> str:
    place = conventions.departement.territory(territory) if territory != "tous" else None
    return place.name if place is not None else ("tous les territoires" if territory == "tous" else territory)


def _inferences(conventions: Conventions, association: Association, year: int) -> list[OpenPoint]:
    """Each `inference:` note of an allocation the amendment prints: a reconstruction to confirm."""
    points = []
    for allocation in sorted(association.allocations.values(), key=lambda a: a.year):
        if allocation.year > year:
            continue
        for index, line in enumerate(allocation.lines):
            if not line.inference:
                continue
            where = _territory_label(conventions, line.territory)
            points.append(_point(
                association, "allocations", f"allocations.{allocation.year}.lignes[{index}].inference",
                f"{association.name} : ligne {allocation.year} « {where} » reconstituée, pas lue telle "
                f"qu'imprimée : {line.inference.rstrip('. ')} : à confirmer", PointKind.RECONSTRUCTION,
                allocation.year, line.inference_line or line.line))
    return points


def _territory_deviations(conventions: Conventions, association: Association, year: int) -> list[OpenPoint]:
    """Each line allowed outside the convention's territories (annexe 1): to confirm."""
    convention = ", ".join(_territory_label(conventions, t) for t in association.territories)
    points = []
    for territory, source in association.territory_deviations.items():
        if territory in association.territory_deviations_confirmed:
            continue
        allocation = association.allocation(year)
        lines = [line for line in (allocation.lines if allocation else ()) if line.territory == territory]
        what = " ; ".join(_line_summary(conventions, line) for line in lines) or "aucune ligne"
        points.append(_point(
            association, "ecart_territoires", f"ecart_territoires.{territory}",
            f"{association.name} : ligne sur « {_territory_label(conventions, territory)} » "
            f"({what}), hors des territoires de sa convention ({convention}, annexe 1) ; "
            f"source : {source} : à confirmer", PointKind.TERRITORY))
    return points


def _staffing(conventions: Conventions, association: Association, year: int) -> list[OpenPoint]:
    """004 annexes ASLL, AML « 50 points par poste équivalent temps plein »: without `etp:` for a
    measure the association has points of in `year`, the cap is not checked — said, not skipped."""
    dep, allocation = conventions.departement, association.allocation(year)
    if allocation is None or allocation.etp is not None:  # the older combined `etp` of the allocation
        return []
    points = []
    for cap in (c for c in dep.caps if c.scope is CapScope.ETP):
        for measure, columns in sorted(dep.cap_columns_by_measure(cap).items(), key=lambda i: i[0].value):
            total = sum(allocation.total(c) for c in columns)
            if measure in association.staffing or not total:
                continue
            points.append(_point(
                association, "etp", "etp",
                f"ETP non renseigné : plafond de {cap.value} points par ETP non vérifié ({total} points "
                f"{measure.value} en {year} ; {cap.source}) ; "
                f"écrire etp: {{{measure.value}: 1.5, source: \"...\"}}",
                PointKind.STAFFING, year))
    return points


COUNT_WORDS = {"asll_points": "points ASLL", "aml_points": "points AML", "dsf": "DSF",
               "portes_closes": "portes closes", "gla": "logements GLA", "fal": "FAL",
               "fal_accompagnement_seul": "FAL accompagnement seul"}


def _line_summary(conventions: Conventions, line) -> str:
    return ", ".join(f"{n} {COUNT_WORDS.get(c, c)}" for c, n in line.counts.items() if n)
