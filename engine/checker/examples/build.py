"""Generate an example submissions folder: the register, the files (signed for real), the truth."""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from engine.calendar import end_of_month, first_of_next_month
from engine.checker.examples import association, pdf
from engine.checker.examples.aml import AML_FAULTS, aml
from engine.checker.examples.asll import ASLL_FAULTS, asll
from engine.checker.examples.dsf import DSF_FAULTS, dsf
from engine.checker.examples.fal import FAL_FAULTS, fal, over_cap
from engine.checker.examples.pki import Kit, ca_pem, make_kit
from engine.checker.examples.plan import FileSpec, Plan, end_of
from engine.checker.registry import DOCUMENTS, EVENTS, HOUSEHOLD, MEASURES, OCCUPANCY
from engine.model import Measure

ASSOCIATIONS = (
    "acarlogi", "habitat-insertion", "audasse", "mahra-le-toit", "immobiliere-sociale-62",
    "aide-aux-sans-abri-le-petit-atre", "apprentis-d-auteuil-fjt", "apsa-du-pas-de-calais",
    "droit-au-travail",
    "association-blanzly-pourre", "chrs-le-coin-familial", "culture-et-liberte", "demain", "fiac-de-berck",
    "habitat-jeunes-haj", "instance-intercommunale-d-insertion-3id",
    "la-vie-active-chrs-annezin-bethune-point-logement-jeunes", "la-vie-active-pole-logement-arras",
    "la-vie-active-service-des-tutelles", "le-cheval-bleu", "les-restaurants-du-coeur-et-de-l-artois-ternois",
    "la-sauvegarde-du-nord", "pole-du-territoire-maritime", "4-aj", "rencontres-et-loisirs",
    "solidaritoit-les-toits-de-l-espoir", "residence-pour-tous")
"""The conventions' slugs; the first five make the small example (together they hold every dispositif)."""
OUTSIDE = "immobiliere-sociale-62"
"""One AML measure outside its association's convention (IS62 runs only GLA): DISPOSITIF-HORS-CONVENTION."""
CAP_ASSOCIATION = "residence-pour-tous"
FULL_YEAR = {"ASLL": 2900, "AML": 200, "FAL": 550, "DSF": 1050}  # 2025 activity report orders of magnitude
SMALL = {"ASLL": 12, "AML": 5, "FAL": 6, "DSF": 8}
FAULT_RATE = 0.015
SIGNER_NAMES = {"instructeur": "Instructrice SLISL (exemple)",
                "association": "Direction de l'association (exemple)",
                "bailleur": "Bailleur social (exemple)", "departement": "Pour le Département, par délégation"}


@dataclass(frozen=True)
class Generated:
    plan: Plan
    kit: Kit
    folder: Path


def generate(out: Path, scale: str | Fraction = "small", as_of: date = date(2026, 11, 22), seed: int = 2026,
             canary: str | None = None) -> Generated:
    """Write the example into `out` (created) and return the plan (with its ground truth) and the CA."""
    plan = Plan(as_of=as_of, rng=random.Random(seed), canary=canary)
    small = scale == "small"
    factor = Fraction(1) if scale in ("full", "small") else Fraction(str(scale))
    counts = SMALL if small else {kind: round(count * factor) for kind, count in FULL_YEAR.items()}
    names = ASSOCIATIONS[:5] if small else ASSOCIATIONS[:-1]
    held = _held()
    _measures(plan, names, counts, small, held)
    _outside_convention(plan, held)
    over_cap(plan, CAP_ASSOCIATION)
    _routine_visits(plan)
    _association_documents(plan, (*names, CAP_ASSOCIATION))
    association.gla_register(plan, OUTSIDE)  # IS62's convention runs GLA
    kit = make_kit({"menage": plan.household(), **SIGNER_NAMES})
    folder = Path(out)
    write(plan, kit, folder, {"echelle": str(scale), "graine": seed})
    return Generated(plan=plan, kit=kit, folder=folder)


def _held() -> dict[str, frozenset[Measure]]:
    """The dispositifs of each association's convention (conventions/ of the project)."""
    from engine.checker.convention_measures import held_measures
    from engine.commands.options import DEFAULT_CONVENTIONS
    from engine.validation import load_conventions

    return held_measures(load_conventions(DEFAULT_CONVENTIONS).conventions)


