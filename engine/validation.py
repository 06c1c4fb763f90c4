"""Business validation of the conventions: what a schema cannot say.

Errors stop the run (unknown territory, missing rate, cap broken without a written derogation);
warnings are printed and allowed (estimated figures, unknown signatory, annex numbers to confirm).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from engine.errors import InputError, InputErrors, ValidationWarning
from engine.identifiers import siret_problem
from engine.load.conventions import build_association, build_departement, read_documents
from engine.load.yamlfile import JsonPath, YamlDocument, dotted
from engine.model import Association, CapScope, Conventions, Departement

Problem = InputError | ValidationWarning


@dataclass(frozen=True)
class Loaded:
    """Valid conventions, with the warnings found on the way."""

    conventions: Conventions
    warnings: tuple[ValidationWarning, ...]


def load_conventions(root: Path) -> Loaded:
    """Read, schema-check, build and business-check `root`; raise `InputErrors` on any error."""
    dep_doc, assoc_docs, errors = read_documents(root)
    if dep_doc is None:
        raise InputErrors(errors)
    departement = build_departement(dep_doc)
    associations = []
    for doc in assoc_docs:
        try:
            associations.append((build_association(doc), doc))
        except InputError as exc:
            errors.append(exc)
    problems = list(_departement_problems(departement, dep_doc))
    for association, doc in associations:
        problems.extend(_association_problems(departement, association, doc))
    problems.extend(_slug_problems(associations))
    problems.extend(_departement_caps(departement, associations, dep_doc))
    errors += [p for p in problems if isinstance(p, InputError)]
    if errors:
        raise InputErrors(sorted(errors, key=lambda e: (e.path, e.line or 0)))
    files = (str(dep_doc.path), *(str(d.path) for d in assoc_docs))
    ordered = sorted((a for a, _ in associations), key=_annexe_1_order)
    conventions = Conventions(departement, tuple(ordered), str(root), files)
    warnings = tuple(p for p in problems if isinstance(p, ValidationWarning))
    return Loaded(conventions, warnings)


def _annexe_1_order(association: Association) -> tuple[int, str]:
    """The order of 004 annexe 1 (`rang`), then the slug for associations without one."""
    return (association.rank if association.rank is not None else 10_000, association.slug)


def _error(doc: YamlDocument, path: JsonPath, message: str) -> InputError:
    return InputError(message, doc.path, doc.line_of(path), _field(path))


def _warning(doc: YamlDocument, path: JsonPath, message: str, kind: str | None = None) -> ValidationWarning:
    return ValidationWarning(str(doc.path), doc.line_of(path), _field(path), message, kind)


def _field(path: JsonPath) -> str:
    return dotted(path)


def _departement_problems(dep: Departement, doc: YamlDocument) -> Iterator[Problem]:
    yield from _duplicates(doc, "territoires", [t.id for t in dep.territories], "id", "territoire")
    yield from _duplicates(doc, "arrondissements_dsf", [a.id for a in dep.arrondissements], "id",
                           "arrondissement")
    yield from _duplicates(doc, "periodes", [p.year for p in dep.periods], "annee", "période")
    for column, rate in dep.rates.items():
        yield from _duplicates(doc, ("taux", column, "valeurs"), [v.start for v in rate.values], "debut",
                               f"date de début du taux {column}")
    for i, period in enumerate(dep.periods):
        where = ("periodes", i)
        if period.start.day != 1:
            yield _error(doc, (*where, "debut"), "une période commence le 1er d'un mois")
        if (period.end + timedelta(days=1)).day != 1:
            yield _error(doc, (*where, "fin"), "une période finit le dernier jour d'un mois")
        if period.start < dep.convention_start or period.end > dep.convention_end:
            yield _error(doc, where, f"la période {period.year} sort de la durée de la convention")
        yield from _missing_rates(dep, doc, period)
    yield from _siret(doc, ("siret",), dep.siret)
    yield from _delegation_problems(dep, doc)


def _delegation_problems(dep: Departement, doc: YamlDocument) -> Iterator[Problem]:
    """The delegation the amendment cites is the signatory's, and its dates are in order."""
    delegation = dep.delegation
    if delegation is None:
        return
    if delegation.name != dep.signatory.name:
        yield _error(doc, ("delegation", "nom"), f"« {delegation.name} » : la délégation doit être celle du "
                     f"signataire des avenants (signataire.nom « {dep.signatory.name} »)")
    if delegation.title != dep.signatory.title:
        yield _error(doc, ("delegation", "qualite"), f"« {delegation.title} » : qualité différente de "
                     f"signataire.qualite (« {dep.signatory.title} »)")
    if delegation.until is not None and delegation.until < delegation.since:
        yield _error(doc, ("delegation", "jusqu_a"), "la délégation finit avant de commencer (depuis)")


