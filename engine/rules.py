"""The rules model of the checker: what a rule says, what was submitted, what a finding is.

Pure values (frozen dataclasses and enums), built once by the loaders; the evaluation of a rules
set against a submission lives in `engine.checker.evaluate` and its per-concept modules. Every
deadline, duration and signatory list comes from `conventions/regles/*.yaml`, never from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType

from engine.calendar import Counting, add_months
from engine.model import Measure

__all__ = ["Measure"]  # re-exported: the five supports, one enum for the whole engine


class Severity(Enum):
    """`error`: a rule is broken; `warning`: worth a look, no rule broken yet (INTERFACES.md)."""

    ERROR = "error"
    WARNING = "warning"


class Role(Enum):
    """Who signs; a PDF signature field named `sig_<role>` belongs to that role."""

    MENAGE = "menage"
    INSTRUCTEUR = "instructeur"
    ASSOCIATION = "association"
    BAILLEUR = "bailleur"
    DEPARTEMENT = "departement"


class DocumentType(Enum):
    CET = "cet"
    CTEOP = "cteop"
    PLAN_INTERVENTION = "plan_intervention"
    BILAN_INTERMEDIAIRE = "bilan_intermediaire"
    BILAN_FINAL = "bilan_final"
    GRILLE_ACTIVITE = "grille_activite"
    TABLEAU_OCCUPATION = "tableau_occupation"
    DSF = "dsf"
    DEMANDE_ECHEC = "demande_echec"
    AVENANT = "avenant"
    JUSTIFICATIF_VACANCE = "justificatif_vacance"  # FAL: technical-vacancy proofs (requests, dated invoices)
    BAIL = "bail"  # FAL: the new lease on a change of housing


class EventType(Enum):
    PORTE_CLOSE = "porte_close"
    NOTIFICATION_SLISL = "notification_slisl"
    SUSPENSION = "suspension"
    REPRISE = "reprise"
    VISITE = "visite"
    SORTIE_LOGEMENT = "sortie_logement"
    DEMANDE_RENOUVELLEMENT = "demande_renouvellement"  # the association asks, with its reasons
    ABSENCE_TRAVAILLEUR_SOCIAL = "absence_travailleur_social"  # first day the social worker is away
    AUTRE_ACCOMPAGNEMENT = "autre_accompagnement"  # another support (AVDL, MASP...) begins
    INTERRUPTION = "interruption"  # the measure is stopped before its end (CeA)
    CONCERTATION = "concertation"  # AML: the meeting before a third period
    ACCORD_SUSPENSION = "accord_suspension"  # CeA: the Service Logement agrees to a suspension
    NON_ADHESION = "non_adhesion"  # CeA: the household does not take part
    NOTIFICATION_SERVICE_LOGEMENT = "notification_service_logement"  # CeA's notice to its Service Logement
    CAPTATION = "captation"  # GLA: the association captures the dwelling (mesure_id: the housing)
    RELOGEMENT = "relogement"  # GLA: a household moves into the housing
    VISITE_TECHNIQUE = "visite_technique"  # GLA: the yearly technical visit of the housing


class Evidence(Enum):
    """What a finding rests on, printed in the report's `evidence` field."""

    DECLARED = "declared"  # what the register declares: dates, events, signataires_declares
    SIGNATURE = "signature"  # a PDF signature field, checked with pyHanko
    FILE = "file"  # the received file itself (unreadable, too big...)


