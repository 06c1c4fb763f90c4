"""Write `examples/activite-2026/`: the 27 associations' year of activity and its ground truth.

    .venv/bin/python examples/generate_activite.py [--out DIR] [--seed N] [--grilles SLUG,SLUG]

Each association gets a realisation ratio per measure (over-realised, under-realised with a
refund, in between), turned into measures (ASLL/AML points, DSF with their result) and occupancy
(FAL days, GLA housing-months). The ground truth `verite_solde_2026.json` is computed here from the
plan itself — the months each measure is meant to count, the acts, the days — with the seed's rates
written out below, not by the engine's settlement code, so the test comparing them can fail.

Scenarios planted: measures started in 2025 and carried over, measures ending early (actual end
mid-month), DSF carried out in 2025 (not counted in 2026), DSF still pending (no result), FAL and
GLA occupancy with vacant months, FAL housings with accompagnement seul (1 562,80 € a year), ASLL
acts paid in points (a diagnostic, a CET not signed; a diagnostic of 2025 not counted), one
association without any activity (no grid); the advance paid (`paiements.csv`) for the
associations whose signed amendment came back, one of them in two mandates, one signed but with
no payment recorded yet (its position rests on the advance due and no refund is computed).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from engine.finance import build_table  # noqa: E402  (allocations only: counts × rates of annexe 3)
from engine.render.reproducible import write_normalized  # noqa: E402
from engine.validation import load_conventions  # noqa: E402

YEAR = 2026
OUT = HERE / f"activite-{YEAR}"
# 004, annexes « Modalités de financement » (written out here on purpose: independent of the engine)
POINT, DSF, PORTE_CLOSE, FAL_YEAR, GLA_YEAR = (Decimal("85.95"), Decimal("162.38"), Decimal("39.12"),
                                               Decimal("2062.80"), Decimal("499.56"))
FAL_ALONE, DIAGNOSTIC_POINTS, CET_POINTS = Decimal("1562.80"), 2, 1  # 004 annexes FAL and ASLL
ADVANCE, BALANCE = Decimal("0.70"), Decimal("0.30")
NO_GRID = "solidaritoit-les-toits-de-l-espoir"
GRIDS = ("apsa-du-pas-de-calais", "le-cheval-bleu", "4-aj")  # sent as filled grids, the rest as CSV
DATE_COLUMNS = {"date_decision", "date_debut", "date_audience", "date_fin_reelle", "date_realisation"}
NUMBER_COLUMNS = {"duree_mois", "jours_occupes"}
MEASURE_HEADER = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
                  "renouvellement_de;date_audience;motif;date_fin_reelle;resultat;date_realisation;acte_asll;"
                  "dsf_suivi_asll")
OCCUPANCY_HEADER = "association;dispositif;logement_id;mois;jours_occupes;accompagnement_seul"
CENT = Decimal("0.01")


def cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Plan:
    measures: list[list[str]] = field(default_factory=list)
    occupancy: list[list[str]] = field(default_factory=list)
    documents: list[list[str]] = field(default_factory=list)
    payments: list[list[str]] = field(default_factory=list)
    truth: dict = field(default_factory=dict)
    counter: int = 0

    def next_id(self) -> str:
        self.counter += 1
        return f"A-{self.counter:05d}"


def ratios(rng: random.Random, rank: int) -> float:
    """Realisation ratio of an association: cycles over-, under- (refund) and partly-realised years."""
    return (1.25, 0.55, 0.85, 0.95, 0.62, 1.1)[rank % 6] + rng.uniform(-0.04, 0.04)


def point_measures(plan: Plan, rng: random.Random, slug: str, measure: str, kinds: tuple[str, str],
                   target: int) -> int:
    """Measures whose points × months of 2026 add up to `target`; returns that sum (by plan)."""
    done = 0
    while done < target:
        left = target - done
        points = 2 if left >= 2 and rng.random() < 0.4 else 1
        months = max(1, min(12, left // points, rng.randint(3, 12)))
        done += points * months
        plan.measures.append(_point_row(plan, rng, slug, measure, kinds[points - 1], months))
    return done


def _point_row(plan: Plan, rng: random.Random, slug: str, measure: str, kind: str, months: int) -> list[str]:
    """A measure counting exactly `months` months of 2026, built one of three ways."""
    way = rng.random()
    if months < 12 and way < 0.25:  # started in 2025, carried over: runs Jan..months
        carried = rng.randint(1, 12 - months) if months < 12 else 0
        start = date(YEAR - 1, 13 - carried, 1)
        return _row(plan, slug, measure, kind, start, carried + months, end=None)
    first = rng.randint(1, 13 - months)
    start = date(YEAR, first, 1)
    if way < 0.5 and months < 12:  # planned for 12 months, stopped mid-month of its last month
        last = first + months - 1
        end = date(YEAR, last, rng.randint(2, 27))
        return _row(plan, slug, measure, kind, start, 12, end=end)
    return _row(plan, slug, measure, kind, start, months, end=None)


def _row(plan: Plan, slug: str, measure: str, kind: str, start: date, months: int, end: date | None) -> list[str]:
    decision = date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 15)
    return [plan.next_id(), slug, measure, kind, "", decision.isoformat() if measure == "ASLL" else "",
            start.isoformat(), str(months), "", "", "", end.isoformat() if end else "", "", "", "", ""]


def asll_acts(plan: Plan, rng: random.Random, slug: str) -> int:
    """A diagnostic and a CET not signed in 2026, a diagnostic of 2025 (not counted); their points."""
    for act, year in (("diagnostic", YEAR), ("cet_non_signe", YEAR), ("diagnostic", YEAR - 1)):
        done = _day(rng, year)
        decision = date(year, max(1, done.month - 1), 1)
        plan.measures.append([plan.next_id(), slug, "ASLL", "", "", decision.isoformat(), "", "", "", "", "",
                              "", "", done.isoformat(), act, ""])
    return DIAGNOSTIC_POINTS + CET_POINTS


def dsf_measures(plan: Plan, rng: random.Random, slug: str, done: int, closed: int) -> None:
    """`done` diagnostics and `closed` closed doors in 2026, plus ones that must not count."""
    for result, count in (("realise", done), ("porte_close", closed)):
        for _ in range(count):
            plan.measures.append(_dsf_row(plan, slug, result, _day(rng, YEAR)))
    for _ in range(rng.randint(1, 3)):  # carried out in 2025: not counted in 2026
        plan.measures.append(_dsf_row(plan, slug, "realise", _day(rng, YEAR - 1)))
    plan.measures.append(_dsf_row(plan, slug, "", None))  # hearing set, diagnostic still pending


def _dsf_row(plan: Plan, slug: str, result: str, day: date | None) -> list[str]:
    hearing = (day or date(YEAR, 12, 15))
    hearing = date(hearing.year, hearing.month, min(hearing.day + 12, 28))
    return [plan.next_id(), slug, "DSF", "", "", "", "", "", "", hearing.isoformat(), "", "", result,
            day.isoformat() if day else "", "", ""]


def _day(rng: random.Random, year: int) -> date:
    month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, 28))


def occupancy(plan: Plan, rng: random.Random, slug: str, measure: str, housings: int, target: int,
              unit_days: bool, alone: int = 0) -> tuple[int, int]:
    """Occupancy rows of `housings` housings adding up to `target` days (FAL) or housing-months (GLA);
    the first `alone` housings are FAL with accompagnement seul. Returns the total and their part."""
    done = done_alone = 0
    for index in range(housings):
        flag = "oui" if index < alone else ""
        for month in range(1, 13):
            if done >= target:
                break
            days = calendar.monthrange(YEAR, month)[1]
            if rng.random() < 0.04:  # a vacant month
                plan.occupancy.append([slug, measure, f"L-{index + 1:03d}", f"{YEAR}-{month:02d}", "0", flag])
                continue
            if unit_days:
                days = min(days, target - done)
                done += days
                done_alone += days if flag else 0
            else:
                done += 1
            plan.occupancy.append([slug, measure, f"L-{index + 1:03d}", f"{YEAR}-{month:02d}", str(days),
                                   flag])
    return done, done_alone


def plan_association(plan: Plan, rng: random.Random, block, rank: int) -> dict | None:
    """The activity of one association and its expected realised amounts per group (capped)."""
    slug, counts, maxima = block.association.slug, block.counts, block.amounts
    ratio = ratios(rng, rank)
    raw = dict.fromkeys(("asll", "aml", "dsf", "portes_closes", "gla", "fal"), Decimal(0))
    if counts["asll_points"]:
        pm = point_measures(plan, rng, slug, "ASLL", ("GSL", "ASL"), round(counts["asll_points"] * 12 * ratio))
        raw["asll"] = cent((pm + asll_acts(plan, rng, slug)) * POINT)
    if counts["aml_points"]:
        pm = point_measures(plan, rng, slug, "AML", ("simple", "renforcee"), round(counts["aml_points"] * 12 * ratio))
        raw["aml"] = cent(pm * POINT)
    if counts["dsf"] or counts["portes_closes"]:
        done, closed = round(counts["dsf"] * ratio), round(counts["portes_closes"] * ratio)
        dsf_measures(plan, rng, slug, done, closed)
        raw["dsf"], raw["portes_closes"] = cent(done * DSF), cent(closed * PORTE_CLOSE)
    fal = counts["fal"] + counts["fal_accompagnement_seul"]
    if fal:
        days, alone = occupancy(plan, rng, slug, "FAL", fal + 2, round(fal * 365 * ratio), True,
                                counts["fal_accompagnement_seul"])
        raw["fal"] = cent(((days - alone) * FAL_YEAR + alone * FAL_ALONE) / 365)
    if counts["gla"]:
        months, _ = occupancy(plan, rng, slug, "GLA", counts["gla"] + 40, round(counts["gla"] * 12 * ratio),
                              False)
        raw["gla"] = cent(months * GLA_YEAR / 12)
    return {g: min(raw[g], maxima.get(g, Decimal(0))) for g in raw}


def truth_row(block, realised: dict | None, paid: Decimal | None) -> dict:
    """The expected settlement: on the advance paid when recorded, else a position against the
    advance due with no refund computed (issue 18)."""
    subsidy = block.total
    advance = cent(subsidy * ADVANCE)
    row = {"association": block.association.slug, "subvention": f"{subsidy:.2f}", "avance": f"{advance:.2f}",
           "avance_versee": None if paid is None else f"{paid:.2f}",
           "versement": "non_enregistre" if paid is None else "enregistre"}
    if realised is None:
        return {**row, "statut": "grille_absente", "realise": None, "taux_realisation": None,
                "solde": None, "remboursement": None}
    total = sum(realised.values(), Decimal(0))
    base = advance if paid is None else paid
    balance = min(max(total - base, Decimal(0)), cent(subsidy * BALANCE))
    refund = None if paid is None else f"{max(paid - total, Decimal(0)):.2f}"
    return {**row, "statut": "calcule",
            "realise": {**{g: f"{v:.2f}" for g, v in realised.items()}, "total": f"{total:.2f}"},
            "taux_realisation": f"{(total / subsidy).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}",
            "solde": f"{balance:.2f}", "remboursement": refund}


UNPAID_RANK = 4  # signed, advance not recorded yet: its letter says what is missing
SPLIT_RANK = 6  # advance paid in two mandates


def pay_advance(plan: Plan, block, rank: int, signed: date) -> Decimal | None:
    """The 70 % paid within the month after the signature (one mandate, or two for one association),
    written as the payeur's extract would (`104 037,50` with a comma for one of them)."""
    if rank == UNPAID_RANK:
        return None
    advance = cent(block.total * ADVANCE)
    parts = [advance] if rank != SPLIT_RANK else [cent(advance / 2), advance - cent(advance / 2)]
    for index, amount in enumerate(parts):
        day = date(signed.year, signed.month + 1, 3 + 7 * index)
        shown = f"{amount:.2f}" if rank % 2 == 0 else f"{amount:.2f}".replace(".", ",")
        mandate = f"{YEAR}-M{rank + 1:02d}{index + 1}"
        plan.payments.append([block.association.slug, day.isoformat(), shown, mandate])
    return advance