def _siret(doc: YamlDocument, path: JsonPath, value: str | None) -> Iterator[Problem]:
    """A SIRET SIRENE could not have issued (a key wrong): the SCDL file would be refused."""
    problem = siret_problem(value) if value is not None else None
    if problem:
        yield _error(doc, path, problem)


def _duplicates(doc: YamlDocument, where: str | JsonPath, keys: list, field: str,
                label: str) -> Iterator[Problem]:
    """Two entries with one key: the first would win silently, so both stop the run."""
    where = (where,) if isinstance(where, str) else where
    first: dict = {}
    for index, key in enumerate(keys):
        if key in first:
            line = doc.line_of((*where, first[key], field))
            yield _error(doc, (*where, index, field),
                         f"{label} « {key} » en double (déjà ligne {line}) : gardez-en une seule")
        first.setdefault(key, index)


def _missing_rates(dep: Departement, doc: YamlDocument, period) -> Iterator[Problem]:
    for column, rate in dep.rates.items():
        if rate.in_force(period.start) is None:
            first = min(range(len(rate.values)), key=lambda i: rate.values[i].start)
            yield _error(doc, ("taux", column, "valeurs", first, "debut"),
                         f"aucun taux en vigueur au {period.start:%d/%m/%Y} (période {period.year}) ; "
                         f"ajoutez une valeur, par exemple debut: {period.start}")


def _association_problems(dep: Departement, assoc: Association, doc: YamlDocument) -> Iterator[Problem]:
    if Path(doc.path).stem != assoc.slug:
        yield _error(doc, ("slug",), f"le slug « {assoc.slug} » doit être le nom du fichier "
                     f"(« {Path(doc.path).stem} »)")
    for i, territory in enumerate(assoc.territories):
        if dep.territory(territory) is None:
            yield _error(doc, ("territoires", i), _unknown("territoire", territory, dep.territories))
    for i, territory in enumerate(assoc.territory_deviations):
        if dep.territory(territory) is None:
            yield _error(doc, ("ecart_territoires", i, "territoire"),
                         _unknown("territoire", territory, dep.territories))
    yield from _siret(doc, ("identifiants", "siret"), assoc.siret)
    yield from _allocation_problems(dep, assoc, doc)
    yield from _annex_problems(dep, assoc, doc)
    if assoc.signatory is None:
        yield _warning(doc, ("signataire",), "signataire inconnu : le bloc de signature de "
                       "l'association sera laissé en blanc, à remplir à la main", "signataires inconnus")


def _unknown(kind: str, value: str, places) -> str:
    return f"{kind} « {value} » inconnu ; valeurs possibles : {', '.join(p.id for p in places)}"


def _allocation_problems(dep: Departement, assoc: Association, doc: YamlDocument) -> Iterator[Problem]:
    for allocation in sorted(assoc.allocations.values(), key=lambda a: a.year):
        where = ("allocations", _raw_index(doc, allocation.year))
        if dep.period(allocation.year) is None:
            yield _error(doc, (*where, "annee"), f"aucune période {allocation.year} dans departement.yaml")
        if allocation.estimated:
            yield _warning(doc, (*where, "estimated"), f"allocations {allocation.year} estimées, "
                           "pas tirées d'un texte : à confirmer avant signature",
                           f"allocations {allocation.year} estimées")
        for l_index, line in enumerate(allocation.lines):
            yield from _line_problems(dep, assoc, doc, (*where, "lignes", l_index), line)
        yield from _association_caps(dep, allocation, doc, where)
        yield from _staffing_caps(dep, assoc, allocation, doc, where)


def _raw_index(doc: YamlDocument, year: int) -> int:
    return next(i for i, raw in enumerate(doc.data["allocations"]) if raw["annee"] == year)


def _line_problems(dep, assoc, doc, where, line) -> Iterator[Problem]:
    if dep.territory(line.territory) is None:
        yield _error(doc, (*where, "territoire"), _unknown("territoire", line.territory, dep.territories))
    elif line.territory not in assoc.territories and line.territory not in assoc.territory_deviations:
        yield _error(doc, (*where, "territoire"), f"territoire « {line.territory} » absent de la "
                     f"liste des territoires de la convention ({', '.join(assoc.territories)}) ; "
                     "si un texte l'établit, écrivez l'écart avec sa source (exemple : "
                     "ecart_territoires: [{territoire: audomarois, source: \"004 annexe 3, 22e ligne\"}])")
    if line.arrondissement and dep.arrondissement(line.arrondissement) is None:
        yield _error(doc, (*where, "arrondissement_dsf"),
                     _unknown("arrondissement", line.arrondissement, dep.arrondissements))
    if not line.counts:
        yield _warning(doc, where, "ligne sans aucun nombre (tous à zéro)", "lignes sans aucun nombre")