class Check(Enum):
    """The kind of control a rule asks for; each has one evaluator."""

    PIECE = "piece"  # a document of a measure, due relative to one of its dates
    PIECE_PERIODIQUE = "piece_periodique"  # a document of an association, per month/semester/year
    DEBUT = "debut"  # start date relative to the decision
    DUREE = "duree"  # period and total durations along `renouvellement_de`
    CUMUL = "cumul"  # overlap of measures the register links
    PLAFOND = "plafond"  # measures running at once per association
    NOTIFICATION = "notification"  # an event that must follow another within a delay
    SUSPENSION = "suspension"  # longest suspension before the measure must stop
    VISITES = "visites"  # minimum home visits per month
    ABSENCE = "absence"  # consecutive months without any visit
    PORTE_CLOSE = "porte_close"  # visit attempts before a closed door is paid
    RENOUVELLEMENT = "renouvellement"  # a renewal asked for (an event) before it starts
    ABSENCE_TS = "absence_ts"  # social worker away beyond a number of working days: told, continued
    CUMUL_EXCLU = "cumul_exclu"  # no other support (AVDL, MASP...) at the same time (motif or event)
    VACANCE = "vacance"  # consecutive vacant months of a housing (occupation.csv)
    INTERRUPTION = "interruption"  # months due when a measure is interrupted
    # an event at least once every N months (GLA technical visit)
    EVENEMENT_PERIODIQUE = "evenement_periodique"
    MANUEL = "manuel"  # needs data the submissions folder does not hold


class Anchor(Enum):
    DECISION = "decision"
    DEBUT = "debut"
    FIN = "fin"
    AUDIENCE = "audience"
    EVENEMENT = "evenement"
    PERIODE = "periode"


class Condition(Enum):
    """Which measures a document rule applies to."""

    TOUJOURS = "toujours"
    PREMIERE_PERIODE = "premiere_periode"  # not a renewal
    RENOUVELEE = "renouvelee"  # another measure renews it
    NON_RENOUVELEE = "non_renouvelee"
    SANS_PORTE_CLOSE = "sans_porte_close"  # no closed door recorded for the measure


class Periodicity(Enum):
    MOIS = "mois"
    SEMESTRE = "semestre"
    ANNEE = "annee"
    AUCUNE = "aucune"


@dataclass(frozen=True)
class Deadline:
    """`offset` units after (negative: before) the anchor, counted as `counting`."""

    anchor: Anchor
    offset: int
    counting: Counting
    extend: bool  # CPC art. 642; never applied to a backward deadline
    event: EventType | None = None
    fixed_day: tuple[int, int] | None = None  # (month, day) for Counting.FIXED_DATE
    # « sans tarder »: no number in the text, the service's reading (`sans_tarder:`)
    reading: str | None = None


@dataclass(frozen=True)
class Limits:
    """The numbers a non-document rule compares with; unused ones stay None."""

    min_months: int | None = None
    max_months: int | None = None
    max_by_rank: tuple[int, ...] = ()
    max_total: int | None = None
    max_first_by_motif: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    retroactive_motifs: frozenset[str] = frozenset()
    overlap_max_months: int = 0
    cap: int | None = None
    min_visits: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    start_until_month_end: bool = False
    consecutive: int | None = None
    min_attempts: int | None = None
    expected: EventType | None = None
    reset: EventType | None = None
    months_by_kind: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    excluded: frozenset[str] = frozenset()  # other supports that cannot run at the same time
    max_working_days: int | None = None
    max_vacant_months: int | None = None
    day_threshold: int | None = None  # a month begun after this day of the month is due
    # by other support
    relay_max_months: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    rank: int | None = None  # renouvellement: only the period of this rank in its chain (AML concertation)
    after_diagnostic_motif: str | None = None  # this motif starts the month after the household's DSF
    every_months: int | None = None  # evenement_periodique: the expected event at least this often


@dataclass(frozen=True)
class Rule:
    id: str
    check: Check
    label: str
    measures: tuple[Measure, ...]
    severity: Severity
    source: str
    document: DocumentType | None = None
    deadline: Deadline | None = None
    signatories: frozenset[Role] = frozenset()
    required: bool = True
    condition: Condition = Condition.TOUJOURS
    periodicity: Periodicity = Periodicity.AUCUNE
    limits: Limits = field(default_factory=Limits)
    interpretation: str | None = None
    reason: str | None = None  # why a MANUEL rule cannot be checked from the folder


