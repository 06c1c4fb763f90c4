"""`fsl serve`: every page and the safety rules, through Flask's test client (no browser)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("flask")

from engine import PROJECT_ROOT  # noqa: E402
from engine.web.app import create_app  # noqa: E402

EXAMPLE = PROJECT_ROOT / "examples" / "soumissions-2026"
ACARLOGI = "/annee/2026/associations/acarlogi"
SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})  # the French thousands and € separators


@pytest.fixture()
def site(tmp_path):
    conventions = tmp_path / "conventions"
    shutil.copytree(PROJECT_ROOT / "conventions", conventions)
    app = create_app(conventions, tmp_path / "output")
    return app.test_client(), conventions, tmp_path / "output"


def _form(html: str) -> dict:
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
            "sha256": re.search(r'name="sha256" value="([^"]+)"', html)[1]}


def _edit(client, fields: dict, year="2026", line="0", base=None):
    page = client.get(ACARLOGI).get_data(as_text=True).translate(SPACES)
    data = {**(base or _form(page)), "annee": year, "ligne": line, **fields}
    return client.post(ACARLOGI, data=data)


def test_list_shows_the_27_with_totals_measures_territories_and_badges(site):
    client, _, _ = site
    response = client.get("/", follow_redirects=True)
    html = response.get_data(as_text=True).translate(SPACES)
    assert response.status_code == 200
    assert len(re.findall(r'<tr id="assoc-', html)) == 27
    row = re.search(r'id="assoc-acarlogi".*?</tr>', html, re.S)[0]
    assert "148 625,00 €" in row
    assert "ASLL" in row and "DSF" in row and "Lens-Liévin" in row and "Hénin-Carvin" in row
    assert "signataire inconnu" in row and "estimé" in row


def test_association_page_traces_each_figure_to_its_source(site):
    client, _, _ = site
    html = client.get(ACARLOGI).get_data(as_text=True).translate(SPACES)
    assert "35 × 85,95 € × 12 mois = 36 099,00 €" in html
    assert "conventions/associations/acarlogi.yaml:35" in html  # the count's line
    assert "conventions/departement.yaml:" in html  # the rate's line
    assert 'id="total-2026">148 625,00 €' in html
    assert client.get("/annee/2026/associations/inconnue").status_code == 404


def test_edit_changes_exactly_one_line_and_the_total(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    before = path.read_text(encoding="utf-8")
    response = _edit(client, {"col_asll_points": "36", "col_dsf": "90", "col_portes_closes": "45"})
    assert response.status_code == 302
    after = path.read_text(encoding="utf-8")
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    assert changed == [34]  # line 35 of the file, and nothing else (comments, source:, order kept)
    assert (old[34], new[34]) == ("        asll_points: 35\n", "        asll_points: 36\n")
    html = client.get(response.location).get_data(as_text=True).translate(SPACES)
    assert 'id="total-2026">149 656,40 €' in html
    listing = client.get("/annee/2026/associations").get_data(as_text=True).translate(SPACES)
    assert "149 656,40 €" in re.search(r'id="assoc-acarlogi".*?</tr>', listing, re.S)[0]


def test_trente_is_refused_in_the_validators_words_and_nothing_is_saved(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    before = path.read_bytes()
    response = _edit(client, {"col_asll_points": "trente"})
    html = response.get_data(as_text=True).translate(SPACES)
    assert response.status_code == 422
    beside = re.search(r'id="erreur-2026-0-asll_points">([^<]*)<', html)[1]
    assert "allocations[1].lignes[0].asll_points: trouvé le texte « trente », attendu un nombre entier" \
        in beside.replace("&#39;", "'")
    assert path.read_bytes() == before
    assert 'value="trente"' in html  # what was typed stays in the field


def test_a_newline_cannot_inject_yaml(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    before = path.read_bytes()
    response = _edit(client, {"col_asll_points": "36\nsignataire: x"})
    assert response.status_code == 422
    assert path.read_bytes() == before


def test_stale_form_is_refused_never_merged(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    old = _form(client.get(ACARLOGI).get_data(as_text=True).translate(SPACES))
    assert _edit(client, {"col_dsf": "91"}, base=old).status_code == 302
    saved = path.read_bytes()
    response = _edit(client, {"col_asll_points": "40"}, base=old)
    assert response.status_code == 409
    html = response.get_data(as_text=True).translate(SPACES)
    assert "a changé depuis l&#39;ouverture de ce formulaire" in html
    assert path.read_bytes() == saved


def test_post_without_csrf_token_is_refused(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    before = path.read_bytes()
    page = client.get(ACARLOGI).get_data(as_text=True).translate(SPACES)
    data = {"sha256": _form(page)["sha256"], "annee": "2026", "ligne": "0", "col_asll_points": "36"}
    for token in (None, "faux"):
        sent = data if token is None else {**data, "csrf_token": token}
        response = client.post(ACARLOGI, data=sent)
        assert response.status_code == 400
        assert "jeton de sécurité" in response.get_data(as_text=True).translate(SPACES)
    assert path.read_bytes() == before
    assert client.post("/annee/2026/produire", data={}).status_code == 400
    assert client.post("/controle", data={}).status_code == 400


def test_year_build_list_and_confined_download(site, tmp_path):
    client, _, output = site
    page = client.get("/annee/2026").get_data(as_text=True).translate(SPACES)
    assert "Aucun fichier" in page and "--final" in page
    assert 'id="total-tableau">4 139 361,80 €' in page  # fsl table's total
    assert "aucune allocation 2027" in client.get("/annee/2027").get_data(as_text=True)
    token = _form(client.get(ACARLOGI).get_data(as_text=True).translate(SPACES))["csrf_token"]
    response = client.post("/annee/2026/produire", data={"csrf_token": token})
    assert response.status_code == 303
    client.application.config["FSL_JOBS"].wait()
    response = client.get(response.location)
    html = response.get_data(as_text=True).translate(SPACES)
    assert response.status_code == 200, html
    assert "fichiers écrits dans" in html
    assert (output / "2026" / "manifest.json").is_file()
    assert "avenants/" in html and "tableau_financier_2026.xlsx" in html
    download = client.get("/annee/2026/fichiers/tableau_financier_2026.xlsx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    (tmp_path / "secret.txt").write_text("x")
    (output / "2026" / "lien.txt").symlink_to(tmp_path / "secret.txt")
    for name in ("../../secret.txt", "..%2F..%2Fsecret.txt", "lien.txt", "/etc/passwd", ".manifest"):
        response = client.get(f"/annee/2026/fichiers/{name}", follow_redirects=True)
        assert response.status_code == 404, name


def test_final_is_refused_while_points_remain(site):
    client, _, output = site
    token = _form(client.get(ACARLOGI).get_data(as_text=True).translate(SPACES))["csrf_token"]
    response = client.post("/annee/2026/produire", data={"csrf_token": token, "final": "1"})
    client.application.config["FSL_JOBS"].wait()
    response = client.get(response.location)
    assert response.status_code == 422
    page = response.get_data(as_text=True).translate(SPACES)
    assert "--final refusé : " in page and "rien n&#39;a été écrit." in page
    assert not (output / "2026").exists()


def _zip(folder: Path, prefix: str = "soumissions-2026") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{prefix}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def test_check_from_a_folder_and_from_a_zip_give_the_clis_counts(site):
    from datetime import date

    from engine.checker.ruleset import load_ruleset
    from engine.checker.run import run_check
    from engine.commands.check import conventions_reference

    client, conventions, _ = site
    ruleset = load_ruleset()
    expected = run_check(EXAMPLE, date(2026, 11, 22), ruleset,
                         reference=conventions_reference(conventions, ruleset))
    summary = (f"{expected.measures} mesure(s), {expected.documents} pièce(s), {expected.errors} erreur(s), "
               f"{expected.warnings} avertissement(s)")
    token = _form(client.get(ACARLOGI).get_data(as_text=True).translate(SPACES))["csrf_token"]
    by_folder = client.post("/controle", data={"csrf_token": token, "as_of": "2026-11-22",
                                               "dossier": str(EXAMPLE)})
    assert by_folder.status_code == 200
    assert summary in by_folder.get_data(as_text=True).translate(SPACES)
    assert "<iframe" in by_folder.get_data(as_text=True).translate(SPACES)
    by_zip = client.post("/controle", content_type="multipart/form-data",
                         data={"csrf_token": token, "as_of": "2026-11-22",
                               "archive": (io.BytesIO(_zip(EXAMPLE)), "pieces.zip")})
    assert by_zip.status_code == 200, by_zip.get_data(as_text=True).translate(SPACES)
    assert summary in by_zip.get_data(as_text=True).translate(SPACES)


@pytest.mark.parametrize("name", ["../evade.txt", "/abs.txt", "a/../../evade.txt"])
def test_zip_members_leaving_the_upload_folder_are_refused(site, name, tmp_path):
    client, _, _ = site
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "x")
    token = _form(client.get(ACARLOGI).get_data(as_text=True).translate(SPACES))["csrf_token"]
    response = client.post("/controle", content_type="multipart/form-data",
                           data={"csrf_token": token, "as_of": "2026-11-22",
                                 "archive": (io.BytesIO(buffer.getvalue()), "x.zip")})
    assert response.status_code == 422
    assert "sort du dossier de dépôt" in response.get_data(as_text=True).translate(SPACES)
    assert not (tmp_path.parent / "evade.txt").exists()


def test_zip_symlink_member_is_refused(site):
    client, _, _ = site
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("lien")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, "/etc/passwd")
    token = _form(client.get(ACARLOGI).get_data(as_text=True).translate(SPACES))["csrf_token"]
    response = client.post("/controle", content_type="multipart/form-data",
                           data={"csrf_token": token, "as_of": "2026-11-22",
                                 "archive": (io.BytesIO(buffer.getvalue()), "x.zip")})
    assert response.status_code == 422
    assert "lien ou un fichier spécial" in response.get_data(as_text=True).translate(SPACES)


def test_errors_are_french_sentences_never_tracebacks(site, monkeypatch, tmp_path):
    client, _, _ = site
    monkeypatch.setenv("FSL_LOG_DIR", str(tmp_path / "logs"))
    assert "Page introuvable" in client.get("/nulle-part").get_data(as_text=True).translate(SPACES)
    missing_year = client.get("/annee/1999/associations").get_data(as_text=True)
    assert "aucune période 1999 dans departement.yaml" in missing_year
    import engine.web.app as web

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(web, "build_table", broken)
    response = client.get("/annee/2026/associations")
    html = response.get_data(as_text=True).translate(SPACES)
    assert response.status_code == 500
    assert "Erreur interne inattendue (ZeroDivisionError)" in html and "Traceback" not in html
    assert str(tmp_path / "logs") in html


def test_serve_binds_to_localhost_only_and_says_where_to_go(monkeypatch, capsys):
    import werkzeug.serving

    from engine.cli import main

    seen = {}

    class Server:
        def serve_forever(self):
            raise KeyboardInterrupt  # Ctrl-C

        def server_close(self):
            seen["closed"] = True

    def make_server(host, port, app, **kw):
        seen.update(host=host, port=port)
        return Server()

    monkeypatch.setattr(werkzeug.serving, "make_server", make_server)
    assert main(["serve", "--port", "8123"]) == 0
    assert seen == {"host": "127.0.0.1", "port": 8123, "closed": True}
    out = capsys.readouterr().out
    assert "ouvrez http://127.0.0.1:8123/ dans votre navigateur" in out and "Interface arrêtée." in out


def test_serve_on_a_busy_port_is_a_french_sentence(capsys):
    import socket

    from engine.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    assert f"le port {port} est déjà utilisé sur 127.0.0.1" in capsys.readouterr().err


GRIDS = PROJECT_ROOT / "examples" / "activite-2026"


def _grids_zip(folder: Path, break_cell: bool = False) -> bytes:
    """The example's filled grids (XLSX only), one of them with « douze » in a number cell."""
    from openpyxl import load_workbook

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("grille_activite_*.xlsx")):
            data = path.read_bytes()
            if break_cell and "apsa" in path.name:
                book = load_workbook(io.BytesIO(data))
                label = "Durée (mois)"  # row 2 holds the labels, data from row 3
                sheet = next(s for s in book.worksheets[2:] if s.max_row >= 3 and s.title != "DSF"
                             and any(c.value == label for c in s[2]))
                column = next(c.column_letter for c in sheet[2] if c.value == label)
                sheet[f"{column}3"] = "douze"
                out = io.BytesIO()
                book.save(out)
                data = out.getvalue()
                _grids_zip.broken = f"{path.name}:{sheet.title}!{column}3"
            archive.writestr(f"grilles/{path.name}", data)
    return buffer.getvalue()


