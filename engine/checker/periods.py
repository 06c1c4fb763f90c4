"""Start dates, durations along renewal chains, overlaps of linked measures, caps per association."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from engine.calendar import add_months, end_of_month, first_of_next_month
from engine.checker.context import Context, finding
from engine.checker.deadlines import is_renewal, renewed
from engine.rules import Evidence, Finding, Measure, MeasureRecord, Rule


def check_start(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe ASLL « La date d'effet » ; 001 « La mise en œuvre de la mesure »."""
    found = []
    for measure in ctx.measures_for(rule):
        decision, start = measure.decision, measure.start
        if decision is None or start is None or is_renewal(measure, ctx):
            continue
        expected = first_of_next_month(decision)
        problem = _start_problem(rule, measure, start, expected)
        if not problem and start < expected:
            problem = _diagnostic_problem(rule, measure, decision, start, ctx)
        if problem:
            found.append(finding(rule, measure.association, problem, evidence=Evidence.DECLARED,
                                 mesure_id=measure.mesure_id, due=expected))
    return found


def _start_problem(rule: Rule, measure: MeasureRecord, start: date, expected: date) -> str | None:
    limits = rule.limits
    said = f"début le {start}, décision le {measure.decision}"
    if limits.start_until_month_end:
        if expected <= start <= end_of_month(expected):
            return None
        return f"{said} : attendu entre le {expected} et le {end_of_month(expected)}"
    if start == expected:
        return None
    if measure.motif in limits.retroactive_motifs and start < expected and start.day == 1:
        return None
    if measure.motif in limits.retroactive_motifs:
        return f"{said} : attendu le {expected} au plus tard, un 1er du mois (motif {measure.motif})"
    return f"{said} : attendu le {expected} (1er du mois qui suit la décision)"


def _diagnostic_problem(rule: Rule, measure: MeasureRecord, decision: date, start: date,
                        ctx: Context) -> str | None:
    """004 annexe ASLL « La date d'effet » : a household met on a DSF « débute le mois qui suit la
    réalisation du diagnostic ». The diagnostic is the DSF measure of the same household (column
    menage) whose date_debut is the day of the diagnostic."""
    motif = rule.limits.after_diagnostic_motif
    if motif is None or measure.motif != motif:
        return None
    diagnostics = sorted(m.start for m in ctx.measures.values()
                         if m.measure is Measure.DSF and m.start is not None and measure.household
                         and m.household == measure.household)
    if not diagnostics:
        return (f"début rétroactif le {start} (motif {motif}) : aucun DSF du même ménage "
                "(colonne menage, date_debut = date du diagnostic) ne le justifie dans le registre")
    before = [d for d in diagnostics if d <= decision]
    diagnostic = before[-1] if before else diagnostics[0]
    bound = first_of_next_month(diagnostic)
    if start >= bound:
        return None
    return (f"début le {start} (motif {motif}) : diagnostic réalisé le {diagnostic}, "
            f"la mesure débute au plus tôt le {bound} (le mois qui suit la réalisation du diagnostic)")


def chain_of(measure: MeasureRecord, ctx: Context) -> list[MeasureRecord]:
    """The measure and the periods it renews, oldest first (same support only; cycles cut)."""
    chain = [measure]
    while len(chain) <= len(ctx.measures):
        previous = renewed(chain[0], ctx)
        if previous is None or previous in chain:
            break
        chain.insert(0, previous)
    return chain


def check_duration(rule: Rule, ctx: Context) -> list[Finding]:
    """Each period within its bounds (by rank in the chain), and the whole chain within its total."""
    found = []
    for measure in ctx.measures_for(rule):
        if measure.months is None:
            continue
        chain = chain_of(measure, ctx)
        for problem in _duration_problems(rule, measure, measure.months, chain):
            found.append(finding(rule, measure.association, problem, evidence=Evidence.DECLARED,
                                 mesure_id=measure.mesure_id))
    return found