@dataclass(frozen=True)
class Unchecked:
    """An obligation of the text the engine cannot check from the register, and why (`non_controle`)."""

    obligation: str
    source: str
    reason: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    territory: str
    country: str
    subdivision: str | None
    alert_days: int
    checked_from: date
    rules: tuple[Rule, ...]
    source: str
    trust_roots: tuple[bytes, ...] = ()  # DER certificates of the trusted signing authorities
    unchecked: tuple[Unchecked, ...] = ()  # obligations of the text left to the service, with the reason

    def active(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.check is not Check.MANUEL)


# --- What was submitted (the register), built by engine.checker.registry ----------------------

@dataclass(frozen=True)
class MeasureRecord:
    mesure_id: str
    association: str
    measure: Measure
    kind: str  # GSL, ASL, simple, renforcee or ""
    territory: str
    decision: date | None
    start: date | None
    months: int | None
    renews: str | None
    hearing: date | None
    motif: str
    line: int = 0
    household: str = ""  # optional keyed pseudonym (column `menage`), never a name

    @property
    def end(self) -> date | None:
        """Last day of the support period: start + months (art. 641) - 1 day."""
        if self.start is None or self.months is None:
            return None
        return date.fromordinal(add_months(self.start, self.months).toordinal() - 1)


@dataclass(frozen=True)
class DocumentRecord:
    document_id: str
    mesure_id: str | None
    association: str
    type: DocumentType
    period: str | None  # AAAA-MM or AAAA
    received: date
    file: str | None
    declared: frozenset[Role]
    line: int = 0
    # `role:Nom Prénom` entries of signataires_declares: whom each role's certificate should name.
    # Compared with the signer's certificate, never printed (it may be a household's name).
    expected_signers: tuple[tuple[Role, str], ...] = ()

    def expected_signer(self, role: Role) -> str | None:
        return next((name for r, name in self.expected_signers if r is role), None)


@dataclass(frozen=True)
class EventRecord:
    """A register event; its free-text comment is dropped at loading (it may name a household)."""

    mesure_id: str
    type: EventType
    day: date
    line: int = 0


@dataclass(frozen=True)
class OccupancyRecord:
    """One row of the optional occupation.csv: days a housing was occupied in a month."""

    association: str
    measure: Measure
    housing: str
    month: tuple[int, int]
    days: int
    line: int = 0


@dataclass(frozen=True)
class Submission:
    measures: tuple[MeasureRecord, ...]
    documents: tuple[DocumentRecord, ...]
    events: tuple[EventRecord, ...]
    occupancy: tuple[OccupancyRecord, ...] = ()


# --- What the received files show (engine.signatures, engine.checker.evidence) ---------------

class FileStatus(Enum):
    READ = "read"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class SignatureEvidence:
    """One signature field of a PDF. `problem` is None when the signature is intact and covers
    the document (later changes limited to form filling and further signatures)."""

    field: str
    role: Role | None
    signed: bool
    problem: str | None = None
    trusted: bool = False
    signer: str | None = None  # never printed in reports: it may be a household member's name
    signed_at: datetime | None = None
    doubt: str | None = None  # intact but not trusted: why, in French (a warning, not an error)
    judged_at: datetime | None = None  # the moment the certificate was judged at
    judged_by: str | None = None  # what that moment is: « horodatage » or « date de réception »


@dataclass(frozen=True)
class FileEvidence:
    status: FileStatus
    reason: str | None = None
    signatures: tuple[SignatureEvidence, ...] = ()

    def fields_for(self, role: Role) -> tuple[SignatureEvidence, ...]:
        return tuple(s for s in self.signatures if s.role is role)


# --- The result ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One line of the report, exactly the fields of the `fsl check --json` contract."""

    rule: str
    severity: Severity
    association: str
    mesure_id: str | None
    document_id: str | None
    message: str
    due: date | None
    received: date | None
    days_late: int | None
    evidence: Evidence
    source: str

    def sort_key(self) -> tuple:
        return (self.association, self.mesure_id or "", self.rule, str(self.due or ""),
                self.document_id or "", self.message)