def test_settlement_from_a_zip_of_grids_shows_the_rows_and_writes_the_letters(site):
    from engine.settlement import Status
    from engine.solde import settle_folder
    from engine.validation import load_conventions

    client, conventions, output = site
    grids = Path(output.parent / "grilles")
    grids.mkdir()
    for path in GRIDS.glob("grille_activite_*.xlsx"):
        (grids / path.name).write_bytes(path.read_bytes())
    expected = settle_folder(load_conventions(conventions).conventions, 2026, grids)
    apsa = next(s for s in expected.settlements if s.association == "apsa-du-pas-de-calais")
    assert apsa.status is Status.CALCULE
    token = _form(client.get(ACARLOGI).get_data(as_text=True))["csrf_token"]
    response = client.post("/annee/2026/solde", content_type="multipart/form-data",
                           data={"csrf_token": token, "archive": (io.BytesIO(_grids_zip(GRIDS)), "g.zip")})
    html = response.get_data(as_text=True).translate(SPACES)
    assert response.status_code == 200, html
    from engine.money import format_eur
    row = re.search(r'id="solde-apsa-du-pas-de-calais".*?</tr>', html, re.S)[0]
    for amount in (apsa.subsidy, apsa.advance, apsa.total, apsa.balance):
        assert format_eur(amount).translate(SPACES) in row
    assert apsa.refund is None  # no paiements.csv: no refund computed, none asked
    assert "avance due, versement non enregistré" in row and "non demandé" in row
    assert (output / "2026" / "solde_2026.xlsx").is_file()
    assert "lettres_solde/solde_2026_apsa-du-pas-de-calais.docx" in html
    letter = client.get("/annee/2026/fichiers/lettres_solde/solde_2026_apsa-du-pas-de-calais.docx")
    assert letter.status_code == 200 and letter.data[:2] == b"PK"


