"""What an avenant says, as plain data for its templates; the French prose stays in templates/.

Pure: conventions in, dicts of strings and numbers out (amounts already written the French way
by `money.format_eur`; counts stay integers for the templates' `accord` filter).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from engine.errors import FslError, InputError
from engine.finance import ZERO, amount, build_table
from engine.model import COLUMNS, Allocation, Association, Conventions, Departement, Measure, Period
from engine.money import format_eur, format_percent
from engine.pack.commission import Commission

LOCALE = "fr_FR"


def avenant_associations(
    conventions: Conventions, year: int, slug: str | None = None
) -> tuple[Association, ...]:
    """The associations that get an avenant for `year`: those with an allocation that year."""
    if slug is None:
        found = tuple(a for a in conventions.associations if a.allocation(year) is not None)
        if not found:
            raise FslError(f"aucune allocation {year} dans les conventions : pas d'avenant {year}")
        return found
    association = conventions.association(slug)
    if association is None:
        known = ", ".join(a.slug for a in conventions.associations[:5])
        raise FslError(f"association « {slug} » inconnue ; par exemple : {known}")
    if association.allocation(year) is None:
        raise InputError(f"aucune allocation {year} : pas d'avenant {year} pour cette association",
                         association.path, None, "allocations")
    return (association,)


def avenant_context(conventions: Conventions, association: Association, year: int,
                    commission: Commission | None = None) -> dict:
    """Everything the avenant and its annexes show for `association` in `year` (004 annexe 2).

    `commission` (conventions/commissions/YEAR.yaml) gives the deliberation the « Vu » cites;
    without it the « Vu » leaves the number and date blank (the amendment is then a draft).
    """
    dep = conventions.departement
    periods = _periods_until(dep, association, year)
    annexes = [
        _annex(dep, association, measure, number, periods, year)
        for measure, number in sorted(association.annex_numbers.items(), key=lambda item: item[1])
    ]
    return {
        "modele": False,
        "annee": year,
        "subvention": _yearly(conventions, association, year),
        "departement": departement_fields(dep),
        "convention": _convention(dep, association),
        "association": _association(dep, association),
        "annexes": annexes,
        "numeros_annexes": [str(annex["numero"]) for annex in annexes],
        "taux": _rates(dep, dep.required_period(year)),
        **commission_fields(commission),
    }


ESTIMATED = "XX"
"""What an estimated figure prints, as the model of annexe 2 does: never a guess as a maximum."""


def _yearly(conventions: Conventions, association: Association, year: int) -> dict:
    """The year's maximum subsidy and its 70 % advance (the payeur's pièce justificative), as the
    financial table prices them; « XX » when the year's allocation is estimated."""
    dep = conventions.departement
    block = next(b for b in build_table(conventions, year).blocks if b.association.slug == association.slug)
    if block.estimated:
        return {"montant": f"{ESTIMATED} €", "avance": f"{ESTIMATED} €", "estimee": True,
                "part_avance": format_percent(dep.advance_share)}
    return {"montant": format_eur(block.total), "avance": format_eur(block.advance), "estimee": False,
            "part_avance": format_percent(dep.advance_share)}


def _rates(dep: Departement, period: Period) -> dict:
    """Each rate in force at the period's start, written the French way (« 2 062,80 € »)."""
    rates = {}
    for column, rate in dep.rates.items():
        value = rate.in_force(period.start)
        rates[column] = format_eur(value.amount) if value is not None else None
    return rates


def commission_fields(commission: Commission | None) -> dict:
    """The deliberation authorising the amendment, and the one that approved the conventions."""
    if commission is None:
        return {"deliberation": None, "conventions_initiales": None, "president": None}
    return {
        "deliberation": {"numero": commission.deliberation, "date": french_day(commission.meeting)},
        "conventions_initiales": {"numero": commission.initial_deliberation,
                                  "date": french_day(commission.initial_meeting)},
        "president": f"{commission.president.civilite} {commission.president.nom}",
    }


