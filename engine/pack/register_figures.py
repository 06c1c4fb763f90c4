"""The activity figures the report of year N+1 cites, computed from the activity register of N.

The rapport n°21 of 004 cites « 2 887 ménages accompagnés au titre de l'ASLL, dont 1 387 mesures
débutées en 2025 », « 1 053 DSF ont été réalisés », « la GLA a été financée pour 708 logements
occupés ». From the register (pure; `conventions/activite/YEAR.yaml` stays the typed fallback):
- ménages accompagnés (ASLL, AML, FAL): measures running at least one day of N, a renewal
  (`renouvellement_de`) of a measure also running in N counted once, as the same household;
- mesures débutées: measures whose `date_debut` is in N, renewals excluded;
- DSF réalisés: DSF with `resultat` realise dated in N (closed doors not included);
- logements GLA occupés: GLA housings occupied at least one day in N.
"""

from __future__ import annotations

from engine.activity import Register, Result
from engine.model import Measure
from engine.pack.commission import Activity, Support
from engine.settlement import MonthCount, months_run

SUPPORTS = (Measure.ASLL, Measure.AML, Measure.FAL)


def activity_from_register(register: Register, year: int, source: str) -> Activity:
    supports = tuple(_support(register, measure, year) for measure in SUPPORTS)
    dsf = sum(1 for m in register.measures if m.measure is Measure.DSF and m.result is Result.REALISE
              and m.realised_on is not None and m.realised_on.year == year)
    housings = {o.housing for o in register.occupancy
                if o.measure is Measure.GLA and o.year == year and o.days > 0}
    return Activity(year, sum(s.households for s in supports), supports, dsf, len(housings), source,
                    computed_from=source)


def _support(register: Register, measure: Measure, year: int) -> Support:
    running = {m.record.mesure_id: m for m in register.measures
               if m.measure is measure and months_run(m, year, MonthCount.ONE_DAY)}
    households = sum(1 for m in running.values() if m.record.renews not in running)
    begun = sum(1 for m in register.measures if m.measure is measure and not m.record.renews
                and m.record.start is not None and m.record.start.year == year)
    return Support(measure, households, begun)
