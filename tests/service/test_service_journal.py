"""The audit journal: a SHA-256 chain that `fsl journal verifier` recomputes and that names a changed row."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from engine.service import journal
from engine.service.database import open_database
from engine.service.journal import GENESIS, fingerprint, verify
from engine.service.models import JournalRow

AT = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
GOOD = "une phrase de passe longue"


def _chain(count: int) -> list[JournalRow]:
    rows, previous = [], GENESIS
    for number in range(1, count + 1):
        row = JournalRow(id=number, horodatage=journal.timestamp(AT), utilisateur="console:test",
                         action="utilisateur.ajout", objet=f"agent{number}", detail='{"role":"agent"}',
                         empreinte_precedente=previous)
        row.empreinte = previous = fingerprint(row)
        rows.append(row)
    return rows


def test_an_intact_chain_verifies():
    assert verify(_chain(3)) is None
    assert verify([]) is None


@pytest.mark.parametrize("field, value", [
    ("horodatage", "2026-12-09T09:30:00.000000Z"), ("utilisateur", "console:autre"),
    ("action", "utilisateur.desactivation"), ("objet", "agent9"), ("detail", '{"role":"responsable"}'),
])
def test_changing_any_field_of_a_row_is_named_at_that_row(field, value):
    rows = _chain(3)
    setattr(rows[1], field, value)
    broken = verify(rows)
    assert broken.row.id == 2 and "son contenu ne correspond plus à son empreinte" in broken.reason


def test_a_removed_row_breaks_the_chain_at_the_next_one():
    rows = _chain(3)
    broken = verify([rows[0], rows[2]])
    assert broken.row.id == 3 and "empreinte précédente" in broken.reason


def test_a_row_rehashed_after_a_change_still_breaks_at_the_next_one():
    rows = _chain(3)
    rows[1].detail = '{"role":"responsable"}'
    rows[1].empreinte = fingerprint(rows[1])
    assert verify(rows).row.id == 3


def _users(fsl, *logins: str) -> None:
    for login in logins:
        assert fsl("utilisateurs", "ajouter", login, "--role", "agent", "--mot-de-passe-stdin",
                   stdin=GOOD + "\n").code == 0


def test_verifier_names_the_row_whose_detail_was_changed_in_the_database(database_url, fsl):
    _users(fsl, "agent1", "agent2", "agent3")
    assert fsl("journal", "verifier").out == "Journal intact : 3 ligne(s), chaîne d'empreintes vérifiée " \
        f"jusqu'à {json.loads(fsl('journal', '--json').out)[-1]['empreinte'][:16]}….\n"
    engine = open_database(database_url).kw["bind"]
    with engine.begin() as connection:
        connection.execute(text("""UPDATE journal SET detail = '{"role":"responsable"}' WHERE id = 2"""))
    engine.dispose()
    result = fsl("journal", "verifier")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("journal : ligne 2 (")
    assert "utilisateur.ajout, agent2) : son contenu ne correspond plus à son empreinte" in result.err
    assert "Les lignes 1 à 1 sont intactes." in result.err


def test_two_rows_cannot_follow_the_same_row(database_url):
    sessions = open_database(database_url)
    with sessions.begin() as session:
        journal.append(session, at=AT, user="console:test", action="essai", target="x", detail={})
    fork = JournalRow(id=2, horodatage=journal.timestamp(AT), utilisateur="console:autre", action="essai",
                      objet="y", detail="{}", empreinte_precedente=GENESIS, empreinte="0" * 64)
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(fork)
    sessions.kw["bind"].dispose()


def test_journal_lists_in_text_and_json_and_since_a_date(database_url, fsl):
    _users(fsl, "agent1")
    assert fsl("utilisateurs", "desactiver", "agent1").code == 0
    lines = fsl("journal").out.splitlines()
    assert [line.split("  ")[3:5] for line in lines] == [["utilisateur.ajout", "agent1"],
                                                        ["utilisateur.desactivation", "agent1"]]
    rows = json.loads(fsl("journal", "--json").out)
    assert rows[1]["detail"] == {"actif": {"avant": True, "apres": False}}
    assert rows[1]["empreinte_precedente"] == rows[0]["empreinte"]
    assert rows[0]["empreinte_precedente"] == GENESIS
    today = rows[0]["horodatage"][:10]
    assert len(json.loads(fsl("journal", "--depuis", today, "--json").out)) == 2
    assert fsl("journal", "--depuis", "2999-01-01").out == "Aucune ligne depuis le 2999-01-01.\n"


def test_an_empty_journal(database_url, fsl):
    assert fsl("journal").out == "Journal vide.\n"
    assert fsl("journal", "verifier").out == "Journal intact : 0 ligne(s), chaîne d'empreintes vérifiée.\n"
    result = fsl("journal", "--depuis", "8 décembre")
    assert result.code == 2 and "date « 8 décembre » invalide : attendu AAAA-MM-JJ" in result.err


def test_writers_appending_at_once_keep_one_intact_chain(database_url):
    sessions = open_database(database_url)
    failures = []

    def write(name: str) -> None:
        try:
            for number in range(8):
                with sessions.begin() as session:
                    journal.append(session, at=AT, user=name, action="essai", target=str(number), detail={})
        except Exception as exc:  # noqa: BLE001 - collected and shown by the assertion below
            failures.append(repr(exc))

    threads = [threading.Thread(target=write, args=(f"console:{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with sessions.begin() as session:
        rows = journal.rows(session)
        assert failures == []
        assert len(rows) == 24 and verify(rows) is None
    sessions.kw["bind"].dispose()
