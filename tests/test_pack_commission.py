"""The pack's data: the meeting (`commissions/YEAR.yaml`) and last year's activity
(`activite/YEAR.yaml`), schema-checked, with the business checks a schema cannot make."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from engine.errors import InputError, InputErrors
from engine.model import Measure
from engine.pack.commission import load_activity, load_commission

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pack_conventions(small_conventions: Path) -> Path:
    """The shipped 2026 meeting and 2025 activity, beside the small conventions fixture."""
    for folder in ("commissions", "activite"):
        shutil.copytree(ROOT / "conventions" / folder, small_conventions / folder)
    return small_conventions


def test_shipped_2026_meeting_is_the_one_of_004(pack_conventions: Path) -> None:
    commission = load_commission(pack_conventions, 2026)
    assert (commission.meeting.isoformat(), commission.deliberation, commission.report) == (
        "2026-05-26", "2026-173", 21)
    committee = (commission.committee_number, commission.committee_name, commission.committee_date)
    assert committee == (2, "Solidarités Humaines", date(2026, 5, 4))
    assert commission.president.nom == "Jean-Claude LEROY"
    assert commission.act_signature[1:] == ("La Directrice générale des services,", "Maryline VINCLAIRE")
    assert len(commission.vus) == 17 and commission.vus[0].startswith("le Code Général des Collectivités")


def test_shipped_2025_activity_is_the_one_of_rapport_21(pack_conventions: Path) -> None:
    activity = load_activity(pack_conventions, 2026)
    figures = (activity.year, activity.households, activity.dsf_done, activity.gla_housings)
    assert figures == (2025, 3636, 1053, 708)
    assert [(s.measure, s.households, s.begun) for s in activity.supports] == [
        (Measure.ASLL, 2887, 1387), (Measure.AML, 199, 80), (Measure.FAL, 550, 281)]


def test_activity_households_must_add_up(pack_conventions: Path) -> None:
    path = pack_conventions / "activite" / "2025.yaml"
    text = path.read_text(encoding="utf-8").replace("menages: 3636", "menages: 3637")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_activity(pack_conventions, 2026)
    [error] = caught.value.errors
    assert (error.line, error.field) == (text.splitlines().index("menages: 3637") + 1, "menages")
    assert "2 887 + 199 + 550 = 3 636" in error.message


def test_begun_measures_cannot_exceed_supported_households(pack_conventions: Path) -> None:
    path = pack_conventions / "activite" / "2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("mesures_debutees: 80", "mesures_debutees: 800"),
                    encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_activity(pack_conventions, 2026)
    assert [e.field for e in caught.value.errors] == ["accompagnements[1].mesures_debutees"]


def test_commission_schema_errors_name_line_and_field(pack_conventions: Path) -> None:
    path = pack_conventions / "commissions" / "2026.yaml"
    text = path.read_text(encoding="utf-8").replace("  date: 2026-05-26", "  date: 26/05/2026")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_commission(pack_conventions, 2026)
    [error] = caught.value.errors
    assert error.field == "reunion.date"
    assert error.line == text.splitlines().index("  date: 26/05/2026") + 1


def test_year_inside_the_file_must_match_its_name(pack_conventions: Path) -> None:
    folder = pack_conventions / "commissions"
    shutil.copy(folder / "2026.yaml", folder / "2027.yaml")
    with pytest.raises(InputError, match="année 2026 dans un fichier nommé 2027.yaml"):
        load_commission(pack_conventions, 2027)


def test_meeting_is_read_once_per_text_and_never_served_stale(pack_conventions: Path) -> None:
    """The table, the pack, the amendments and the SCDL file share one reading; an edited file
    (or a bad one) is read again."""
    first = load_commission(pack_conventions, 2026)
    assert load_commission(pack_conventions, 2026) is first
    path = pack_conventions / "commissions" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("2026-173", "2026-999"), encoding="utf-8")
    assert load_commission(pack_conventions, 2026).deliberation == "2026-999"
    path.write_text(text.replace("  date: 2026-05-26", "  date: 26/05/2026"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputErrors):
            load_commission(pack_conventions, 2026)
    path.write_text(text, encoding="utf-8")
    assert load_commission(pack_conventions, 2026) == first
