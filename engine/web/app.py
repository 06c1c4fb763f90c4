"""The Flask application behind `fsl serve`: French pages over the functions the CLI calls.

No rule, figure or check is computed here: the association list is `finance.build_table` and
`open_points`, an association page is `explain`, an edit is validated by `load_conventions`,
a build is `fsl build`'s own `run`, a check is `run_check` and its HTML report.
"""

from __future__ import annotations

import argparse
import hmac
import secrets
import tempfile
from datetime import date
from pathlib import Path

from flask import Flask, abort, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException

from engine.errors import FslError, InputError, InputErrors
from engine.finance import build_table
from engine.model import COLUMNS, Measure
from engine.money import format_count, format_eur
from engine.open_points import PointKind, association_points, open_points
from engine.validation import load_conventions
from engine.web.edit import Change, StaleForm, count_path, edit_association, sha256_of
from engine.web.files import confined, output_files
from engine.web.jobs import Jobs
from engine.web.uploads import MAX_UPLOAD_BYTES, unpack_zip

COLUMN_LABELS = {
    "asll_points": "ASLL (points)", "aml_points": "AML (points)", "dsf": "DSF (nombre)",
    "portes_closes": "portes closes", "gla": "GLA (places)", "fal": "FAL (nombre)",
    "fal_accompagnement_seul": "FAL accompagnement seul",
}
BADGES = {
    PointKind.ESTIMATE: "estimé", PointKind.ANNEX_NUMBERS: "n° d'annexe supposé",
    PointKind.SIGNATORY: "signataire inconnu", PointKind.IDENTITY: "identité incomplète",
    PointKind.ARTICLE: "article à choisir", PointKind.DELIBERATION: "délibération inconnue",
    PointKind.RECONSTRUCTION: "reconstitution à confirmer", PointKind.TERRITORY: "hors territoire",
    PointKind.PUBLISHED: "écart à l'annexe imprimée", PointKind.STAFFING: "ETP non renseigné",
}


def create_app(conventions: Path, output: Path, year: int | None = None) -> Flask:
    """The application over the conventions folder `conventions` and the output root `output`."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per process: a restart invalidates every form
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_SAMESITE="Strict",
        FSL_CONVENTIONS=Path(conventions).resolve(),
        FSL_OUTPUT=Path(output).resolve(),
        FSL_YEAR=year,
        FSL_JOBS=Jobs(),
    )
    app.jinja_env.filters["eur"] = format_eur
    app.jinja_env.filters["nombre"] = format_count
    app.jinja_env.globals.update(csrf_token=csrf_token, COLUMN_LABELS=COLUMN_LABELS, BADGES=BADGES)
    _routes(app)
    _errors(app)
    return app


# --- CSRF: a token per session, checked on every POST ---------------------------------------

def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    if request.method != "POST":
        return
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="Formulaire refusé : jeton de sécurité absent ou périmé (la page a "
                               "été ouverte avant un redémarrage du serveur ?). Rechargez la page puis "
                               "recommencez.")


# --- helpers -----------------------------------------------------------------------------------

def _conventions():
    from flask import current_app
    return load_conventions(current_app.config["FSL_CONVENTIONS"]).conventions


def _default_year(conventions) -> int:
    from flask import current_app
    if current_app.config["FSL_YEAR"]:
        return current_app.config["FSL_YEAR"]
    years = [p.year for p in conventions.departement.periods
             if any(a.allocation(p.year) for a in conventions.associations)]
    return max(years)


def _year_dir(year: int) -> Path:
    from flask import current_app
    return current_app.config["FSL_OUTPUT"] / str(year)


def _shown(path: str) -> str:
    """A data path relative to the conventions folder's parent (`conventions/associations/…`)."""
    from flask import current_app
    base = current_app.config["FSL_CONVENTIONS"].parent
    try:
        return str(Path(path).resolve().relative_to(base))
    except ValueError:
        return str(path)


def _measures(departement, block) -> list[str]:
    """The measures of the year's counts, by each count column's rate (`departement.yaml`)."""
    if block is None:
        return []
    used = {rate.measure for column, rate in departement.rates.items() if block.counts.get(column)}
    return [m.value for m in Measure if m in used]


# --- pages -------------------------------------------------------------------------------------

LOCAL_HOSTS = ("127.0.0.1", "localhost")


def _check_host() -> None:
    """Only a page asked for as 127.0.0.1 or localhost is served: a site that points its own name
    at 127.0.0.1 (DNS rebinding) would otherwise read the pages and post forms as if it were here."""
    host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host
    if host not in LOCAL_HOSTS:
        abort(400, description="Adresse refusée : ouvrez l'interface par http://127.0.0.1 (ce poste "
                               "seulement).")


