"""What a rules set checks (`fsl regles`): each rule, its clause, what it reads from the register,
and the obligations of the text the engine cannot check, with the reason (`non_controle:`).

Pure: a `RuleSet` in, values and text out. What a rule reads is derived from its definition (its
document, deadline anchor, events, limits) over one description per evaluator (`READS`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from engine.rules import Anchor, Check, Condition, EventType, Rule, RuleSet, Severity

MEASURES = "mesures.csv"
EVENTS = "evenements.csv"
DOCUMENTS = "documents.csv"
OCCUPANCY = "occupation.csv"
_SPAN = ("date_debut", "duree_mois")
_SEVERITY = {Severity.ERROR: "erreur", Severity.WARNING: "avertissement"}  # as written in the rules YAML


@dataclass(frozen=True)
class Reads:
    """What one evaluator reads whatever the rule: columns of mesures.csv, events, files."""

    columns: tuple[str, ...] = ()
    events: tuple[EventType, ...] = ()
    files: tuple[str, ...] = ()
    measures: bool = True  # reads mesures.csv at all


READS: Mapping[Check, Reads] = MappingProxyType({
    Check.PIECE: Reads(("dispositif",)),
    Check.PIECE_PERIODIQUE: Reads(("association", "dispositif", *_SPAN)),
    Check.DEBUT: Reads(("date_decision", "date_debut", "renouvellement_de")),
    Check.DUREE: Reads(("duree_mois", "renouvellement_de")),
    Check.CUMUL: Reads((*_SPAN, "renouvellement_de", "menage", "dispositif")),
    Check.PLAFOND: Reads(("association", *_SPAN)),
    Check.NOTIFICATION: Reads(),
    Check.SUSPENSION: Reads(_SPAN, (EventType.SORTIE_LOGEMENT,)),
    Check.VISITES: Reads(_SPAN, (EventType.VISITE, EventType.SUSPENSION, EventType.REPRISE,
                                 EventType.SORTIE_LOGEMENT)),
    Check.ABSENCE: Reads(_SPAN, (EventType.VISITE, EventType.SUSPENSION, EventType.REPRISE,
                                 EventType.SORTIE_LOGEMENT)),
    Check.PORTE_CLOSE: Reads(("date_audience",), (EventType.PORTE_CLOSE,)),
    Check.RENOUVELLEMENT: Reads(("renouvellement_de", "date_decision", "date_debut")),
    Check.ABSENCE_TS: Reads((), (EventType.ABSENCE_TRAVAILLEUR_SOCIAL, EventType.VISITE, EventType.REPRISE)),
    Check.CUMUL_EXCLU: Reads(("motif", *_SPAN), (EventType.AUTRE_ACCOMPAGNEMENT,)),
    Check.VACANCE: Reads((), (), (OCCUPANCY,), measures=False),
    Check.INTERRUPTION: Reads(_SPAN, (EventType.INTERRUPTION,)),
    Check.EVENEMENT_PERIODIQUE: Reads(_SPAN),
    Check.MANUEL: Reads(measures=False),
})
"""One line per evaluator of engine.checker.evaluate: what it reads for any rule of its kind."""

_ANCHOR_COLUMNS = {Anchor.DECISION: ("date_decision",), Anchor.DEBUT: ("date_debut",),
                   Anchor.FIN: _SPAN, Anchor.AUDIENCE: ("date_audience",)}
_DOCUMENT_COLUMNS = ("type_document", "date_reception", "fichier", "signataires_declares")


@dataclass(frozen=True)
class RuleEntry:
    id: str
    label: str
    check: str
    measures: tuple[str, ...]
    severity: str
    source: str
    columns: tuple[str, ...]  # of mesures.csv
    events: tuple[str, ...]  # types of evenements.csv
    documents: tuple[str, ...]  # types of documents.csv
    files: tuple[str, ...]  # register files read
    signatories: tuple[str, ...]
    checked: bool  # False: a `manuel` rule, checked by hand (`reason` says why)
    reason: str | None
    interpretation: str | None
    reading: str | None  # a delay the text does not number: the service's reading (`sans_tarder:`)


def describe(rule: Rule) -> RuleEntry:
    """What `rule` says and what it reads, derived from its definition."""
    reads = READS[rule.check]
    columns = ["mesure_id", "association", *reads.columns, *_rule_columns(rule)] if reads.measures else []
    events = [*reads.events, *_rule_events(rule)]
    documents = _rule_documents(rule)
    files = [*reads.files]
    if columns:
        files.insert(0, MEASURES)
    if events:
        files.append(EVENTS)
    if documents:
        files.append(DOCUMENTS)
        if rule.check in (Check.PIECE, Check.PIECE_PERIODIQUE):
            columns += [f"{DOCUMENTS}:{c}" for c in _DOCUMENT_COLUMNS]
            if rule.check is Check.PIECE_PERIODIQUE:
                columns.append(f"{DOCUMENTS}:periode")
    return RuleEntry(
        id=rule.id, label=rule.label, check=rule.check.value, measures=tuple(m.value for m in rule.measures),
        severity=_SEVERITY[rule.severity], source=rule.source, columns=_unique(columns),
        events=_unique(e.value for e in events), documents=_unique(documents), files=_unique(files),
        signatories=tuple(sorted(r.value for r in rule.signatories)), checked=rule.check is not Check.MANUEL,
        reason=rule.reason, interpretation=rule.interpretation,
        reading=rule.deadline.reading if rule.deadline is not None else None,
    )


def _rule_columns(rule: Rule) -> list[str]:
    limits, columns = rule.limits, list[str]()
    if rule.deadline is not None:
        columns += _ANCHOR_COLUMNS.get(rule.deadline.anchor, ())
    if rule.condition in (Condition.PREMIERE_PERIODE, Condition.RENOUVELEE, Condition.NON_RENOUVELEE):
        columns.append("renouvellement_de")
    if limits.retroactive_motifs or limits.max_first_by_motif:
        columns.append("motif")
    if limits.after_diagnostic_motif:
        columns += ["menage", "dispositif"]
    if limits.months_by_kind or set(limits.min_visits) - {"*"}:
        columns.append("type")
    if limits.rank is not None:
        columns.append("renouvellement_de")
    return columns


def _rule_events(rule: Rule) -> list[EventType]:
    events = []
    if rule.deadline is not None and rule.deadline.event is not None:
        events.append(rule.deadline.event)
    events += [e for e in (rule.limits.expected, rule.limits.reset) if e is not None]
    if rule.condition is Condition.SANS_PORTE_CLOSE:
        events.append(EventType.PORTE_CLOSE)
    return events


def _rule_documents(rule: Rule) -> list[str]:
    documents = [rule.document.value] if rule.document is not None else []
    if rule.check is Check.PORTE_CLOSE:
        documents.append("dsf")  # a DSF received means the household was met: no closed door to pay
    return documents


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def catalogue(ruleset: RuleSet) -> dict:
    """The rules set as plain data: the same content as the text, for `--json`."""
    return {
        "regles": ruleset.name, "territoire": ruleset.territory, "source": ruleset.source,
        "controle_depuis": ruleset.checked_from.isoformat(),
        "controles": [_entry_data(describe(rule)) for rule in ruleset.rules],
        "non_controle": [{"obligation": u.obligation, "source": u.source, "raison": u.reason}
                         for u in ruleset.unchecked],
    }


def _entry_data(entry: RuleEntry) -> dict:
    return {
        "id": entry.id, "libelle": entry.label, "controle": entry.check, "dispositifs": list(entry.measures),
        "gravite": entry.severity, "source": entry.source, "controlee": entry.checked,
        "besoins": {"fichiers": list(entry.files), "colonnes": list(entry.columns),
                    "evenements": list(entry.events), "pieces": list(entry.documents),
                    "signataires": list(entry.signatories)},
        "raison": entry.reason, "interpretation": entry.interpretation, "lecture_du_delai": entry.reading,
    }


def catalogue_json(ruleset: RuleSet) -> str:
    return json.dumps(catalogue(ruleset), ensure_ascii=False, indent=2) + "\n"


def catalogue_text(ruleset: RuleSet) -> str:
    """The rules set in French, one block per rule, then what is left unchecked."""
    data = catalogue(ruleset)
    lines = [f"Règles « {data['regles']} » — {data['territoire']}", f"Source : {data['source']}",
             f"Contrôle des pièces dues à partir du {data['controle_depuis']}", ""]
    checked = [r for r in data["controles"] if r["controlee"]]
    lines.append(f"{len(checked)} règle(s) contrôlée(s), {len(data['controles']) - len(checked)} à vérifier "
                 f"à la main, {len(data['non_controle'])} obligation(s) non contrôlée(s)")
    for rule in data["controles"]:
        lines += ["", *_rule_lines(rule)]
    lines += ["", "Obligations du texte que le moteur ne contrôle pas :"]
    for item in data["non_controle"]:
        lines += [f"- {item['obligation']}", f"    clause : {item['source']}",
                  f"    raison : {item['raison']}"]
    return "\n".join(lines) + "\n"


def _rule_lines(rule: dict) -> list[str]:
    measures = ", ".join(rule["dispositifs"]) or "toutes"
    lines = [f"{rule['id']} — {rule['libelle']} ({measures} ; {rule['controle']} ; {rule['gravite']})",
             f"    clause : {rule['source']}"]
    if not rule["controlee"]:
        return lines + [f"    à vérifier à la main : {rule['raison']}"]
    needs = rule["besoins"]
    labels = (("fichiers", "fichiers"), ("colonnes", "colonnes"), ("evenements", "événements"),
              ("pieces", "pièces"), ("signataires", "signataires"))
    for key, label in labels:
        if needs[key]:
            lines.append(f"    {label} : {', '.join(needs[key])}")
    if rule["lecture_du_delai"]:
        lines.append(f"    délai : lecture du service, {rule['lecture_du_delai']}")
    return lines