def test_settlement_cell_errors_name_file_sheet_and_cell_and_nothing_is_written(site):
    client, _, output = site
    token = _form(client.get(ACARLOGI).get_data(as_text=True))["csrf_token"]
    archive = _grids_zip(GRIDS, break_cell=True)
    response = client.post("/annee/2026/solde", content_type="multipart/form-data",
                           data={"csrf_token": token, "archive": (io.BytesIO(archive), "g.zip")})
    html = response.get_data(as_text=True).translate(SPACES)
    assert response.status_code == 422
    errors = re.findall(r"<li>([^<]*)</li>", re.search(r'id="erreurs-cellules">(.*?)</ul>', html, re.S)[1])
    assert any(e.startswith(_grids_zip.broken + ": duree_mois") and "douze" in e for e in errors), errors
    assert "fsl-grilles-" not in html  # the temporary upload folder is not shown
    assert not (output / "2026").exists()


def test_signatory_and_address_are_one_line_each_and_an_empty_name_is_refused(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    before = path.read_text(encoding="utf-8").splitlines(keepends=True)
    identity = ACARLOGI + "/identite"
    page = client.get(ACARLOGI).get_data(as_text=True)
    response = client.post(identity, data={**_form(page), "nom": "Acarlogi", "adresse": "",
                                           "signataire_qualite": "La Présidente",
                                           "signataire_nom": "Marie DUPONT"})
    assert response.status_code == 302
    after = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [7]
    assert after[7] == 'signataire: {qualite: "La Présidente", nom: "Marie DUPONT"}\n'
    row = re.search(r'id="assoc-acarlogi".*?</tr>',
                    client.get("/annee/2026/associations").get_data(as_text=True), re.S)[0]
    assert "signataire inconnu" not in row

    page = client.get(ACARLOGI).get_data(as_text=True)
    response = client.post(identity, data={**_form(page), "nom": "Acarlogi",
                                           "adresse": "12 rue de la Paix, 62000 Arras"})
    assert response.status_code == 302
    added = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert added == [*after[:3], 'adresse: "12 rue de la Paix, 62000 Arras"\n', *after[3:]]

    page = client.get(ACARLOGI).get_data(as_text=True)
    response = client.post(identity, data={**_form(page), "nom": "",
                                           "adresse": "12 rue de la Paix, 62000 Arras"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = re.search(r'id="erreur-nom">([^<]*)', html)[1]
    assert "acarlogi.yaml:3: nom: le texte «  » est trop court" in beside
    assert path.read_text(encoding="utf-8").splitlines(keepends=True) == added


def test_a_page_asked_for_under_another_host_name_is_refused(site):
    """DNS rebinding: evil.example pointed at 127.0.0.1 must not read a page nor get a token."""
    client, _, _ = site
    response = client.get("/annee/2026/associations", headers={"Host": "evil.example:8062"})
    assert response.status_code == 400
    assert "Adresse refusée" in response.get_data(as_text=True)
    assert client.get("/annee/2026/associations", headers={"Host": "127.0.0.1:8062"}).status_code == 200


def test_a_running_build_refreshes_its_page_and_a_second_one_is_refused(site, monkeypatch, tmp_path):
    import threading

    import engine.commands.build as build_command

    client, _, _ = site
    monkeypatch.setenv("FSL_LOG_DIR", str(tmp_path / "logs"))
    release = threading.Event()

    def slow(args):
        print("Conversion en PDF…")
        release.wait(30)
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(build_command, "run", slow)
    token = _form(client.get(ACARLOGI).get_data(as_text=True))["csrf_token"]
    first = client.post("/annee/2026/produire", data={"csrf_token": token})
    running = client.get(first.location).get_data(as_text=True)
    assert 'http-equiv="refresh"' in running and 'id="en-cours"' in running
    assert "Conversion en PDF…" in running
    second = client.post("/annee/2026/produire", data={"csrf_token": token})
    assert second.status_code == 422 and "déjà en cours" in second.get_data(as_text=True)
    release.set()
    client.application.config["FSL_JOBS"].wait()
    ended = client.get(first.location)
    html = ended.get_data(as_text=True)
    assert ended.status_code == 422 and 'http-equiv="refresh"' not in html
    assert "Erreur interne inattendue (ZeroDivisionError)" in html and "Traceback" not in html
    assert str(tmp_path / "logs") in html


def test_check_writes_the_reminder_letters_of_fsl_relances_to_download(site):
    from datetime import date

    from engine.checker.reminders import letters
    from engine.checker.ruleset import load_ruleset
    from engine.checker.run import run_check
    from engine.validation import load_conventions

    client, conventions, output = site
    loaded = load_conventions(conventions).conventions
    from engine.commands.check import conventions_reference
    reference = conventions_reference(conventions, load_ruleset())
    expected = letters(run_check(EXAMPLE, date(2026, 11, 22), load_ruleset(), reference=reference),
                       {a.slug: a.name for a in loaded.associations})
    assert expected
    token = _form(client.get(ACARLOGI).get_data(as_text=True))["csrf_token"]
    response = client.post("/controle", data={"csrf_token": token, "as_of": "2026-11-22",
                                              "dossier": str(EXAMPLE), "relances": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Lettres de relance ({len(expected)})" in html
    folder = output / "relances" / "2026-11-22"
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(f"{x.stem}.docx" for x in expected)
    first = f"/relances/2026-11-22/{expected[0].stem}.docx"
    assert first in html
    assert client.get(first).data[:2] == b"PK"
    assert client.get("/relances/2026-11-22/relances.csv").status_code == 200
    assert client.get("/relances/2026-11-22/../../2026/x", follow_redirects=True).status_code == 404
    assert client.get("/relances/pas-une-date/relances.csv").status_code == 404


def test_an_unchanged_form_saves_nothing_and_a_bad_line_number_is_a_sentence(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    before = path.read_bytes()
    response = _edit(client, {"col_asll_points": "35", "col_dsf": "90"})
    assert response.status_code == 302
    assert "Aucune valeur modifiée" in client.get(response.location).get_data(as_text=True)
    response = _edit(client, {"col_asll_points": "36"}, line="x")
    assert response.status_code == 422
    assert "ligne 0 absente de l&#39;allocation 2026" in response.get_data(as_text=True)
    assert path.read_bytes() == before


def test_data_is_escaped_in_the_pages(site):
    client, conventions, _ = site
    path = conventions / "associations" / "acarlogi.yaml"
    text = path.read_text(encoding="utf-8").replace('nom: "Acarlogi"', 'nom: "<b>Aide & Partage</b>"')
    path.write_text(text, encoding="utf-8")
    html = client.get("/annee/2026/associations").get_data(as_text=True)
    assert "&lt;b&gt;Aide &amp; Partage&lt;/b&gt;" in html and "<b>Aide" not in html


def test_open_data_page_shows_validatas_verdict_with_the_messages_of_fsl_scdl(site, tmp_path):
    from tests.conftest import with_identifiers, with_siret

    client, conventions, output = site
    assert 'id="lien-donnees-ouvertes"' in client.get("/annee/2026").get_data(as_text=True)
    response = client.get("/annee/2026/donnees-ouvertes")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("fichier SCDL 2026 non produit : Validata 0.12.5 signale 81 erreur(s) sur 27 ligne(s), "
            "28 point(s) à corriger dans les données") in html
    items = re.findall(r"<li>(.*?)</li>", re.search(r'id="erreurs-scdl">(.*?)</ul>', html, re.S)[1])
    assert len(items) == 28
    assert ("<code>conventions/associations/acarlogi.yaml:2</code>: identifiants: ni SIRET ni numéro RNA"
            in html)
    assert "Validata : « Un Élement Requis : Au moins l&#39;une des colonnes" in html
    assert "validé" not in html and "peut être publié" not in html
    with_identifiers(with_siret(conventions))
    response = client.get("/annee/2026/donnees-ouvertes")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("Validata 0.12.5 : 0 erreur contre le schéma SCDL « subventions » 2.1.1 (27 lignes)"
            in html.replace("&#34;", '"'))
    assert "Pas de fichier <code>scdl_subventions_2026.csv</code>" in html
    from engine.cli import main
    assert main(["scdl", "2026", "--conventions", str(conventions), "--out", str(output / "2026")]) == 0
    html = client.get("/annee/2026/donnees-ouvertes").get_data(as_text=True)
    assert 'href="/annee/2026/fichiers/scdl_subventions_2026.csv"' in html
    assert "ne correspond plus aux données" not in html
    dep = conventions / "departement.yaml"
    dep.write_text(dep.read_text(encoding="utf-8").replace('"73282932000074"', '"35600000049837"'),
                   encoding="utf-8")
    html = client.get("/annee/2026/donnees-ouvertes").get_data(as_text=True)
    assert "ne correspond plus aux données" in html