def _routes(app: Flask) -> None:
    app.before_request(_check_host)
    app.before_request(_check_csrf)

    @app.get("/")
    def index():
        return redirect(url_for("associations", year=_default_year(_conventions())))

    @app.get("/annee/<int:year>/associations")
    def associations(year: int):
        conventions = _conventions()
        table = build_table(conventions, year)
        blocks = {b.association.slug: b for b in table.blocks}
        dep = conventions.departement
        rows = []
        for association in conventions.associations:
            block = blocks.get(association.slug)
            points = association_points(conventions, association, year) if block else []
            rows.append({
                "association": association, "block": block,
                "measures": _measures(dep, block),
                "territories": [(dep.territory(t).name if dep.territory(t) else t)
                                for t in association.territories],
                "badges": sorted({BADGES[p.kind] for p in points}),
            })
        return render_template("associations.html", year=year, rows=rows, table=table,
                               years=[p.year for p in dep.periods
                                      if any(a.allocation(p.year) for a in conventions.associations)])

    @app.get("/annee/<int:year>/associations/<slug>")
    def association(year: int, slug: str):
        return _association_page(year, slug)

    @app.post("/annee/<int:year>/associations/<slug>")
    def association_edit(year: int, slug: str):
        root = app.config["FSL_CONVENTIONS"]
        allocation_year = request.form.get("annee", default=0, type=int)
        line_index = request.form.get("ligne", default=-1, type=int)
        from engine.load.yamlfile import load_yaml
        from engine.web.edit import association_file
        target = association_file(root, slug)
        doc = load_yaml(target)
        changes = [Change(count_path(doc.data, allocation_year, line_index, column), request.form[key])
                   for column in COLUMNS if (key := f"col_{column}") in request.form]
        try:
            result = edit_association(root, slug, request.form.get("sha256", ""), changes)
        except StaleForm as exc:
            return _association_page(year, slug, stale=str(exc), status=409)
        if result.saved or not result.errors:
            return redirect(url_for("association", year=year, slug=slug,
                                    enregistre=len(result.changed_lines)))
        typed = {(allocation_year, line_index, c): request.form[f"col_{c}"]
                 for c in COLUMNS if f"col_{c}" in request.form}
        return _association_page(year, slug, errors=result.errors, typed=typed, status=422)

    @app.post("/annee/<int:year>/associations/<slug>/identite")
    def identity_edit(year: int, slug: str):
        from engine.load.yamlfile import load_yaml
        from engine.web.edit import association_file, signatory_yaml
        root = app.config["FSL_CONVENTIONS"]
        doc = load_yaml(association_file(root, slug))
        form = request.form
        changes = [Change(("nom",), form.get("nom", ""))]
        address = form.get("adresse", "").strip()
        if ("adresse",) in doc.lines or address:
            changes.append(Change(("adresse",), address, insert_after=("nom",)))
        title, name = form.get("signataire_qualite", "").strip(), form.get("signataire_nom", "").strip()
        if title or name:
            changes.append(Change(("signataire",), f"{title} {name}", yaml=signatory_yaml(title, name)))
        try:
            result = edit_association(root, slug, form.get("sha256", ""), changes)
        except StaleForm as exc:
            return _association_page(year, slug, stale=str(exc), status=409)
        if result.saved or not result.errors:
            return redirect(url_for("association", year=year, slug=slug,
                                    enregistre=len(result.changed_lines)))
        typed = {key: form.get(key, "") for key in ("nom", "adresse", "signataire_qualite", "signataire_nom")}
        return _association_page(year, slug, errors=result.errors, typed=typed, status=422)

    @app.get("/annee/<int:year>")
    def year_page(year: int):
        conventions = _conventions()
        points = open_points(conventions, year)
        folder = _year_dir(year)
        return render_template("annee.html", year=year, points=points, shown=_shown,
                               files=output_files(folder), folder=folder, job=None,
                               **_table_or_reason(conventions, year))

    @app.post("/annee/<int:year>/produire")
    def build(year: int):
        from engine.cli import os_error_sentence
        from engine.commands import build as build_command
        args = argparse.Namespace(year=year, out=_year_dir(year), conventions=app.config["FSL_CONVENTIONS"],
                                  pdf=bool(request.form.get("pdf")), final=bool(request.form.get("final")),
                                  details=False, quiet=True)

        def on_error(exc: BaseException) -> str:
            from engine.cli import _internal_error
            return os_error_sentence(exc) if isinstance(exc, OSError) else _internal_error(exc)

        title = f"Production {year}" + (" (actes définitifs)" if args.final else "")
        app.config["FSL_JOBS"].start(title, lambda: build_command.run(args), on_error)
        return redirect(url_for("production", year=year), code=303)

    @app.get("/annee/<int:year>/production")
    def production(year: int):
        job = app.config["FSL_JOBS"].current
        if job is None:
            return redirect(url_for("year_page", year=year))
        conventions = _conventions()
        status = 200 if job.running or job.status == 0 else 422
        return render_template("annee.html", year=year, points=open_points(conventions, year), shown=_shown,
                               files=output_files(_year_dir(year)), folder=_year_dir(year), job=job,
                               **_table_or_reason(conventions, year)), status

    @app.get("/annee/<int:year>/donnees-ouvertes")
    def open_data(year: int):
        return _open_data_page(year)

    @app.get("/annee/<int:year>/fichiers/<path:name>")
    def download(year: int, name: str):
        path = confined(_year_dir(year), name)
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.route("/annee/<int:year>/solde", methods=["GET", "POST"])
    def settlement(year: int):
        if request.method == "GET":
            return render_template("solde.html", year=year, result=None, errors=(), written=())
        return _settlement_page(year)

    @app.get("/relances/<day>/<path:name>")
    def reminder_download(day: str, name: str):
        try:
            as_of = date.fromisoformat(day)
        except ValueError:
            abort(404)
        path = confined(_reminders_dir(as_of), name)
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.route("/controle", methods=["GET", "POST"])
    def check():
        if request.method == "GET":
            return render_template("controle.html", report=None, result=None, as_of=date.today().isoformat(),
                                   folder="", reminders=None)
        return _check_page()