ALSO_NEEDS = {"AML": ("ASLL",), "fal_household": ("ASLL",)}
"""An AML may relay to an ASLL of its association, the FAL household fault adds an ASLL: their
owners must hold that dispositif too."""


def _holders(names: tuple[str, ...], kind: str, held: dict[str, frozenset[Measure]],
             fault: str | None = None) -> tuple[str, ...]:
    """The associations among `names` whose convention holds `kind` (and what its measure makes)."""
    also = (*ALSO_NEEDS.get(kind, ()), *ALSO_NEEDS.get(fault or "", ()))
    needs = {Measure(kind), *(Measure(k) for k in also)}
    holders = tuple(n for n in names if needs <= held.get(n, frozenset()))
    if not holders:
        raise ValueError(f"aucune association de l'exemple ne porte le dispositif {kind}")
    return holders


def _measures(plan: Plan, names: tuple[str, ...], counts: dict[str, int], small: bool,
              held: dict[str, frozenset[Measure]]) -> None:
    """Every fault once (so the example shows each rule), then clean measures with a few faults."""
    makers = {"ASLL": (asll, ASLL_FAULTS), "AML": (aml, AML_FAULTS), "FAL": (fal, FAL_FAULTS),
              "DSF": (dsf, DSF_FAULTS)}
    for kind, (make, faults) in makers.items():
        holders = _holders(names, kind, held)
        for index, fault in enumerate(faults):
            owners = _holders(names, kind, held, fault)
            make(plan, owners[index % len(owners)], fault)
        for index in range(counts[kind]):
            chosen = plan.rng.choice(faults) if not small and plan.rng.random() < FAULT_RATE else None
            owners = _holders(names, kind, held, chosen) if chosen else holders
            make(plan, _owner(plan, owners, kind, index), chosen)
    holders = _holders(names, "DSF", held)
    for index in range(2 if small else counts["DSF"] // 10):
        dsf(plan, holders[index % len(holders)], closed_door=True)


def _outside_convention(plan: Plan, held: dict[str, frozenset[Measure]]) -> None:
    """One measure of a dispositif its association's convention does not hold: one error, and
    none of the findings (or reminders) its pieces would give otherwise."""
    name = OUTSIDE
    before = len(plan.measures)
    aml(plan, name, "aml_bilan_missing")  # its final review missing: without the rule, a reminder
    added = {row["mesure_id"] for row in plan.measures[before:]}
    plan.truth[:] = [t for t in plan.truth if t["mesure_id"] not in added]
    plan.intact_signed[:] = [s for s in plan.intact_signed if s["mesure_id"] not in added]
    for mesure_id in sorted(added):
        plan.expect("DISPOSITIF-HORS-CONVENTION", name, "la convention de l'association ne porte que",
                    mesure_id=mesure_id)


def _routine_visits(plan: Plan) -> None:
    """Two home visits a month for each ASLL, AML or FAL measure the faults gave no visit: a month
    without a recorded visit counts as zero visits (issue 26). No visit falls between the first and
    the last closed door of a measure (it would break their streak), nor between a social worker's
    absence and the resumption; a whole month inside that span is expected as short of visits."""
    visited = {e["mesure_id"] for e in plan.events
               if e["type_evenement"] == "visite"}
    visited |= {t["mesure_id"] for t in plan.truth if t["rule"].endswith("-VISITS")}
    for row in plan.measures:
        mesure_id = row["mesure_id"]
        if row["dispositif"] not in ("ASLL", "AML", "FAL") or mesure_id in visited:
            continue
        start, months = row["date_debut"], row["duree_mois"]
        if start is None or not months:
            continue
        own = [e for e in plan.events if e["mesure_id"] == mesure_id]
        doors = [e["date"] for e in own
                 if e["type_evenement"] in ("porte_close", "absence_travailleur_social")]
        doors += [e["date"] for e in own if e["type_evenement"] == "reprise" and doors]
        span = (min(doors), max(doors)) if doors else None
        end, first, short = end_of(start, int(months)), start, []
        while first <= min(end, plan.as_of):
            last = min(end_of_month(first), plan.as_of, end)
            free = [d for d in _days(first, last) if span is None or not span[0] <= d <= span[1]]
            if free:
                for _ in range(2):
                    plan.event(mesure_id, "visite", free[plan.rng.randrange(len(free))], "visite au domicile")
            elif first >= start and end_of_month(first) <= end and end_of_month(first) < plan.as_of:
                short.append(first)
            first = first_of_next_month(first)
        if short:
            rule = {"ASLL": "ASLL-VISITS", "AML": "AML-VISITS", "FAL": "FAL-VISITS"}[row["dispositif"]]
            plan.expect(rule, row["association"], f"{short[0]:%Y-%m} : 0 visite", mesure_id=mesure_id,
                        due=end_of_month(short[0]))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _owner(plan: Plan, names: tuple[str, ...], kind: str, index: int) -> str:
    """FAL measures spread over many associations, so none passes the cap of 30 by chance."""
    return names[index % len(names)] if kind == "FAL" else plan.rng.choice(names)


def _association_documents(plan: Plan, names: tuple[str, ...]) -> None:
    for index, name in enumerate(names):
        association.occupancy_tables(plan, name, ("late", "missing") if index == 1 else ())
        association.activity_grids(plan, name, {0: "late", 2: "missing"}.get(index))
        association.amendment(plan, name, unsigned=index == 3)
        if index < 2:
            association.gla_occupancy(plan, name, vacancy=index == 0)


def write(plan: Plan, kit: Kit, folder: Path, meta: dict) -> None:
    files = folder / "fichiers"
    files.mkdir(parents=True, exist_ok=True)
    _csv(folder / "mesures.csv", MEASURES + HOUSEHOLD, plan.measures)
    _csv(folder / "documents.csv", DOCUMENTS, plan.documents)
    _csv(folder / "evenements.csv", EVENTS, sorted(plan.events, key=lambda e: (e["mesure_id"], e["date"])))
    if plan.occupancy:
        _csv(folder / "occupation.csv", OCCUPANCY, plan.occupancy)
    names = {d["document_id"]: d["fichier"] for d in plan.documents}
    for doc_id, spec in plan.files.items():
        content = render(plan, kit, spec)
        if content is not None:
            (files / names[doc_id]).write_bytes(content)
    (folder / "ac-exemple.pem").write_bytes(ca_pem(kit))
    truth = {"as_of": plan.as_of.isoformat(), "regles": "pas-de-calais", **meta,
             "constats": sorted(plan.truth, key=lambda t: json.dumps(t, sort_keys=True)),
             "signatures_intactes": plan.intact_signed}
    text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    (folder / "verite.json").write_text(text, encoding="utf-8")


def _csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(columns)
        for index, row in enumerate(rows):
            writer.writerow([_cell(row.get(c), french=index % 7 == 3) for c in columns])


def _cell(value, french: bool) -> str:
    """Dates mostly AAAA-MM-JJ, one row in seven JJ/MM/AAAA: both forms of INTERFACES.md."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if french else value.isoformat()
    return "" if value is None else str(value)


def render(plan: Plan, kit: Kit, spec: FileSpec) -> bytes | None:
    if spec.kind == "absent":
        return None
    if spec.kind == "text":
        return ("Courrier scanné illisible\n" + "\n".join(spec.lines)).encode("utf-8")
    if spec.kind == "garbage":
        return b"%PDF-1.7\n" + bytes(plan.rng.getrandbits(8) for _ in range(1500))
    if spec.kind == "docx":
        return _docx(spec.lines)
    data = pdf.document(spec.lines)
    if spec.empty_roles:
        data = pdf.with_empty_fields(data, [f"sig_{r}" for r in spec.empty_roles])
    for role in spec.signed_roles:
        data = pdf.signed(data, f"sig_{role}", kit.signers[role])
    if spec.tamper == "modified":
        data = pdf.modified_after_signing(data, "Texte remplacé après la signature")
    elif spec.tamper == "flipped":
        data = pdf.flipped(data)
    return data


def _docx(lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