ARTICLES = {"l'association": "l'association ", "l'": "l'", "le": "le ", "la": "la ", "les": "les ",
            "aucun": ""}
"""How the `article` setting of an association's YAML introduces its name (« Pour l'association … »)."""


def designation(association: Association) -> str:
    """`AUDASSE` with `article: l'association` → « l'association AUDASSE »; no article: the name."""
    return f"{ARTICLES.get(association.article or 'aucun', '')}{association.name}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def in_sentence(title: str) -> str:
    """« La Directrice des politiques… » inside a sentence: « la Directrice des politiques… »."""
    first, _, rest = title.partition(" ")
    if first in ("Le", "La", "Les") or first.startswith("L'"):
        return f"{first.lower()} {rest}" if rest else first.lower()
    return title


def measure_columns(dep: Departement, measure: Measure) -> tuple[str, ...]:
    """The count columns a measure's annex states (DSF: diagnostics and portes closes)."""
    return tuple(c for c in COLUMNS if dep.rates[c].measure is measure)


def french_day(day: date) -> dict:
    """`2025-07-01` → day 1 (the template writes « 1er »), « juillet 2025 », « 01/07/2025 »."""
    return {"jour": day.day, "mois_annee": format_date(day, "MMMM y", locale=LOCALE),
            "numerique": f"{day:%d/%m/%Y}"}


def _periods_until(dep: Departement, association: Association, year: int) -> list[Period]:
    """Each period of the convention up to `year`; each needs the association's allocation."""
    dep.required_period(year)
    periods = sorted((p for p in dep.periods if p.year <= year), key=lambda p: p.start)
    for period in periods:
        _allocation(association, period.year, year)
    return periods


def _allocation(association: Association, year: int, avenant_year: int) -> Allocation:
    allocation = association.allocation(year)
    if allocation is None:
        raise InputError(f"aucune allocation {year} : l'annexe de l'avenant {avenant_year} indique "
                         f"chaque période de la convention jusqu'à {avenant_year}",
                         association.path, None, "allocations")
    return allocation


def departement_fields(dep: Departement) -> dict:
    """The Département's name, town, signatory and delegation, as the avenant and its model print them."""
    signatory, delegation = dep.signatory, dep.delegation
    return {"nom": dep.name, "ville": dep.city,
            "signataire": {"mention": list(signatory.mention), "qualite": signatory.title,
                           "qualite_phrase": in_sentence(signatory.title), "nom": signatory.name},
            "delegation": None if delegation is None else {
                "arrete": delegation.decree, "depuis": french_day(delegation.since)}}


def _convention(dep: Departement, association: Association) -> dict:
    return {**convention_fields(dep), "signee_le": french_day(association.convention_signed_on)}


def convention_fields(dep: Departement) -> dict:
    """The convention's dates, and the years an avenant updates (every period after the first)."""
    later = sorted((p for p in dep.periods if p.start > dep.convention_start), key=lambda p: p.start)
    return {"debut": french_day(dep.convention_start), "fin": french_day(dep.convention_end),
            "annees_avenants": [str(p.year) for p in later]}


def _association(dep: Departement, association: Association) -> dict:
    signatory = association.signatory
    representative = association.representative or signatory
    return {
        "nom": association.name,
        "designation": designation(association),
        "designation_debut": _capitalised(designation(association)),
        "slug": association.slug,
        "signataire": None if signatory is None else {"qualite": signatory.title, "nom": signatory.name},
        "representant": None if representative is None else {
            "qualite": in_sentence(representative.title), "nom": representative.name},
        "adresse": association.address,
        "siret": association.siret,
        "rna": association.rna,
        # the annex's « Territoire d'intervention »: the convention's, then each recorded deviation
        # (HAJ: Audomarois), so that it names every territory the annex's figures are spread over
        "territoires": [_territory_name(dep, t) for t in
                        (*association.territories, *association.territory_deviations)],
    }


