"""Sealing the journal (RFC 3161, pyHanko's in-process test authority) and checking the seals."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import text

from engine.service import journal
from engine.service.database import open_database

GOOD = "une phrase de passe longue"
TSA = "https://tsa.test/tsr"


@pytest.fixture
def with_authority(monkeypatch, test_authority):
    monkeypatch.setattr("engine.commands.journal.timestamper", lambda url: test_authority)


def _two_users(fsl) -> None:
    for login in ("agent1", "agent2"):
        assert fsl("utilisateurs", "ajouter", login, "--role", "agent", "--mot-de-passe-stdin",
                   stdin=GOOD + "\n").code == 0


def _execute(url: str, *statements: tuple[str, dict]) -> None:
    engine = open_database(url).kw["bind"]
    with engine.begin() as connection:
        for statement, values in statements:
            connection.execute(text(statement), values)
    engine.dispose()


def test_sceller_seals_the_last_row_and_verifier_checks_the_seal(database_url, fsl, with_authority):
    _two_users(fsl)
    result = fsl("journal", "sceller", "--horodatage", TSA)
    assert result.code == 0, result.err
    assert result.out.startswith(f"Ligne 2 scellée par {TSA} à 20")
    rows = __import__("json").loads(fsl("journal", "--json").out)
    assert rows[-1]["action"] == "journal.scellement" and rows[-1]["objet"] == "ligne 2"
    assert rows[-1]["detail"]["empreinte"] == rows[1]["empreinte"]
    checked = fsl("journal", "verifier")
    assert checked.code == 0 and checked.out.endswith(", 1 sceau(x) vérifié(s).\n"), checked.err


def test_a_journal_rewritten_and_rehashed_after_its_seal_is_caught_by_the_seal(database_url, fsl,
                                                                               with_authority):
    _two_users(fsl)
    assert fsl("journal", "sceller", "--horodatage", TSA).code == 0
    sessions = open_database(database_url)
    with sessions.begin() as session:  # rewrite row 1, then rehash the whole chain to hide it
        rows = journal.rows(session)
        rows[0].detail = '{"role":"responsable"}'
        previous = journal.GENESIS
        new = []
        for row in rows:
            row.empreinte_precedente = previous
            new.append(journal.fingerprint(row))
            previous = new[-1]
    sessions.kw["bind"].dispose()
    statements = [("UPDATE journal SET detail = :d, empreinte_precedente = :p, empreinte = :e WHERE id = :i",
                   {"d": r.detail, "p": r.empreinte_precedente, "e": e, "i": r.id})
                  for r, e in zip(rows, new, strict=True)]
    _execute(database_url, ("UPDATE journal SET empreinte_precedente = 'x' || id", {}), *statements)
    result = fsl("journal", "verifier")
    assert result.code == 1
    assert "journal : sceau 1 (ligne 2, " in result.err
    assert "la ligne 2 n'a plus l'empreinte scellée" in result.err
    # the forger updates the seal's recorded empreinte too: the authority's token still disagrees
    _execute(database_url, ("UPDATE sceaux SET empreinte = :e", {"e": new[1]}))
    result = fsl("journal", "verifier")
    assert result.code == 1 and "le jeton d'horodatage ne porte pas l'empreinte scellée" in result.err


def test_an_altered_token_is_named(database_url, fsl, with_authority):
    _two_users(fsl)
    assert fsl("journal", "sceller", "--horodatage", TSA).code == 0
    engine = open_database(database_url).kw["bind"]
    with engine.connect() as connection:
        token = bytearray(base64.b64decode(connection.execute(text("SELECT jeton FROM sceaux")).scalar_one()))
    engine.dispose()
    token[-10] ^= 0xFF  # inside the authority's signature
    _execute(database_url, ("UPDATE sceaux SET jeton = :j", {"j": base64.b64encode(bytes(token)).decode()}))
    result = fsl("journal", "verifier")
    assert result.code == 1
    assert "journal : sceau 1 (ligne 2, " in result.err
    assert ("la signature de l'autorité sur le jeton est invalide" in result.err
            or "le jeton d'horodatage est illisible" in result.err)
    assert "Traceback" not in result.err


def test_sceller_without_an_authority_or_rows_is_refused_in_french(database_url, fsl, monkeypatch,
                                                                  with_authority):
    monkeypatch.delenv("FSL_HORODATAGE_URL", raising=False)
    result = fsl("journal", "sceller")
    assert result.code == 1 and result.err.startswith("aucune autorité d'horodatage : donnez --horodatage")
    result = fsl("journal", "sceller", "--horodatage", TSA)
    assert result.code == 1 and result.err == "journal vide : rien à sceller.\n"


def test_an_unreachable_authority_seals_nothing(database_url, fsl):
    _two_users(fsl)
    result = fsl("journal", "sceller", "--horodatage", "http://127.0.0.1:1/tsr")
    assert result.code == 3
    assert result.err.startswith("autorité d'horodatage http://127.0.0.1:1/tsr : pas de jeton obtenu")
    assert len(__import__("json").loads(fsl("journal", "--json").out)) == 2


def _pem(tmp_path, name: str, stamper) -> str:
    from asn1crypto import pem

    path = tmp_path / name
    path.write_bytes(pem.armor("CERTIFICATE", stamper.tsa_cert.dump()))
    return str(path)


def test_confiance_judges_the_authority_of_each_seal(database_url, fsl, with_authority, test_authority,
                                                      other_authority, tmp_path):
    _two_users(fsl)
    assert fsl("journal", "sceller", "--horodatage", TSA).code == 0
    ours = _pem(tmp_path, "tsa.pem", test_authority)
    other = _pem(tmp_path, "autre.pem", other_authority)
    trusted = fsl("journal", "verifier", "--confiance", ours)
    assert trusted.code == 0, trusted.err
    refused = fsl("journal", "verifier", "--confiance", other)
    assert refused.code == 1
    assert "l'autorité qui a signé le jeton n'est reconnue par aucun certificat de --confiance" in refused.err
    missing = fsl("journal", "verifier", "--confiance", str(tmp_path / "absent.pem"))
    assert missing.code == 1 and "absent.pem: certificat illisible" in missing.err
