"""The letters a settlement leads to, and why a letter is still a draft (PROJET).

Pure: settlements, the amendments known to be signed and the dates given in, letters out; the
prose is in templates/lettre_solde.yaml. What the law asks of them (issue 18):
- a refund withdraws part of a subsidy: a decision to motivate (CRPA L.211-2), taken only after
  the association was invited to present its observations (L.121-1, L.122-1): a « lettre
  préalable » first, then the decision, never before the delay is over;
- every decision states the voies et délais de recours, without which the delay never runs
  (CJA R.421-5); a balance below the maximum is motivated the same way;
- no refund is asked of money not known to be paid: without a payment recorded the letter is a
  position saying what is missing;
- an association that sent no grid is given formal notice (mise en demeure) to send it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from engine.settlement import Settlement, Status


class LetterKind(Enum):
    PREALABLE = "prealable"  # refund intended: observations invited within the delay
    REVERSEMENT = "reversement"  # the refund decision, after the delay
    SOLDE = "solde"  # notification of the balance (a decision when it is below the maximum)
    POSITION = "position"  # no payment recorded: the position, no refund, what is missing
    MISE_EN_DEMEURE = "mise_en_demeure"  # no grid received: formal notice to send it


CODES = {LetterKind.PREALABLE: "P", LetterKind.REVERSEMENT: "R", LetterKind.SOLDE: "S",
         LetterKind.POSITION: "I", LetterKind.MISE_EN_DEMEURE: "M"}
DECISIONS = frozenset({LetterKind.REVERSEMENT, LetterKind.SOLDE})


@dataclass(frozen=True)
class LetterRules:
    """The settings of the letters (`conventions/solde.yaml`, `lettres:`), each with its source."""

    reference_prefix: str
    observation_days: int
    notice_days: int
    appeal_months: int
    court: str
    gracious_authority: str
    telerecours: str
    authorising_officer: str
    accountant: str
    grid_due: str
    sources: Mapping[str, str]


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    settlement: Settlement
    reference: str
    draft: tuple[str, ...]  # why the letter is PROJET (empty: it can be signed)
    observations_until: date | None = None  # a refund decision: end of the delay, when known
    prior_reference: str | None = None  # a refund decision: the reference of its lettre préalable

    @property
    def decision(self) -> bool:
        return self.kind in DECISIONS

    @property
    def reduced(self) -> bool:
        """A balance that does not bring the payments up to the subsidy (motivated like a refund)."""
        s = self.settlement
        return self.kind is LetterKind.SOLDE and s.base + s.balance < s.subsidy


@dataclass(frozen=True)
class LetterDates:
    """Dates given by the service: the letters' date, the day the lettres préalables were sent."""

    letters_on: date | None = None
    prior_sent: date | None = None


ESTIMATED = ("la subvention de l'association repose sur une allocation estimée, à confirmer ; "
             "les montants de cette lettre sont provisoires")
UNSIGNED = ("l'avenant {year} sur lequel elle repose n'est pas enregistré comme signé par le "
            "Département et l'association (documents.csv : type avenant, période {year})")
NO_PRIOR = ("la lettre préalable n'est pas encore envoyée : la décision ne peut être prise qu'au "
            "terme du délai de {days} jours laissé à l'association pour ses observations")
NO_DELIBERATION = ("la délibération autorisant l'avenant {year} est inconnue "
                   "(conventions/commissions/{year}.yaml absent)")
TOO_EARLY = "le délai laissé pour les observations court jusqu'au {until:%d/%m/%Y} inclus"


def letters_for(settlements: tuple[Settlement, ...], year: int, signed: Collection[str], dates: LetterDates,
                rules: LetterRules, deliberation_known: bool = True) -> tuple[Letter, ...]:
    """Every letter of the year, in the table's order (a refund: the lettre préalable, then the decision)."""
    out: list[Letter] = []
    for number, s in enumerate(settlements, start=1):
        reasons = _draft_reasons(s, year, signed)
        if not deliberation_known:
            reasons = (*reasons, NO_DELIBERATION.format(year=year))
        base = f"{rules.reference_prefix}/{year}/{number:02d}"
        out += [_letter(kind, s, base, reasons, dates, rules) for kind in kinds(s)]
    return tuple(out)


def kinds(s: Settlement) -> tuple[LetterKind, ...]:
    if s.status is Status.GRILLE_ABSENTE:
        return (LetterKind.MISE_EN_DEMEURE,)
    if not s.payment_recorded:
        return (LetterKind.POSITION,)
    if s.refund:
        return (LetterKind.PREALABLE, LetterKind.REVERSEMENT)
    return (LetterKind.SOLDE,)


def _draft_reasons(s: Settlement, year: int, signed: Collection[str]) -> tuple[str, ...]:
    reasons = [ESTIMATED] if s.estimated else []
    if s.association not in signed:
        reasons.append(UNSIGNED.format(year=year))
    return tuple(reasons)


def _letter(kind: LetterKind, s: Settlement, base: str, reasons: tuple[str, ...],
            dates: LetterDates, rules: LetterRules) -> Letter:
    """A refund decision needs the lettre préalable sent and its delay over (counted here from the
    sending, a minimum: the delay runs from receipt)."""
    until, prior = None, None
    if kind is LetterKind.REVERSEMENT:
        prior = f"{base}-{CODES[LetterKind.PREALABLE]}"
        if dates.prior_sent is None:
            reasons = (*reasons, NO_PRIOR.format(days=rules.observation_days))
        else:
            until = dates.prior_sent + timedelta(days=rules.observation_days)
            if dates.letters_on is not None and dates.letters_on <= until:
                reasons = (*reasons, TOO_EARLY.format(until=until))
    return Letter(kind, s, f"{base}-{CODES[kind]}", reasons, until, prior)