def fill_grid(path: Path, measures: list[list[str]], occupancy_rows: list[list[str]]) -> None:
    """Fill a blank `fsl grilles` workbook as an association would: typed values under the labels
    of row 2 (the association and the measure are the grid's: not typed)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    columns = MEASURE_HEADER.split(";")
    for row in measures:
        _append(book[row[2]], dict(zip(columns, row, strict=True)))
    for row in occupancy_rows:
        sheet = book["FAL occupation" if row[1] == "FAL" else "GLA"]
        _append(sheet, dict(zip(OCCUPANCY_HEADER.split(";"), row, strict=True)))
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, buffer.getvalue(), YEAR)  # same plan, same bytes


def _append(sheet, values: dict[str, str]) -> None:
    from engine.grid import HEADER_ROW, header_key, header_names, sheet_named

    names = header_names(sheet_named(sheet.title))
    header = [names.get(header_key(c.value or "")) for c in sheet[HEADER_ROW]]
    sheet.append([_typed(name, values.get(name, "")) if name else None for name in header])


def _typed(column: str, text: str):
    if not text:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(text)
    if column in NUMBER_COLUMNS:
        return int(text)
    return text


def write_grids(conventions, out: Path, plan: Plan, slugs) -> list[Path]:
    """Blank grids from `fsl grilles` (engine.grilles), filled with the plan's rows of `slugs`."""
    import tempfile

    from engine.grilles import grids_step

    written = []
    with tempfile.TemporaryDirectory() as stage:
        for path in grids_step(conventions, YEAR, Path(stage)):
            slug = path.stem.removeprefix(f"grille_activite_{YEAR}_")
            if slug in slugs:
                # a grid is the year's: a DSF of the year before belongs to that year's grid
                fill_grid(path, [r for r in plan.measures if r[1] == slug and not r[13].startswith(str(YEAR - 1))],
                          [r for r in plan.occupancy if r[0] == slug])
                written.append(Path(path.replace(out / path.name)))
    return written