def _duration_problems(rule: Rule, measure: MeasureRecord, months: int,
                       chain: list[MeasureRecord]) -> list[str]:
    limits, rank = rule.limits, len(chain)
    problems = []
    maximum = limits.max_months
    if limits.max_by_rank:
        if rank > len(limits.max_by_rank):
            return [f"période n°{rank} : au plus {len(limits.max_by_rank)} périodes "
                    f"(renouvellements de {chain[0].mesure_id})"]
        maximum = limits.max_by_rank[rank - 1]
        if rank == 1:
            maximum = limits.max_first_by_motif.get(measure.motif, maximum)
    if maximum is not None and months > maximum:
        problems.append(f"durée de {months} mois pour la période n°{rank} : au plus {maximum} mois")
    if limits.min_months is not None and months < limits.min_months:
        problems.append(f"durée de {months} mois : au moins {limits.min_months} mois")
    total = sum(m.months or 0 for m in chain)
    if limits.max_total is not None and total > limits.max_total >= total - months:
        ids = " + ".join(m.mesure_id for m in chain)
        problems.append(f"durée cumulée de {total} mois ({ids}) : au plus {limits.max_total} mois")
    return problems


def check_overlap(rule: Rule, ctx: Context) -> list[Finding]:
    """004 « Le cumul »: a measure and the one it continues (renewal or relay) must not overlap,
    except a relay to another support within `chevauchement_max_mois`."""
    found = []
    for measure in ctx.measures_for(rule):
        previous = ctx.measures.get(measure.renews or "")
        if previous is None or measure.start is None or previous.end is None:
            continue
        if measure.start > previous.end:
            continue
        relay = previous.measure is not measure.measure
        months = relay_months(rule, previous)
        allowed = add_months(measure.start, months) if relay else measure.start
        if previous.end < allowed:
            continue
        overlap = (previous.end - measure.start).days + 1
        kind = "relais" if relay else "renouvellement"
        message = (f"{kind} de {previous.mesure_id} ({previous.measure.value}, fin le {previous.end}) "
                   f"commencé le {measure.start} : {overlap} jours de chevauchement"
                   f"{relay_said(rule, previous) if relay else ''}")
        found.append(finding(rule, measure.association, message, evidence=Evidence.DECLARED,
                             mesure_id=measure.mesure_id, due=previous.end + timedelta(days=1)))
    return found


def relay_months(rule: Rule, other: MeasureRecord) -> int:
    """Months a relay from `other` may overlap: the specific clause (`relais_max_mois`, e.g. the AML
    annex's 3 months for AML → ASLL) wins over the rule's general `chevauchement_max_mois`."""
    return rule.limits.relay_max_months.get(other.measure.value, rule.limits.overlap_max_months)


def relay_said(rule: Rule, other: MeasureRecord) -> str:
    if other.measure.value not in rule.limits.relay_max_months:
        return ""
    return (f" (relais {other.measure.value} de {relay_months(rule, other)} mois au plus, clause "
            f"spécifique de l'annexe {other.measure.value} ; règle générale : {rule.source})")


def check_cap(rule: Rule, ctx: Context) -> list[Finding]:
    """004 annexe FAL: at most `plafond` measures running the same day, per association."""
    changes: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for measure in ctx.measures_for(rule):
        if measure.start is not None and measure.end is not None and measure.start <= ctx.as_of:
            changes[measure.association][measure.start] += 1
            changes[measure.association][measure.end + timedelta(days=1)] -= 1
    found = []
    for association, steps in sorted(changes.items()):
        peak, peak_day, running = 0, None, 0
        for day in sorted(steps):
            running += steps[day]
            if running > peak:
                peak, peak_day = running, day
        if rule.limits.cap is not None and peak > rule.limits.cap:
            kind = rule.measures[0].value
            message = f"{peak} mesures {kind} en cours le {peak_day} : au plus {rule.limits.cap}"
            found.append(finding(rule, association, message, evidence=Evidence.DECLARED, due=peak_day))
    return found