def _association_caps(dep: Departement, allocation, doc, where) -> Iterator[Problem]:
    for cap in dep.caps:
        if cap.scope is CapScope.ASSOCIATION:
            limit, scope = cap.value, "par association"
        elif cap.scope is CapScope.ETP and allocation.etp is not None:
            limit, scope = cap.value * allocation.etp, f"pour {allocation.etp} ETP"
        else:
            continue
        total = sum(allocation.total(c) for c in cap.columns)
        if total > limit:
            text = (f"{total} {cap.label} en {allocation.year}, plafond {limit} {scope} "
                    f"({cap.source})")
            yield _over_cap(doc, where, allocation, text, where, "écrivez une dérogation motivée")


DEROGATION_EXAMPLE = "(exemple : derogation: {motif: \"Accord du SPSLH du 12/03/2026\"})"


def _over_cap(doc: YamlDocument, where: JsonPath, allocation, text: str, error_at: JsonPath,
              fix: str) -> Problem:
    """A cap exceeded: a warning when the allocation carries a derogation, else an error saying
    how to correct it."""
    if allocation.derogation:
        return _warning(doc, (*where, "derogation"), f"{text} : dérogation « {allocation.derogation} »",
                        "plafonds dépassés par dérogation")
    return _error(doc, error_at, f"{text} ; {fix} {DEROGATION_EXAMPLE}")


def _staffing_caps(dep: Departement, assoc: Association, allocation, doc, where) -> Iterator[Problem]:
    """004 annexes ASLL, AML « quota maximum de 50 points par poste équivalent temps plein »: the
    points of each measure within the cap times its `etp:` (an absent ETP is an open point)."""
    for cap in dep.caps:
        if cap.scope is not CapScope.ETP:
            continue
        for measure, columns in dep.cap_columns_by_measure(cap).items():
            posts = assoc.staffing.get(measure)
            total = sum(allocation.total(c) for c in columns)
            if posts is None or total <= cap.value * posts:
                continue
            text = (f"{total} points {measure.value} en {allocation.year} pour {posts} ETP {measure.value} "
                    f"(etp:, {assoc.staffing_source}) : plafond {cap.value * posts} ({cap.source})")
            yield _over_cap(doc, where, allocation, text, ("etp", measure.value),
                            "corrigez etp: ou écrivez une dérogation motivée")


def _departement_caps(dep: Departement, associations, doc: YamlDocument) -> Iterator[Problem]:
    for cap in dep.caps:
        if cap.scope is not CapScope.DEPARTEMENT:
            continue
        for period in dep.periods:
            total = sum(
                a.allocation(period.year).total(c)
                for a, _ in associations if a.allocation(period.year)
                for c in cap.columns
            )
            if total > cap.value:
                yield _error(doc, ("plafonds", cap.id), f"{total} {cap.label} en {period.year}, "
                             f"plafond {cap.value} ({cap.source})")


def _annex_problems(dep: Departement, assoc: Association, doc: YamlDocument) -> Iterator[Problem]:
    used = {
        dep.rates[column].measure
        for allocation in assoc.allocations.values()
        for line in allocation.lines
        for column in line.counts
    }
    for measure in sorted(used - set(assoc.annex_numbers), key=lambda m: m.value):
        yield _error(doc, ("annexes", "numeros"), f"aucun numéro d'annexe pour la mesure "
                     f"{measure.value} ; exemple : {measure.value.lower()}: 2")
    numbers = list(assoc.annex_numbers.values())
    if len(numbers) != len(set(numbers)):
        yield _error(doc, ("annexes", "numeros"), "deux mesures ont le même numéro d'annexe")
    if assoc.annexes_estimated:
        yield _warning(doc, ("annexes", "estimees"), "numéros d'annexe supposés : à vérifier "
                       "sur la convention signée", "numéros d'annexe supposés")


def _slug_problems(associations) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    ranks: dict[int, str] = {}
    for assoc, doc in associations:
        if assoc.rank is not None and ranks.setdefault(assoc.rank, assoc.slug) != assoc.slug:
            yield _error(doc, ("rang",), f"rang {assoc.rank} déjà pris par {ranks[assoc.rank]}")
        if assoc.slug in seen:
            yield _error(doc, ("slug",), f"slug « {assoc.slug} » déjà utilisé par {seen[assoc.slug]}")
        seen[assoc.slug] = str(doc.path)