def _territory_name(dep: Departement, territory_id: str) -> str:
    place = dep.territory(territory_id)
    return place.name if place is not None else territory_id


def _annex(dep, association, measure: Measure, number: int, periods: list[Period], year: int) -> dict:
    """One measure annex: a paragraph per period, and the year whose avenant comes next."""
    columns = measure_columns(dep, measure)
    following = sorted((p for p in dep.periods if p.year > year), key=lambda p: p.start)
    return {
        "numero": number,
        "mesure": measure.value,
        "periodes": [_period(dep, association, columns, p) for p in periods],
        "annee_suivante": following[0].year if following else None,
    }


def _period(dep: Departement, association: Association, columns, period: Period) -> dict:
    """The maximum subsidy of the period, its counts, and their breakdown by territory.

    An estimated allocation prints « XX » for each count and amount and no breakdown: signing
    must not turn a guess into the period's maximum (the open point asks for the signed figures)."""
    allocation = _allocation(association, period.year, period.year)  # checked by _periods_until
    if allocation.estimated:
        return {"annee": period.year, "debut": f"{period.start:%d/%m/%Y}", "fin": f"{period.end:%d/%m/%Y}",
                "montant": f"{ESTIMATED} €", "estimee": True, "lignes": [],
                "colonnes": {c: {"nombre": ESTIMATED, "montant": f"{ESTIMATED} €", "lignes": []}
                             for c in columns}}
    counts, amounts = _by_territory(dep, allocation, columns, period)
    total = sum((sum(by_column.values(), ZERO) for by_column in amounts.values()), ZERO)
    lines = [
        {"territoire": _territory_name(dep, t), "nombres": counts[t],
         "montant": format_eur(sum(amounts[t].values(), ZERO))}
        for t in counts if any(counts[t].values())
    ]
    return {
        "annee": period.year,
        "debut": f"{period.start:%d/%m/%Y}",
        "fin": f"{period.end:%d/%m/%Y}",
        "montant": format_eur(total),
        "estimee": False,
        "colonnes": {c: _column(dep, c, counts, amounts) for c in columns},
        "lignes": lines,
    }


def _column(dep: Departement, column: str, counts, amounts) -> dict:
    lines = [
        {"territoire": _territory_name(dep, t), "nombre": counts[t][column],
         "montant": format_eur(amounts[t][column])}
        for t in counts if counts[t][column]
    ]
    total = sum((amounts[t][column] for t in counts), ZERO)
    return {"nombre": sum(counts[t][column] for t in counts), "montant": format_eur(total),
            "lignes": lines}


def _by_territory(
    dep: Departement, allocation: Allocation, columns, period: Period
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Decimal]]]:
    """Counts and amounts per territory (lines of one territory added up, in the allocation's order).

    Each line is priced on its own, as in the financial table, so the parts add up to its total.
    """
    counts: dict[str, dict[str, int]] = {}
    amounts: dict[str, dict[str, Decimal]] = {}
    for line in allocation.lines:
        line_counts = counts.setdefault(line.territory, dict.fromkeys(columns, 0))
        line_amounts = amounts.setdefault(line.territory, dict.fromkeys(columns, ZERO))
        for column in columns:
            line_counts[column] += line.count(column)
            line_amounts[column] += amount(dep.rates[column], line.count(column), period)
    return counts, amounts


def quoted_value(dep: Departement, key: str, period: Period) -> Decimal | None:
    """The value departement.yaml gives for a figure an annex quotes (`taux.dsf`, `plafond.X`)."""
    kind, _, name = key.partition(".")
    if kind == "taux" and name in dep.rates:
        value = dep.rates[name].in_force(period.start)
        return None if value is None else value.amount
    if kind == "plafond":
        cap = next((c for c in dep.caps if c.id == name), None)
        return None if cap is None else Decimal(cap.value)
    shares: Mapping[str, Decimal] = {"avance": dep.advance_share, "solde_maximum": dep.balance_share}
    return shares.get(name) if kind == "versement" else None