def generate(out: Path, seed: int = YEAR) -> Plan:
    conventions = load_conventions(HERE.parent / "conventions").conventions
    table = build_table(conventions, YEAR)
    rng, plan = random.Random(seed), Plan()
    rows = []
    for rank, block in enumerate(table.blocks):
        slug = block.association.slug
        realised = None if slug == NO_GRID else plan_association(plan, rng, block, rank)
        paid = None
        if realised is not None and rank % 2 == 0:  # the signed amendment came back
            signed = date(YEAR, 6, 10 + rank % 15)
            plan.documents.append([f"AV-{rank + 1:02d}", "", slug, "avenant", str(YEAR),
                                   signed.isoformat(), "", "departement|association"])
            paid = pay_advance(plan, block, rank, signed)
        rows.append(truth_row(block, realised, paid))
    plan.truth = {"year": YEAR, "associations": rows}
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"grille_activite_{YEAR}_*.xlsx"):
        old.unlink()
    write_grids(conventions, out, plan, GRIDS)
    csv_plan = Plan([r for r in plan.measures if r[1] not in GRIDS],
                    [r for r in plan.occupancy if r[0] not in GRIDS], plan.documents, plan.payments,
                    plan.truth)
    _write(out, csv_plan)
    return plan


def _write(out: Path, plan: Plan) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _csv(out / "mesures.csv", MEASURE_HEADER, plan.measures)
    _csv(out / "occupation.csv", OCCUPANCY_HEADER, plan.occupancy)
    _csv(out / "documents.csv", "document_id;mesure_id;association;type_document;periode;date_reception;"
                                "fichier;signataires_declares", plan.documents)
    _csv(out / "paiements.csv", "association;date;montant;mandat", plan.payments)
    (out / f"verite_solde_{YEAR}.json").write_text(
        json.dumps(plan.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _csv(path: Path, header: str, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description="Écrit l'exemple d'activité 2026 et sa vérité terrain.")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=YEAR)
    args = parser.parse_args()
    plan = generate(args.out, args.seed)
    print(f"{args.out} : {len(plan.measures)} mesures, {len(plan.occupancy)} lignes d'occupation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
