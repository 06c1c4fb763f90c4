"""The rules issue 13 adds (004 and 001), each with a case that breaks it and one that does not."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from engine.checker.evaluate import evaluate
from engine.checker.registry import load_submission
from engine.checker.supports import months_due
from engine.errors import InputErrors
from engine.rules import EventType, Measure, OccupancyRecord, Submission
from tests.test_rules import AS_OF, CEA, FRANCE, PDC, event, measure, run


def _visits(mesure_id: str, months: list[tuple[int, int]], per_month: int) -> list:
    return [event(EventType.VISITE, date(y, m, 3 + 7 * i), mesure_id)
            for y, m in months for i in range(per_month)]


@pytest.mark.parametrize("dispositif,rule", [(Measure.AML, "AML-VISITS"), (Measure.FAL, "FAL-VISITS")])
def test_aml_and_fal_at_least_two_visits_a_month(dispositif, rule) -> None:
    m = measure(dispositif=dispositif, kind="", start=date(2026, 3, 1), months=6)
    months = [(2026, n) for n in range(3, 9)]
    assert run([m], events=_visits("M-1", months, 2), only={rule}) == []
    found = run([m], events=_visits("M-1", months[:2], 2) + _visits("M-1", months[2:], 1), only={rule})
    [one] = found  # one finding per measure, listing the months
    assert [part[:7] for part in one.message.split(" ; ")] == ["2026-05", "2026-06", "2026-07", "2026-08"]
    [none] = run([m], only={rule})  # no recorded visit: zero visits every month
    assert none.message.count("0 visite à domicile pour 2 attendues") == 6


def test_household_overlap_through_the_keyed_pseudonym() -> None:
    fal = dataclasses.replace(measure("M-1", Measure.FAL, kind="", start=date(2026, 1, 1), months=12),
                              household="h-7f3a")
    asll = dataclasses.replace(measure("M-2", start=date(2026, 6, 1), decision=date(2026, 5, 20)),
                               household="h-7f3a")
    found = run([fal, asll], only={"FAL-CUMUL", "ASLL-CUMUL"})
    assert sorted((f.rule, f.mesure_id) for f in found) == [("ASLL-CUMUL", "M-2"), ("FAL-CUMUL", "M-1")]
    assert all("même ménage (pseudonyme) que" in f.message and "h-7f3a" not in f.message for f in found)
    other = dataclasses.replace(asll, household="h-0000")
    assert run([fal, other], only={"FAL-CUMUL", "ASLL-CUMUL"}) == []
    later = dataclasses.replace(asll, start=date(2027, 1, 1), decision=date(2026, 12, 10))
    assert run([fal, later], only={"FAL-CUMUL", "ASLL-CUMUL"}) == []


def test_household_overlap_of_two_fal_reported_once_on_the_later() -> None:
    first = dataclasses.replace(measure("M-1", Measure.FAL, kind="", start=date(2026, 1, 1), months=12),
                                household="h-1")
    second = dataclasses.replace(measure("M-2", Measure.FAL, kind="", start=date(2026, 4, 1), months=12),
                                 household="h-1")
    [found] = run([first, second], only={"FAL-CUMUL"})
    assert found.mesure_id == "M-2" and "275 jours" in found.message


def test_aml_relay_with_same_household_three_months_at_most() -> None:
    asll = dataclasses.replace(measure("M-1", start=date(2026, 1, 1), months=6), household="h-1")
    short = dataclasses.replace(measure("M-2", Measure.AML, kind="simple", start=date(2026, 5, 1), months=9),
                                household="h-1")
    assert run([asll, short], only={"AML-CUMUL"}) == []
    long = dataclasses.replace(short, start=date(2026, 2, 1))
    [found] = run([asll, long], only={"AML-CUMUL"})
    assert found.mesure_id == "M-2" and "relais de 3 mois au plus" in found.message


def test_asll_renewal_needs_a_request() -> None:
    first = measure("M-1", start=date(2025, 9, 1), months=6, decision=date(2025, 8, 10))
    renewal = measure("M-2", start=date(2026, 3, 1), months=6, decision=date(2026, 2, 16), renews="M-1")
    [found] = run([first, renewal], only={"ASLL-RENOUVELLEMENT"})
    assert found.mesure_id == "M-2" and found.due == date(2026, 2, 16)
    asked = [event(EventType.DEMANDE_RENOUVELLEMENT, date(2026, 1, 20), "M-1")]
    assert run([first, renewal], events=asked, only={"ASLL-RENOUVELLEMENT"}) == []
    too_late = [event(EventType.DEMANDE_RENOUVELLEMENT, date(2026, 2, 20), "M-2")]
    assert len(run([first, renewal], events=too_late, only={"ASLL-RENOUVELLEMENT"})) == 1


def test_social_worker_absent_more_than_21_working_days() -> None:
    m = measure(start=date(2026, 3, 1), months=12)
    away = event(EventType.ABSENCE_TRAVAILLEUR_SOCIAL, date(2026, 4, 1))
    back_in_time = event(EventType.VISITE, date(2026, 4, 28))  # 18 working days (Easter Monday off)
    assert run([m], events=[away, back_in_time], only={"ABSENCE-TS"}) == []
    back_late = event(EventType.VISITE, date(2026, 5, 20))
    [found] = run([m], events=[away, back_late], only={"ABSENCE-TS"})
    assert "plus de 21" in found.message and found.due == date(2026, 5, 4)
    told = event(EventType.NOTIFICATION_SLISL, date(2026, 5, 5))
    assert run([m], events=[away, told, back_late], only={"ABSENCE-TS"}) == []


def test_gla_commercial_vacancy_two_months_at_most() -> None:
    def occupancy(days_by_month: dict[tuple[int, int], int]) -> Submission:
        rows = tuple(OccupancyRecord("acarlogi", Measure.GLA, "L-9", month, days)
                     for month, days in days_by_month.items())
        return Submission((), (), (), rows)

    two = {(2026, 1): 31, (2026, 2): 0, (2026, 3): 0, (2026, 4): 12}
    assert evaluate(PDC, occupancy(two), {}, AS_OF, FRANCE) == []
    three = {(2026, 1): 31, (2026, 2): 0, (2026, 3): 0, (2026, 4): 0, (2026, 5): 30}
    [found] = [f for f in evaluate(PDC, occupancy(three), {}, AS_OF, FRANCE) if f.rule == "GLA-VACANCE"]
    assert "L-9 vacant 3 mois de suite (de 2026-02 à 2026-04)" in found.message
    gap = {(2026, 2): 0, (2026, 3): 0, (2026, 5): 0}  # a month missing from the file breaks the run
    assert evaluate(PDC, occupancy(gap), {}, AS_OF, FRANCE) == []


def test_cea_interruption_month_begun_beyond_the_15th_is_due() -> None:
    assert months_due(date(2026, 3, 1), date(2026, 5, 16), 15) == 3
    assert months_due(date(2026, 3, 1), date(2026, 5, 15), 15) == 2
    m = measure(start=date(2026, 3, 1), months=6, decision=date(2026, 2, 10))
    [found] = run([m], events=[event(EventType.INTERRUPTION, date(2026, 5, 16))], rules=CEA,
                  only={"CEA-INTERRUPTION"})
    assert found.severity.value == "warning" and "3 mois dus sur 6" in found.message
    [outside] = run([m], events=[event(EventType.INTERRUPTION, date(2026, 10, 1))], rules=CEA,
                    only={"CEA-INTERRUPTION"})
    assert outside.severity.value == "error"
    assert run([m], rules=CEA, only={"CEA-INTERRUPTION"}) == []


def test_cea_no_overlap_with_avdl_masp_and_others() -> None:
    m = measure(start=date(2026, 3, 1), months=6, decision=date(2026, 2, 10))
    assert run([m], rules=CEA, only={"CEA-CUMUL"}) == []
    [by_motif] = run([dataclasses.replace(m, motif="masp")], rules=CEA, only={"CEA-CUMUL"})
    assert "MASP" in by_motif.message
    [by_event] = run([m], events=[event(EventType.AUTRE_ACCOMPAGNEMENT, date(2026, 4, 2))], rules=CEA,
                     only={"CEA-CUMUL"})
    assert by_event.due == date(2026, 4, 2)
    assert run([m], events=[event(EventType.AUTRE_ACCOMPAGNEMENT, date(2026, 9, 2))], rules=CEA,
               only={"CEA-CUMUL"}) == []


def test_cea_duration_by_kind_three_or_six_months() -> None:
    access = measure(kind="acces", start=date(2026, 3, 1), months=3, decision=date(2026, 2, 10))
    assert run([access], rules=CEA, only={"CEA-DURATION"}) == []
    [found] = run([dataclasses.replace(access, months=6)], rules=CEA, only={"CEA-DURATION"})
    assert found.severity.value == "warning" and "« acces » : 3 mois" in found.message
    keeping = dataclasses.replace(access, kind="maintien", months=6)
    assert run([keeping], rules=CEA, only={"CEA-DURATION"}) == []
    assert len(run([dataclasses.replace(keeping, months=4)], rules=CEA, only={"CEA-DURATION"})) == 1


# --- The register: optional `menage`, occupation.csv, unknown events --------------------------

HEADER = ("mesure_id;association;dispositif;type;territoire;date_decision;date_debut;duree_mois;"
          "renouvellement_de;date_audience;motif")


def _folder(tmp_path: Path, measures: str, events: str = "", occupancy: str | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mesures.csv").write_text(measures, encoding="utf-8")
    (tmp_path / "documents.csv").write_text(
        "document_id;mesure_id;association;type_document;periode;date_reception;fichier;signataires_declares\n",
        encoding="utf-8")
    (tmp_path / "evenements.csv").write_text("mesure_id;type_evenement;date;commentaire\n" + events,
                                             encoding="utf-8")
    if occupancy is not None:
        (tmp_path / "occupation.csv").write_text(
            "association;dispositif;logement_id;mois;jours_occupes\n" + occupancy, encoding="utf-8")
    return tmp_path


def test_menage_column_is_optional_and_read(tmp_path: Path) -> None:
    row = "M-1;acarlogi;FAL;;;;2026-01-01;12;;;"
    plain = load_submission(_folder(tmp_path / "a", f"{HEADER}\n{row}\n"))
    assert plain.measures[0].household == ""
    keyed = load_submission(_folder(tmp_path / "b", f"{HEADER};menage\n{row};h-7f3a\n"))
    assert keyed.measures[0].household == "h-7f3a"


def test_unknown_event_type_is_an_error_naming_the_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path, f"{HEADER}\nM-1;acarlogi;FAL;;;;2026-01-01;12;;;\n",
                     "M-1;visite;2026-02-03;\nM-1;absence_ts;2026-02-04;\n")
    with pytest.raises(InputErrors) as caught:
        load_submission(folder)
    text = str(caught.value)
    assert "evenements.csv:3" in text and "absence_ts" in text and "absence_travailleur_social" in text


def test_occupation_csv_is_read_and_checked(tmp_path: Path) -> None:
    good = _folder(tmp_path / "a", f"{HEADER}\n",
                   occupancy="acarlogi;GLA;L-1;2026-02;0\nacarlogi;GLA;L-1;2026-03;31\n")
    assert [r.month for r in load_submission(good).occupancy] == [(2026, 2), (2026, 3)]
    bad = _folder(tmp_path / "b", f"{HEADER}\n", occupancy="acarlogi;ASLL;L-1;2026-13;40\n")
    with pytest.raises(InputErrors) as caught:
        load_submission(bad)
    assert "occupation.csv:2" in str(caught.value) and "mois" in str(caught.value)


def test_no_finding_names_the_pseudonym() -> None:
    fal = dataclasses.replace(measure("M-1", Measure.FAL, kind="", start=date(2026, 1, 1), months=12),
                              household="h-secret")
    asll = dataclasses.replace(measure("M-2", start=date(2026, 6, 1), decision=date(2026, 5, 20)),
                               household="h-secret")
    assert all("h-secret" not in f.message for f in run([fal, asll]))


# --- A small CeA register, checked whole with `--regles cea`: exactly the injected findings ----

CEA_MEASURES = [  # mesure_id, type, duree_mois, motif
    ("C-1", "acces", 3, ""), ("C-2", "acces", 6, ""), ("C-3", "maintien", 6, "masp"),
    ("C-4", "maintien", 6, ""), ("C-5", "maintien", 6, "")]
CEA_EVENTS = [("C-4", "interruption", "2026-05-20"), ("C-4", "notification_service_logement", "2026-05-21"),
              ("C-5", "autre_accompagnement", "2026-04-15"),
              ("C-1", "autre_accompagnement", "2026-07-15")]  # after C-1's end: no overlap
CEA_EVENTS += [(i, "visite", f"2026-{m:02d}-{d:02d}")  # 2 visits a month: CEA-VISITS kept
               for i, *_ in [("C-1",), ("C-2",), ("C-3",), ("C-4",), ("C-5",)]
               for m in (3, 4, 5) for d in (5, 19)]
CEA_EXPECTED = {
    ("CEA-DURATION", "warning", "C-2", None, "« acces » : 3 mois"),
    ("CEA-CUMUL", "error", "C-3", None, "MASP"),
    ("CEA-INTERRUPTION", "warning", "C-4", "2026-05-20", "3 mois dus sur 6"),
    ("CEA-CUMUL", "error", "C-5", "2026-04-15", "autre accompagnement déclaré le 2026-04-15"),
}


def test_cea_register_gives_exactly_its_injected_findings(tmp_path: Path) -> None:
    import contextlib
    import io
    import json

    from engine.cli import main

    measures = "".join(f"{i};bas-rhin-asso;ASLL;{k};;2026-02-10;2026-03-01;{n};;;{m}\n"
                       for i, k, n, m in CEA_MEASURES)
    events = "".join(f"{i};{t};{d};\n" for i, t, d in CEA_EVENTS)
    folder = _folder(tmp_path / "cea", f"{HEADER}\n{measures}", events)
    plans = "".join(f"P-{i};{i};bas-rhin-asso;plan_intervention;;2026-03-20;;menage|instructeur|association\n"
                    for i, *_ in CEA_MEASURES)
    with (folder / "documents.csv").open("a", encoding="utf-8") as handle:
        handle.write(plans)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["check", str(folder), "--as-of", "2026-06-10", "--regles", "cea", "--json"])
    found = json.loads(out.getvalue())["findings"]
    assert status == 1
    got = {(f["rule"], f["severity"], f["mesure_id"], f["due"]) for f in found}
    assert got == {e[:4] for e in CEA_EXPECTED} and len(found) == len(CEA_EXPECTED)
    for rule, _, mesure_id, _, words in CEA_EXPECTED:
        assert any(f["rule"] == rule and f["mesure_id"] == mesure_id and words in f["message"] for f in found)
