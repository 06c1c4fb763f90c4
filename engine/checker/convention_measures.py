"""A measure of the register whose dispositif the association's convention does not hold.

IS62's convention runs only GLA: an AML measure declared for it is an error of the register, not a
measure to chase. The finding names both dispositifs; every other finding of that measure is
dropped, so that no reminder ever asks for its pieces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.model import Conventions, Measure
from engine.rules import Evidence, Finding, Severity, Submission

RULE = "DISPOSITIF-HORS-CONVENTION"
SOURCE = "convention de l'association (004 annexe 1 et annexes par dispositif)"


def held_measures(conventions: Conventions) -> dict[str, frozenset[Measure]]:
    """The dispositifs each association's convention holds: its annexes and every dispositif its
    allocations count (a DSF counted inside the ASLL annex is held)."""
    departement = conventions.departement
    return {a.slug: frozenset(a.annex_numbers) | frozenset(
                departement.rates[c].measure for allocation in a.allocations.values()
                for line in allocation.lines for c, n in line.counts.items() if n and c in departement.rates)
            for a in conventions.associations}


def outside_convention(findings: Sequence[Finding], submission: Submission,
                       held: Mapping[str, frozenset[Measure]]) -> list[Finding]:
    """`findings` without those of measures outside their convention, plus one error for each."""
    if not held:
        return list(findings)
    wrong = {}
    for measure in submission.measures:
        measures = held.get(measure.association)
        if measures is not None and measure.measure not in measures:
            wrong[(measure.association, measure.mesure_id)] = measure
    kept = [f for f in findings if (f.association, f.mesure_id) not in wrong]
    for (association, mesure_id), measure in wrong.items():
        convention = ", ".join(m.value for m in Measure if m in held[association]) or "aucun"
        kept.append(Finding(
            rule=RULE, severity=Severity.ERROR, association=association, mesure_id=mesure_id,
            document_id=None,
            message=(f"mesure {measure.measure.value} (mesures.csv ligne {measure.line}) : la convention "
                     f"de l'association ne porte que {convention} ; aucune pièce n'est demandée "
                     f"pour cette mesure, corriger le registre ou la convention"),
            due=None, received=None, days_late=None, evidence=Evidence.DECLARED, source=SOURCE))
    return sorted(set(kept), key=Finding.sort_key)
