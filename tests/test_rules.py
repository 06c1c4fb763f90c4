"""The rules sets as data, and each kind of check on small hand-made registers (no files, no clock)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from engine.calendar import Counting, holiday_calendar
from engine.checker.evaluate import evaluate
from engine.checker.ruleset import RULES_DIR, build_ruleset, load_ruleset
from engine.errors import InputErrors
from engine.load.yamlfile import parse_yaml
from engine.rules import (
    Check,
    DocumentRecord,
    DocumentType,
    EventRecord,
    EventType,
    Evidence,
    FileEvidence,
    FileStatus,
    Measure,
    MeasureRecord,
    Role,
    SignatureEvidence,
    Submission,
)

AS_OF = date(2026, 11, 22)
PDC = load_ruleset("pas-de-calais")
CEA = load_ruleset("cea")
FRANCE, ALSACE = holiday_calendar("FR"), holiday_calendar("FR", "6AE")
DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "spec" / "DOMAIN.md"
ALL_ROLES = frozenset({Role.MENAGE, Role.INSTRUCTEUR, Role.ASSOCIATION})


def measure(mesure_id="M-1", dispositif=Measure.ASLL, kind="GSL", decision=date(2026, 2, 16),
            start=date(2026, 3, 1), months=6, renews=None, hearing=None, motif="", association="acarlogi"):
    return MeasureRecord(mesure_id=mesure_id, association=association, measure=dispositif, kind=kind,
                         territory="lens-lievin", decision=decision, start=start, months=months,
                         renews=renews, hearing=hearing, motif=motif)


def doc(document_id="D-1", mesure_id="M-1", kind=DocumentType.CET, received=date(2026, 3, 10),
        declared=ALL_ROLES, period=None, file=None, association="acarlogi"):
    return DocumentRecord(document_id=document_id, mesure_id=mesure_id, association=association, type=kind,
                          period=period, received=received, file=file, declared=frozenset(declared))


def event(kind: EventType, day: date, mesure_id="M-1", line=0):
    return EventRecord(mesure_id=mesure_id, type=kind, day=day, line=line)


def run(measures=(), documents=(), events=(), evidence=None, rules=PDC, as_of=AS_OF, only=None):
    holidays = ALSACE if rules is CEA else FRANCE
    found = evaluate(rules, Submission(tuple(measures), tuple(documents), tuple(events)),
                     evidence or {}, as_of, holidays)
    return [f for f in found if only is None or f.rule in only]


# --- The rules sets ---------------------------------------------------------------------------

def test_pas_de_calais_has_every_rule_of_domain_section_4() -> None:
    ids = {r.id for r in PDC.rules}
    expected = {"ASLL-START", "ASLL-DURATION", "ASLL-CET", "ASLL-BILAN-FINAL", "ASLL-BILAN-INTER",
                "ASLL-PORTES-CLOSES", "ASLL-INDISPO", "ASLL-VISITS", "ASLL-CUMUL", "AML-ACCORD",
                "AML-DURATION", "AML-CTEOP", "AML-BILAN-FINAL", "AML-ABSENCE", "AML-CUMUL", "AML-ECHEC",
                "FAL-DURATION", "FAL-OCCUPATION", "FAL-VACANCE", "FAL-CAP", "DSF-TRANSMISSION",
                "DSF-PORTE-CLOSE", "GLA-VACANCE", "BILAN-ANNUEL", "ABSENCE-TS", "AVENANT-SIGN",
                "AML-VISITS", "FAL-VISITS", "FAL-CUMUL", "ASLL-RENOUVELLEMENT"}
    assert ids == expected | ADDED_IDS["pas-de-calais"]
    assert {r.id for r in CEA.rules} == {"CEA-DURATION", "CEA-START", "CEA-PLAN", "CEA-BILAN", "CEA-SUIVI",
                                          "CEA-VISITS", "CEA-INTERRUPTION", "CEA-CUMUL"} | ADDED_IDS["cea"]


ADDED_IDS: dict[str, set[str]] = {
    "pas-de-calais": {"ASLL-CUMUL-AUTRE", "FAL-CUMUL-AUTRE", "AML-RENOUVELLEMENT", "FAL-PROLONGATION",
                      "AML-CONCERTATION", "ASLL-INDISPO-SLISL", "FAL-VACANCE-JUSTIFICATIF",
                      "GLA-VISITE-RELOGEMENT", "GLA-VISITE-TECHNIQUE", "GLA-CAPTATION"},
    "cea": {"CEA-INTERRUPTION-INFO", "CEA-SUSPENSION-ACCORD", "CEA-NON-ADHESION"},
}
"""Rules the seeds state that DOMAIN.md section 4 has no row for yet. The five added by issue 13
(AML-VISITS, FAL-VISITS, FAL-CUMUL, ASLL-RENOUVELLEMENT, CEA-CUMUL) now have their rows there."""


@pytest.mark.skipif(not DOMAIN.exists(), reason="spec/DOMAIN.md absent de cette machine")
def test_rule_ids_match_the_domain_table() -> None:
    section = DOMAIN.read_text(encoding="utf-8").split("## 4.")[1].split("\n## ")[0]
    in_spec = set(re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", section, flags=re.MULTILINE))
    added = set().union(*ADDED_IDS.values())
    assert in_spec == ({r.id for r in PDC.rules} | {r.id for r in CEA.rules}) - added


def test_every_rule_names_its_source_and_manual_rules_say_why() -> None:
    for rule in PDC.rules + CEA.rules:
        assert re.match(r"00[0-4]", rule.source), rule.id
        assert rule.check is not Check.MANUEL or rule.reason


def test_holiday_calendars_are_settings() -> None:
    assert (PDC.country, PDC.subdivision) == ("FR", None)
    assert (CEA.country, CEA.subdivision) == ("FR", "6AE")


def test_interpretation_is_a_setting_end_of_following_month() -> None:
    """DOMAIN.md: the alternative reading of « dans le mois qui suit » is one line of YAML away."""
    text = (RULES_DIR / "pas-de-calais.yaml").read_text(encoding="utf-8")
    changed = text.replace("      ancre: decision\n      delai: 1\n      decompte: mois",
                           "      ancre: decision\n      delai: 1\n      decompte: fin_de_mois", 1)
    assert changed != text
    rules = build_ruleset(parse_yaml(changed, RULES_DIR / "variante.yaml"))
    cet = next(r for r in rules.rules if r.id == "ASLL-CET")
    assert cet.deadline.counting is Counting.END_OF_MONTH
    found = run([measure()], [doc(received=date(2026, 3, 20))], rules=rules, only={"ASLL-CET"})
    assert found == []  # due 31 March under that reading, so 20 March is on time


def test_duplicate_rule_is_refused_with_its_line() -> None:
    text = (RULES_DIR / "cea.yaml").read_text(encoding="utf-8")
    doubled = text.replace("    condition: non_renouvelee\n", "    condition: renouvelee\n")
    with pytest.raises(InputErrors) as caught:
        build_ruleset(parse_yaml(doubled, Path("cea.yaml")))
    assert "CEA-BILAN" in str(caught.value) and "cea.yaml:" in str(caught.value)


# --- Documents: late, missing, due soon --------------------------------------------------------

def test_cet_late_is_the_interfaces_example() -> None:
    [found] = run([measure()], [doc(received=date(2026, 3, 20))], only={"ASLL-CET"})
    assert (found.due, found.received, found.days_late) == (date(2026, 3, 16), date(2026, 3, 20), 4)
    assert found.message == "CET reçu le 2026-03-20, dû le 2026-03-16 : 4 jours de retard"
    assert found.evidence is Evidence.DECLARED and found.document_id == "D-1"
    assert found.source == "004 annexe ASLL, Le contrat d'Engagement Tripartite"


def test_cet_due_date_moves_to_monday_after_weekend() -> None:
    [found] = run([measure(decision=date(2026, 1, 31))], [], only={"ASLL-CET"})
    assert found.due == date(2026, 3, 2) and found.document_id is None
    assert found.days_late == (AS_OF - date(2026, 3, 2)).days


def test_cet_due_within_alert_window_is_a_warning() -> None:
    [found] = run([measure(decision=date(2026, 10, 30), start=date(2026, 11, 1))], [],
                  only={"ASLL-CET"})
    assert found.severity.value == "warning" and found.due == date(2026, 11, 30)


def test_document_received_after_as_of_is_not_seen() -> None:
    late_doc = doc(received=date(2026, 3, 20))
    [found] = run([measure()], [late_doc], as_of=date(2026, 3, 18), only={"ASLL-CET"})
    assert found.days_late == 2 and found.document_id is None


def test_bilan_final_backwards_deadline_is_not_moved() -> None:
    m = measure(start=date(2025, 10, 1), months=6, decision=date(2025, 9, 10))  # ends 31 March 2026
    [found] = run([m], [], only={"ASLL-BILAN-FINAL"})
    assert found.due == date(2026, 2, 28)  # a Saturday, kept


def test_bilan_intermediaire_optional_but_signed_by_household() -> None:
    assert run([measure()], [], only={"ASLL-BILAN-INTER"}) == []
    unsigned = doc(kind=DocumentType.BILAN_INTERMEDIAIRE, declared={Role.ASSOCIATION})
    [found] = run([measure()], [unsigned], only={"ASLL-BILAN-INTER"})
    assert "ménage" in found.message and found.evidence is Evidence.DECLARED


def test_dsf_ten_days_before_hearing_and_closed_door_exemption() -> None:
    dsf = measure(dispositif=Measure.DSF, kind="", decision=None, start=None, months=None,
                  hearing=date(2026, 5, 11))
    [found] = run([dsf], [doc(kind=DocumentType.DSF, received=date(2026, 5, 4), declared=())],
                  only={"DSF-TRANSMISSION"})
    assert (found.due, found.days_late) == (date(2026, 5, 1), 3)
    doors = [event(EventType.PORTE_CLOSE, date(2026, 4, 10)), event(EventType.PORTE_CLOSE, date(2026, 4, 17))]
    assert run([dsf], [], doors, only={"DSF-TRANSMISSION", "DSF-PORTE-CLOSE"}) == []
    [one] = run([dsf], [], doors[:1], only={"DSF-TRANSMISSION", "DSF-PORTE-CLOSE"})
    assert one.rule == "DSF-PORTE-CLOSE"


# --- Signatures --------------------------------------------------------------------------------

def test_missing_declared_signature() -> None:
    [found] = run([measure()], [doc(declared={Role.MENAGE, Role.ASSOCIATION})], only={"ASLL-CET"})
    assert found.message == "CET : signature de l'instructeur absente (déclaré)"
    assert found.evidence is Evidence.DECLARED


def test_pdf_signature_field_overrides_the_declaration() -> None:
    evidence = {"D-1": FileEvidence(FileStatus.READ, signatures=(
        SignatureEvidence("sig_menage", Role.MENAGE, signed=False),
        SignatureEvidence("sig_instructeur", Role.INSTRUCTEUR, signed=True, trusted=True),
        SignatureEvidence("sig_association", Role.ASSOCIATION, signed=True, trusted=True)))}
    [found] = run([measure()], [doc(file="D-1.pdf")], evidence=evidence, only={"ASLL-CET"})
    assert found.evidence is Evidence.SIGNATURE and "ménage" in found.message


def test_broken_signature_is_an_error_and_untrusted_a_warning() -> None:
    evidence = {"D-1": FileEvidence(FileStatus.READ, signatures=(
        SignatureEvidence("sig_menage", Role.MENAGE, signed=True, problem="empreinte incorrecte"),
        SignatureEvidence("sig_instructeur", Role.INSTRUCTEUR, signed=True),
        SignatureEvidence("Sig1", None, signed=True)))}
    found = run([measure()], [doc(file="D-1.pdf")], evidence=evidence, only={"ASLL-CET"})
    assert [(f.severity.value, f.evidence) for f in found] == [
        ("error", Evidence.SIGNATURE), ("warning", Evidence.SIGNATURE)]
    assert "« sig_menage » : empreinte incorrecte" in found[0].message
    assert "« sig_instructeur », « Sig1 »" in found[1].message


def test_unreadable_file_is_its_own_finding_and_declared_signatures_stand() -> None:
    evidence = {"D-1": FileEvidence(FileStatus.UNREADABLE, reason="PDF protégé par un mot de passe")}
    only = {"FICHIER-ILLISIBLE", "ASLL-CET"}
    [found] = run([measure()], [doc(file="D-1.pdf")], evidence=evidence, only=only)
    assert found.rule == "FICHIER-ILLISIBLE" and found.evidence is Evidence.FILE
    assert "mot de passe" in found.message


def test_avenant_signed_by_departement_and_association() -> None:
    avenant = doc(mesure_id=None, kind=DocumentType.AVENANT, period="2026", declared={Role.DEPARTEMENT})
    [found] = run([], [avenant], only={"AVENANT-SIGN"})
    assert "association" in found.message and found.mesure_id is None


# --- Start, durations, overlaps, cap -------------------------------------------------------------

def test_start_first_of_following_month_or_retroactive() -> None:
    assert run([measure()], only={"ASLL-START"}) == []
    [late] = run([measure(start=date(2026, 4, 1))], only={"ASLL-START"})
    assert late.due == date(2026, 3, 1)
    assert run([measure(start=date(2026, 1, 1), motif="sortie_chrs")], only={"ASLL-START"}) == []
    assert run([measure(start=date(2026, 1, 15), motif="sortie_chrs")], only={"ASLL-START"})


def test_cea_start_within_the_first_month() -> None:
    assert run([measure(start=date(2026, 3, 20))], rules=CEA, only={"CEA-START"}) == []
    assert run([measure(start=date(2026, 4, 1))], rules=CEA, only={"CEA-START"})


def test_asll_chain_over_24_months_is_flagged_once() -> None:
    chain = [measure("M-1", start=date(2024, 8, 1), months=12, decision=date(2024, 7, 1)),
             measure("M-2", start=date(2025, 8, 1), months=12, renews="M-1"),
             measure("M-3", start=date(2026, 8, 1), months=3, renews="M-2"),
             measure("M-4", start=date(2026, 11, 1), months=3, renews="M-3")]
    found = run(chain, only={"ASLL-DURATION"})
    assert [(f.mesure_id, "27 mois" in f.message) for f in found] == [("M-3", True)]


def test_aml_ranks_and_fal_motif() -> None:
    aml = [measure(f"A-{i}", Measure.AML, "simple", None, date(2024, 1, 1), months,
                   f"A-{i - 1}" if i > 1 else None) for i, months in enumerate((9, 9, 6, 3), start=1)]
    assert [f.mesure_id for f in run(aml, only={"AML-DURATION"})] == ["A-4"]
    fal = [measure("F-1", Measure.FAL, "", None, date(2026, 1, 1), 18, motif="cada"),
           measure("F-2", Measure.FAL, "", None, date(2026, 1, 1), 18)]
    assert [f.mesure_id for f in run(fal, only={"FAL-DURATION"})] == ["F-2"]


def test_relay_overlap_allowed_three_months_for_aml_only() -> None:
    asll = measure("M-1", start=date(2026, 1, 1), months=12)
    relay = measure("A-1", Measure.AML, "simple", None, date(2026, 10, 1), 9, renews="M-1")
    assert run([asll, relay], only={"AML-CUMUL"}) == []
    early = dataclasses.replace(relay, start=date(2026, 7, 1))
    [found] = run([asll, early], only={"AML-CUMUL"})
    assert found.due == date(2027, 1, 1) and "184 jours" in found.message
    renewal = measure("M-2", start=date(2026, 12, 1), months=6, renews="M-1")
    assert run([asll, renewal], only={"ASLL-CUMUL"})


def test_fal_cap_counts_measures_running_the_same_day() -> None:
    fals = [measure(f"F-{i}", Measure.FAL, "", None, date(2026, 1, 1), 12) for i in range(31)]
    [found] = run(fals, only={"FAL-CAP"})
    assert found.due == date(2026, 1, 1) and found.message.startswith("31 mesures FAL")
    assert run(fals[:30], only={"FAL-CAP"}) == []


# --- Events --------------------------------------------------------------------------------------

def test_two_closed_doors_then_slisl_within_five_working_days() -> None:
    doors = [event(EventType.PORTE_CLOSE, date(2026, 4, 28), line=1),
             event(EventType.PORTE_CLOSE, date(2026, 4, 30), line=2)]
    on_time = [*doors, event(EventType.NOTIFICATION_SLISL, date(2026, 5, 11), line=3)]
    assert run([measure()], [], on_time, only={"ASLL-PORTES-CLOSES"}) == []
    late = [*doors, event(EventType.NOTIFICATION_SLISL, date(2026, 5, 12), line=3)]
    [found] = run([measure()], [], late, only={"ASLL-PORTES-CLOSES"})
    assert (found.due, found.days_late) == (date(2026, 5, 11), 1)
    broken = [doors[0], event(EventType.VISITE, date(2026, 4, 29)), doors[1]]
    assert run([measure()], [], broken, only={"ASLL-PORTES-CLOSES"}) == []


def test_suspension_beyond_a_quarter() -> None:
    long = [event(EventType.SUSPENSION, date(2026, 4, 10))]
    [found] = run([measure(months=12)], [], long, only={"ASLL-INDISPO"})
    assert found.due == date(2026, 7, 10)
    back = [*long, event(EventType.REPRISE, date(2026, 6, 1))]
    assert run([measure(months=12)], [], back, only={"ASLL-INDISPO"}) == []


def test_visits_per_month_a_month_without_visit_counts_zero() -> None:
    m = measure(kind="ASL", start=date(2026, 3, 1), months=3)
    visits = [event(EventType.VISITE, date(2026, 3, d)) for d in (3, 17)]
    visits += [event(EventType.VISITE, date(2026, 4, 9))]
    visits += [event(EventType.VISITE, date(2026, 5, d)) for d in (5, 20)]
    [found] = run([m], [], visits, only={"ASLL-VISITS"})
    assert found.message.startswith("2026-04 : 1 visite à domicile pour 2 attendues")
    [none] = run([m], [], [], only={"ASLL-VISITS"})
    assert none.message.startswith(
        "2026-03 : 0 visite à domicile pour 2 attendues (ASL) ; 2026-04 : 0 visite")


def test_aml_absence_two_months_then_activity() -> None:
    m = measure(dispositif=Measure.AML, kind="simple", start=date(2026, 1, 1), months=9)
    visits = [event(EventType.VISITE, date(2026, mo, 10)) for mo in (1, 4, 5)]
    [found] = run([m], [], visits, only={"AML-ABSENCE"})
    assert found.due == date(2026, 3, 31)


# --- Periodic documents ---------------------------------------------------------------------------

def test_fal_occupation_table_due_end_of_following_month() -> None:
    fal = measure(dispositif=Measure.FAL, kind="", decision=None, start=date(2026, 9, 1), months=12)
    found = run([fal], [], only={"FAL-OCCUPATION"})
    assert [(f.due, f.severity.value, "2026-09" in f.message) for f in found] == [
        (date(2026, 11, 2), "error", True), (date(2026, 11, 30), "warning", False)]  # 31/10 Sat, 1/11 holiday


def test_activity_grid_by_first_february_extended() -> None:
    m = measure(start=date(2025, 9, 1), months=6, decision=date(2025, 8, 5))
    [found] = run([m], [], only={"BILAN-ANNUEL"})
    assert found.due == date(2026, 2, 2) and found.mesure_id is None and "2025" in found.message


def test_cea_bilan_depends_on_renewal_and_semester_table() -> None:
    first = measure("M-1", start=date(2026, 1, 1), months=6, decision=date(2025, 12, 10))
    renewed = measure("M-2", start=date(2026, 7, 1), months=6, renews="M-1")
    found = run([first, renewed], rules=CEA, only={"CEA-BILAN"})
    assert [(f.mesure_id, f.due) for f in found] == [("M-1", date(2026, 6, 30))]
    alone = run([first], rules=CEA, only={"CEA-BILAN"})
    assert [f.due for f in alone] == [date(2026, 7, 30)]
    suivi = run([first], rules=CEA, only={"CEA-SUIVI"})
    assert [f.due for f in suivi] == [date(2026, 6, 30)]


def test_cea_plan_uses_alsace_holidays() -> None:
    m = measure(start=date(2025, 11, 26), months=6, decision=date(2025, 10, 20))
    [found] = run([m], [doc(kind=DocumentType.PLAN_INTERVENTION, received=date(2025, 12, 30))],
                  rules=CEA, only={"CEA-PLAN"})
    assert found.due == date(2025, 12, 29)  # 26 December is a holiday in Alsace-Moselle


def test_trusted_certificates_are_read_beside_the_rules(tmp_path: Path) -> None:
    from engine.checker.examples.pki import ca_pem, make_kit

    kit = make_kit({"menage": "X"})
    (tmp_path / "ac.pem").write_bytes(ca_pem(kit))
    text = (RULES_DIR / "cea.yaml").read_text(encoding="utf-8")
    text = text.replace("controle_depuis: 2024-01-01",
                        "controle_depuis: 2024-01-01\ncertificats_confiance: [ac.pem]")
    rules = build_ruleset(parse_yaml(text, tmp_path / "cea.yaml"))
    assert rules.trust_roots == (kit.ca_der,)
    with pytest.raises(InputErrors) as caught:
        build_ruleset(parse_yaml(text.replace("ac.pem", "absent.pem"), tmp_path / "cea.yaml"))
    assert "certificat « absent.pem » introuvable" in str(caught.value)


def test_broken_signature_on_a_document_no_rule_expects() -> None:
    dsf = measure(dispositif=Measure.DSF, kind="", decision=None, start=None, months=None,
                  hearing=date(2026, 5, 11))
    stray = doc(kind=DocumentType.CET, received=date(2026, 4, 20), file="D-1.pdf")
    evidence = {"D-1": FileEvidence(FileStatus.READ, signatures=(
        SignatureEvidence("sig_menage", Role.MENAGE, signed=True, problem="empreinte incorrecte"),))}
    [found] = run([dsf], [stray], evidence=evidence, only={"FICHIER-ILLISIBLE"})
    assert found.evidence is Evidence.SIGNATURE and "aucune règle n'attend" in found.message
    intact = {"D-1": FileEvidence(FileStatus.READ, signatures=(
        SignatureEvidence("sig_menage", Role.MENAGE, signed=True),))}
    assert run([dsf], [stray], evidence=intact, only={"FICHIER-ILLISIBLE"}) == []


def test_a_delay_sans_tarder_is_the_rules_set_reading(tmp_path) -> None:
    """004 annexe ASLL « prévenir sans tarder le SLISL »: no number in the text; the delay is the
    `sans_tarder:` parameter, and a rule using it without the parameter is a located error."""
    text = (RULES_DIR / "pas-de-calais.yaml").read_text(encoding="utf-8")
    rule = next(r for r in PDC.rules if r.id == "ASLL-INDISPO-SLISL")
    assert (rule.deadline.offset, rule.deadline.counting.value) == (5, "jours_ouvres")
    assert "lu comme 5 jours ouvrés" in rule.deadline.reading
    longer = tmp_path / "longer.yaml"
    longer.write_text(text.replace("sans_tarder:\n  delai: 5", "sans_tarder:\n  delai: 2"), encoding="utf-8")
    longer_rule = next(r for r in load_ruleset(str(longer)).rules if r.id == "ASLL-INDISPO-SLISL")
    assert longer_rule.deadline is not None and longer_rule.deadline.offset == 2
    missing = tmp_path / "missing.yaml"
    start = text.index("sans_tarder:\n  delai")
    end = text.index("# Autorités de certification")
    missing.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        load_ruleset(str(missing))
    assert any(e.field.endswith("echeance.sans_tarder") and "sans_tarder:" in e.message
               for e in raised.value.errors)