def _table_or_reason(conventions, year: int) -> dict:
    """The financial table of `fsl table` for the page, or the engine's sentence why there is none."""
    from engine.model import GROUPS
    try:
        return {"table": build_table(conventions, year), "no_table": None, "groups": GROUPS}
    except FslError as exc:
        return {"table": None, "no_table": str(exc), "groups": GROUPS}


def _open_data_page(year: int):
    """Validata's verdict on the SCDL file the data gives now: the messages of `fsl scdl`."""
    from engine.render.scdl_csv import ScdlFile, ScdlRefused, file_name, scdl_file
    name = file_name(year)
    published: ScdlFile | None = None
    refused: ScdlRefused | None = None
    reason: str | None = None
    try:
        published = scdl_file(_conventions(), year)
    except ScdlRefused as exc:
        refused = exc
    except FslError as exc:
        reason = str(exc)
    path = _year_dir(year) / name
    written = path.is_file() and not path.is_symlink()
    stale = written and (published is None or path.read_bytes() != published.data)
    return render_template("donnees_ouvertes.html", year=year, shown=_shown, published=published,
                           refused=refused, reason=reason, name=name, written=written,
                           stale=stale), 200 if published else 422


def _association_page(year: int, slug: str, errors=(), typed=None, stale=None, status=200):
    from flask import current_app

    from engine.explain import explain
    conventions = _conventions()
    association = conventions.association(slug)
    if association is None:
        abort(404, description=f"Association « {slug} » inconnue.")
    trace = explain(conventions, year, slug)
    target = Path(association.path)
    by_field: dict[str, list[InputError]] = {}
    others = []
    for error in errors:
        if error.field and str(target.resolve()) == str(Path(error.path).resolve()):
            by_field.setdefault(error.field, []).append(error)
        else:
            others.append(error)
    years = sorted(association.allocations)
    return render_template(
        "association.html", year=year, association=association, trace=trace, years=years,
        points=association_points(conventions, association, year), shown=_shown,
        sha256=sha256_of(target), errors_by_field=by_field, other_errors=others, typed=typed or {},
        stale=stale, saved=request.args.get("enregistre"), file=_shown(association.path),
        raw_lines=_raw_lines(target), conventions_root=current_app.config["FSL_CONVENTIONS"],
    ), status


def _raw_lines(target: Path) -> dict:
    """(year, line index) → raw index of the allocation in the file, for the error fields."""
    from engine.load.yamlfile import load_yaml
    doc = load_yaml(target)
    out = {}
    for i, allocation in enumerate(doc.data.get("allocations") or []):
        for j, _ in enumerate(allocation.get("lignes") or []):
            out[(allocation.get("annee"), j)] = f"allocations[{i}].lignes[{j}]"
    return out


