"""A trace (`engine.explain`) as JSON (`fsl explain --json`, `output/YEAR/traces/<slug>.json`) or
as French lines for the terminal. Amounts are two-decimal strings, as in `fsl table --json`.
"""

from __future__ import annotations

from decimal import Decimal

from engine.explain import Figure, Trace, TraceLine, TracePeriod, Where
from engine.model import GROUPS
from engine.money import format_eur, json_amount


def trace_json(trace: Trace) -> dict:
    association = trace.association
    return {
        "annee": trace.year,
        "association": association.slug,
        "nom": association.name,
        "fichier": trace.at.path,
        "annexes": {"numeros_estimes": trace.annexes_estimated, "source": trace.annexes_source},
        "periodes": [_period(trace, p) for p in trace.periods],
    }


def _where(where: Where) -> dict:
    return {"fichier": where.path, "ligne": where.line}


def _amounts(amounts: dict[str, Decimal], total: Decimal) -> dict[str, str]:
    return {**{g: json_amount(amounts[g]) for g in GROUPS}, "total": json_amount(total)}


def _period(trace: Trace, period: TracePeriod) -> dict:
    return {
        "annee": period.year,
        "debut": period.period.start.isoformat(),
        "fin": period.period.end.isoformat(),
        "mois": period.period.months,
        "estimee": period.estimated,
        "source": period.source,
        "allocation": _where(period.at),
        "lignes": [_line(line) for line in period.lines],
        "montants": _amounts(period.amounts, period.total),
        "par_mesure": [
            {"mesure": m.value, "annexe": trace.association.annex_numbers[m], "montant": json_amount(v)}
            for m, v in period.measures.items()
        ],
        "versement": {
            "avance": json_amount(period.advance),
            "formule_avance": _share(period.total, trace.advance_share, period.advance),
            "solde_maximum": json_amount(period.balance_cap),
            "formule_solde_maximum": _share(period.total, trace.balance_share, period.balance_cap),
            "parts": {**_where(trace.split_at), "champ": "versement"},
        },
    }


def _share(total: Decimal, share: Decimal, result: Decimal) -> str:
    percent = (share * 100).normalize()
    return f"{format_eur(total)} × {percent:f} % = {format_eur(result)}"


def _line(line: TraceLine) -> dict:
    return {
        "territoire": line.territory,
        "nom_territoire": line.territory_name,
        "arrondissement_dsf": line.arrondissement,
        "nom_arrondissement_dsf": line.arrondissement_name,
        "ligne": _where(line.at),
        "source": line.source,
        "inference": line.inference,
        "chiffres": [_figure(f) for f in line.figures],
        "montants": _amounts(line.amounts, line.total),
    }


def _figure(figure: Figure) -> dict:
    return {
        "colonne": figure.column,
        "libelle": figure.label,
        "groupe": figure.group,
        "nombre": figure.count,
        "nombre_source": _where(figure.count_at),
        "taux": json_amount(figure.rate),
        "taux_debut": figure.rate_start,
        "taux_source": figure.rate_source,
        "taux_fichier": _where(figure.rate_at),
        "unite": figure.unit.value,
        "mois": figure.months,
        "formule": figure.formula,
        "montant": json_amount(figure.amount),
    }


def trace_text(trace: Trace) -> list[str]:
    """The trace as lines a person reads in a terminal (French)."""
    association = trace.association
    out = [f"{association.name} ({association.slug}) : avenant {trace.year}, {trace.at.path}"]
    if trace.annexes_estimated:
        out.append(f"  numéros d'annexe estimés : {trace.annexes_source}")
    for period in trace.periods:
        out += _period_text(trace, period)
    return out


def _period_text(trace: Trace, period: TracePeriod) -> list[str]:
    p = period.period
    out = [
        "",
        f"Période {period.year} : du {p.start:%d/%m/%Y} au {p.end:%d/%m/%Y} ({p.months} mois)",
        f"  allocation {period.at} : {period.source}",
    ]
    if period.estimated:
        out.append("  ESTIMÉE : chiffres à confirmer avant signature (estimated: true)")
    for line in period.lines:
        out += _line_text(line)
    for measure, value in period.measures.items():
        number = trace.association.annex_numbers[measure]
        out.append(f"  annexe n°{number} ({measure.value}) : {format_eur(value)}")
    out.append(f"  total {period.year} : {format_eur(period.total)}")
    out.append(f"  avance : {_share(period.total, trace.advance_share, period.advance)} ; "
               f"solde au plus : {_share(period.total, trace.balance_share, period.balance_cap)} "
               f"({trace.split_at.path}, versement)")
    return out


def _line_text(line: TraceLine) -> list[str]:
    where = f", arrondissement DSF de {line.arrondissement_name}" if line.arrondissement else ""
    out = [f"  {line.territory_name}{where} ({line.at}) : {format_eur(line.total)}",
           f"    source : {line.source}"]
    if line.inference:
        out.append(f"    inférence : {line.inference}")
    for figure in line.figures:
        out.append(f"    {figure.label} : {figure.formula}")
        out.append(f"      nombre {figure.count} : {figure.count_at} ; taux {format_eur(figure.rate)} "
                   f"en vigueur depuis le {figure.rate_start} ({figure.rate_at}) : {figure.rate_source}")
    return out
