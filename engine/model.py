"""The domain model: frozen values built once from validated data; no raw dicts past the loader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from types import MappingProxyType

from engine.errors import FslError


class Measure(Enum):
    """The five supports of the FSL (004, rapport : « Il existe cinq types d'accompagnements »)."""

    ASLL = "ASLL"
    AML = "AML"
    FAL = "FAL"
    DSF = "DSF"
    GLA = "GLA"


class Unit(Enum):
    """How a rate turns a count into an amount for a period."""

    MONTH = "mois"  # monthly points: count × rate × months
    YEAR = "an"  # annual rate: count × rate × months / 12
    ACT = "acte"  # per act: count × rate


class CapScope(Enum):
    DEPARTEMENT = "departement"
    ASSOCIATION = "association"
    ETP = "etp"


COLUMNS: tuple[str, ...] = (
    "asll_points", "aml_points", "dsf", "portes_closes", "gla", "fal", "fal_accompagnement_seul",
)
"""The count columns of an allocation line, named as in the `fsl table --json` contract."""

GROUPS: tuple[str, ...] = ("asll", "aml", "dsf", "portes_closes", "gla", "fal")
"""The amount columns of the financial table (FAL includes « accompagnement seul »)."""


@dataclass(frozen=True)
class RateValue:
    start: date
    amount: Decimal
    source: str
    line: int | None = None


@dataclass(frozen=True)
class Rate:
    """A dated parameter: the value in force at a period's start applies to the whole period."""

    column: str
    measure: Measure
    unit: Unit
    group: str
    label: str
    values: tuple[RateValue, ...]

    def in_force(self, day: date) -> RateValue | None:
        """The latest value starting on or before `day`, or None when none does."""
        candidates = [v for v in self.values if v.start <= day]
        return max(candidates, key=lambda v: v.start) if candidates else None

    def value_at(self, day: date) -> RateValue:
        """The value in force on `day`; loading checks one exists at each period's start
        (validation._missing_rates), so a missing one is an engine error, said in French."""
        value = self.in_force(day)
        if value is None:
            raise FslError(f"aucun taux « {self.label} » en vigueur au {day:%d/%m/%Y}")
        return value


@dataclass(frozen=True)
class Period:
    year: int
    start: date
    end: date

    @property
    def months(self) -> int:
        """Whole months covered (periods run from a 1st to a month's last day)."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


@dataclass(frozen=True)
class Place:
    """A territory or a DSF arrondissement."""

    id: str
    name: str


@dataclass(frozen=True)
class Delegation:
    """The Président's delegation of signature the amendment cites (departement.yaml `delegation`)."""

    name: str
    title: str
    decree: str
    since: date
    until: date | None
    source: str
    line: int | None = None


@dataclass(frozen=True)
class Signatory:
    """Who signs (or represents): « La Présidente », « Marie DUPONT »."""

    title: str
    name: str
    mention: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cap:
    id: str
    value: int
    columns: tuple[str, ...]
    scope: CapScope
    label: str
    source: str


@dataclass(frozen=True)
class Departement:
    name: str
    city: str
    service: str
    convention_start: date
    convention_end: date
    periods: tuple[Period, ...]
    territories: tuple[Place, ...]
    arrondissements: tuple[Place, ...]
    signatory: Signatory
    rates: Mapping[str, Rate]
    caps: tuple[Cap, ...]
    advance_share: Decimal
    balance_share: Decimal
    siret: str | None = None
    delegation: Delegation | None = None
    path: str = ""
    """departement.yaml, for the open points it holds."""
    address: tuple[str, ...] = ()  # the service's postal address, lines (departement.yaml `adresse`)

    def cap_columns_by_measure(self, cap: Cap) -> dict[Measure, list[str]]:
        """The columns of `cap` grouped by the measure they count (asll_points: ASLL, aml_points: AML)."""
        grouped: dict[Measure, list[str]] = {}
        for column in cap.columns:
            if column in self.rates:
                grouped.setdefault(self.rates[column].measure, []).append(column)
        return grouped

    def period(self, year: int) -> Period | None:
        return next((p for p in self.periods if p.year == year), None)

    def required_period(self, year: int) -> Period:
        """The period of `year`; none is an error in French naming the periods there are."""
        period = self.period(year)
        if period is None:
            known = ", ".join(str(p.year) for p in self.periods)
            raise FslError(f"aucune période {year} dans departement.yaml (périodes : {known})")
        return period

    def territory(self, territory_id: str) -> Place | None:
        return next((t for t in self.territories if t.id == territory_id), None)

    def arrondissement(self, arrondissement_id: str) -> Place | None:
        return next((a for a in self.arrondissements if a.id == arrondissement_id), None)


@dataclass(frozen=True)
class AllocationLine:
    """One association × territory line of an allocation, as in annexe 3."""

    territory: str
    arrondissement: str | None
    counts: Mapping[str, int]
    source: str
    inference: str | None = None
    line: int | None = None
    count_lines: Mapping[str, int] = field(default_factory=dict)
    """Line of each count field in the YAML file (for `fsl explain`)."""
    inference_line: int | None = None
    """The line of the `inference:` note (an open point is located there)."""

    def count(self, column: str) -> int:
        return self.counts.get(column, 0)


@dataclass(frozen=True)
class Allocation:
    year: int
    estimated: bool
    source: str
    lines: tuple[AllocationLine, ...]
    derogation: str | None = None
    etp: Decimal | None = None
    line: int | None = None

    def total(self, column: str) -> int:
        return sum(line.count(column) for line in self.lines)


@dataclass(frozen=True)
class Association:
    slug: str
    name: str
    territories: tuple[str, ...]
    convention_signed_on: date
    signatory: Signatory | None
    annex_numbers: Mapping[Measure, int]
    annexes_estimated: bool
    annexes_source: str
    allocations: Mapping[int, Allocation]
    siret: str | None = None
    rna: str | None = None
    path: str = ""
    rank: int | None = None
    address: str | None = None
    representative: Signatory | None = None
    article: str | None = None
    territory_deviations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    territory_deviations_confirmed: frozenset[str] = frozenset()
    """The deviations whose `confirme:` says who confirmed them (no longer open points)."""
    staffing: Mapping[Measure, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    """`etp:` full-time posts per measure (004: « 50 points par poste équivalent temps plein »)."""
    staffing_source: str | None = None
    """YAML line of each top-level key (`signataire`, `annexes.estimees`...), for located messages."""

    def allocation(self, year: int) -> Allocation | None:
        return self.allocations.get(year)


@dataclass(frozen=True)
class Conventions:
    """Everything the engine knows: the Département's parameters and the 27 associations."""

    departement: Departement
    associations: tuple[Association, ...]
    root: str = ""
    files: tuple[str, ...] = field(default_factory=tuple)

    def association(self, slug: str) -> Association | None:
        return next((a for a in self.associations if a.slug == slug), None)


def frozen_mapping(data: Mapping) -> Mapping:
    """A read-only view, so frozen dataclasses stay immutable all the way down."""
    return MappingProxyType(dict(data))