def _check_page():
    from flask import current_app

    from engine.checker.report_html import render_html
    from engine.checker.ruleset import load_ruleset
    from engine.checker.run import run_check
    from engine.commands.check import conventions_reference
    as_of_text = request.form.get("as_of", "").strip()
    try:
        as_of = date.fromisoformat(as_of_text)
    except ValueError:
        raise FslError(f"date « {as_of_text} » invalide : attendu AAAA-MM-JJ, "
                       "par exemple 2026-11-22") from None
    upload = request.files.get("archive")
    folder_text = request.form.get("dossier", "").strip()
    with tempfile.TemporaryDirectory(prefix="fsl-depot-") as tmp:
        if upload is not None and upload.filename:
            folder = unpack_zip(upload.stream, Path(tmp))
        elif folder_text:
            folder = Path(folder_text).expanduser()
            if not folder.is_dir():
                raise FslError(f"{folder_text} : dossier introuvable")
        else:
            raise FslError("indiquez un dossier de pièces sur ce poste ou déposez une archive ZIP")
        ruleset = load_ruleset()
        reference = conventions_reference(current_app.config["FSL_CONVENTIONS"], ruleset)
        result = run_check(folder, as_of, ruleset, reference=reference)
        report = render_html(result)
    reminders = _reminders(result, as_of) if request.form.get("relances") else None
    return render_template("controle.html", report=report, result=result, as_of=as_of_text,
                           folder=folder_text, reminders=reminders)


def _reminders(result, as_of: date) -> list[str]:
    """`fsl relances`' letters for this check, into output/relances/DATE (its output policy)."""

    from engine.checker.reminders import letters
    from engine.commands.relances import MAIL_MERGE, _departement, write_letters
    conventions = _conventions()
    made = letters(result, {a.slug: a.name for a in conventions.associations})
    write_letters(made, result, _departement(conventions.departement), _reminders_dir(as_of), False)
    return [f"{letter.stem}.docx" for letter in made] + [MAIL_MERGE]


def _reminders_dir(as_of: date) -> Path:
    from flask import current_app
    return current_app.config["FSL_OUTPUT"] / "relances" / as_of.isoformat()


def _settlement_page(year: int):
    """`fsl solde YEAR --activite DIR`: read and check every grid, settle, then write the table and
    the letters into output/YEAR with the CLI's output policy; cell errors listed, nothing written."""
    from engine.render.output import staged
    from engine.settlement import Status
    from engine.solde import settle_folder, solde_step
    conventions = _conventions()
    upload = request.files.get("archive")
    folder_text = request.form.get("dossier", "").strip()
    with tempfile.TemporaryDirectory(prefix="fsl-grilles-") as tmp:
        if upload is not None and upload.filename:
            folder = unpack_zip(upload.stream, Path(tmp))
            shown_root = folder
        elif folder_text:
            folder = Path(folder_text).expanduser()
            shown_root = None
            if not folder.is_dir():
                raise FslError(f"{folder_text} : dossier introuvable")
        else:
            raise FslError("indiquez un dossier d'activité sur ce poste ou déposez une archive ZIP "
                           "des grilles")
        try:
            result = settle_folder(conventions, year, folder)
        except InputErrors as exc:
            errors = [_upload_relative(str(e), shown_root) for e in exc.errors]
            return render_template("solde.html", year=year, result=None, errors=errors, written=()), 422
        target = _year_dir(year)
        with staged(target) as stage:
            written = [p.relative_to(stage).as_posix()
                       for p in solde_step(conventions, result, stage, bool(request.form.get("pdf")))]
    names = {a.slug: a.name for a in conventions.associations}
    return render_template("solde.html", year=year, result=result, errors=(), written=written, names=names,
                           computed=Status.CALCULE)


def _upload_relative(text: str, root: Path | None) -> str:
    """An error's text with the temporary upload folder left out (`grille_….xlsx:ASLL!C12: …`)."""
    if root is None:
        return text
    return text.replace(f"{root}/", "").replace(str(root), ".")


# --- errors: a French sentence, never a traceback -------------------------------------------

def _errors(app: Flask) -> None:
    @app.errorhandler(InputErrors)
    def input_errors(exc: InputErrors):
        return render_template("erreur.html", messages=[str(e) for e in exc.errors], log=None), 422

    @app.errorhandler(FslError)
    def fsl_error(exc: FslError):
        status = 422 if exc.exit_code == 1 else 500
        return render_template("erreur.html", messages=[str(exc)], log=None), status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {404: "Page introuvable.", 405: "Méthode non permise sur cette page.",
                    413: f"Fichier trop volumineux : {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo au plus."}
        code = exc.code or 500  # every werkzeug error the app raises has its code
        text = exc.description if code in (400, 404) and exc.description and \
            not exc.description.startswith("The ") else messages.get(code, "Requête refusée.")
        return render_template("erreur.html", messages=[text], log=None), code

    @app.errorhandler(OSError)
    def os_error(exc: OSError):
        from engine.cli import os_error_sentence
        return render_template("erreur.html", messages=[os_error_sentence(exc)], log=None), 500

    @app.errorhandler(Exception)
    def internal(exc: Exception):
        from engine.cli import _internal_error
        return render_template("erreur.html", messages=[_internal_error(exc)], log=None), 500

