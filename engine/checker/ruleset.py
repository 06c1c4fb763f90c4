"""Load a rules set (`conventions/regles/NAME.yaml`): strict YAML, schema, then frozen `RuleSet`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from engine.calendar import Counting
from engine.checker import DEFAULT_RULES, RULES_DIR
from engine.errors import FslError, InputError, InputErrors
from engine.load.schema import validate_document
from engine.load.textfile import read_bytes
from engine.load.yamlfile import YamlDocument, load_yaml
from engine.rules import (
    Anchor,
    Check,
    Condition,
    Deadline,
    DocumentType,
    EventType,
    Limits,
    Measure,
    Periodicity,
    Role,
    Rule,
    RuleSet,
    Severity,
    Unchecked,
)

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""A rules set is named, never a path: `--regles ../commissions/2026` reads nothing."""
MAX_CERTIFICATE_BYTES = 1024 * 1024
_SEVERITY = {"erreur": Severity.ERROR, "avertissement": Severity.WARNING}
_DOCUMENT_CHECKS = (Check.PIECE, Check.PIECE_PERIODIQUE)


def available(rules_dir: Path = RULES_DIR) -> list[str]:
    return sorted(p.stem for p in rules_dir.glob("*.yaml"))


_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
MAX_CERTIFICATE_BYTES = 64 * 1024


def is_path(value: str) -> bool:
    """`--regles` names a file (a path, or a `.yaml` file) rather than a set of conventions/regles/."""
    return "/" in value or "\\" in value or value.endswith((".yaml", ".yml"))


def load_ruleset(name: str = DEFAULT_RULES, rules_dir: Path = RULES_DIR) -> RuleSet:
    """The rules set `name` (of `rules_dir`), or the rules file `name` when it is a path; an unknown
    name or an invalid file stops the run with a French message. A rules file reads nothing
    outside its own folder (its `certificats_confiance` stay beside it)."""
    if is_path(name):
        path = Path(name)
        if path.suffix not in (".yaml", ".yml"):
            raise FslError(f"fichier de règles « {name} » : attendu un fichier .yaml")
        if not path.is_file():
            raise FslError(f"fichier de règles « {name} » introuvable")
    else:
        path = rules_dir / f"{name}.yaml"
        if not _NAME.fullmatch(name) or not path.is_file():
            raise FslError(f"règles « {name} » inconnues ; disponibles : {', '.join(available(rules_dir))} "
                           "(ou le chemin d'un fichier de règles .yaml)")
    doc = load_yaml(path)
    validate_document(doc, "regles")
    return build_ruleset(doc)


def build_ruleset(doc: YamlDocument) -> RuleSet:
    data = doc.data
    _check_prompt_reading(doc)
    prompt = data.get("sans_tarder")
    rules = tuple(_rule(item, prompt) for item in data["regles"])
    _check_unique(doc, rules)
    feries = data["jours_feries"]
    return RuleSet(
        name=data["nom"], territory=data["territoire"], country=feries["pays"],
        subdivision=feries["subdivision"], alert_days=data["alerte_jours"],
        checked_from=date.fromisoformat(data["controle_depuis"]), rules=rules, source=data["source"],
        trust_roots=_trust_roots(doc),
        unchecked=tuple(Unchecked(obligation=item["obligation"], source=item["source"], reason=item["raison"])
                        for item in data.get("non_controle", ())),
    )


def _trust_roots(doc: YamlDocument) -> tuple[bytes, ...]:
    """The certificates named in `certificats_confiance` (PEM or DER, beside the rules file)."""
    roots = []
    for index, name in enumerate(doc.data.get("certificats_confiance", ())):
        path = doc.path.parent / name
        where = (doc.path, doc.line_of(("certificats_confiance", index)), f"certificats_confiance[{index}]")
        if not _inside(path, doc.path.parent):
            message = f"certificat « {name} » hors du dossier du fichier de règles : refusé"
            raise InputErrors([InputError(message, *where)])
        try:
            raw = read_bytes(path, MAX_CERTIFICATE_BYTES, root=doc.path.parent)  # never outside regles/
        except InputError as exc:
            problem = "introuvable à côté du fichier de règles" if exc.message == "fichier introuvable" \
                else f"refusé : {exc.message}"
            raise InputErrors([InputError(f"certificat « {name} » {problem}", *where)]) from None
        try:
            roots.append(_der(raw))
        except ValueError:
            raise InputErrors([InputError(f"« {name} » n'est pas un certificat X.509 (PEM ou DER)",
                                          *where)]) from None
    return tuple(roots)


def _inside(path: Path, folder: Path) -> bool:
    """`path`, links resolved, lies inside `folder` (no `..`, no absolute path, no link leaving it)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def load_certificate(path: Path) -> bytes:
    """A trusted authority given on the command line (`--confiance`, PEM or DER) as DER bytes."""
    path = Path(path)
    try:
        if not path.resolve().is_file():
            raise FslError(f"{path}: certificat introuvable (--confiance)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_CERTIFICATE_BYTES + 1)
    except OSError:
        raise FslError(f"{path}: certificat illisible (--confiance)") from None
    if len(raw) > MAX_CERTIFICATE_BYTES:
        raise FslError(f"{path}: fichier trop gros pour un certificat (--confiance)")
    try:
        return _der(raw)
    except ValueError:
        raise FslError(f"{path}: ce n'est pas un certificat X.509 (PEM ou DER) (--confiance)") from None


def _der(raw: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = x509.load_pem_x509_certificate(raw) if raw.lstrip().startswith(b"-----") \
        else x509.load_der_x509_certificate(raw)
    return cert.public_bytes(Encoding.DER)


def _check_unique(doc: YamlDocument, rules: tuple[Rule, ...]) -> None:
    """A rule id may appear twice only with two different conditions (CEA-BILAN)."""
    seen: dict[tuple[str, Condition], int] = {}
    errors = []
    for index, rule in enumerate(rules):
        key = (rule.id, rule.condition)
        if key in seen:
            errors.append(InputError(
                f"règle « {rule.id} » en double (déjà définie règle n°{seen[key] + 1}) : "
                "donnez-lui une autre condition ou un autre id",
                doc.path, doc.line_of(("regles", index, "id")), f"regles[{index}].id"))
        seen[key] = index
    if errors:
        raise InputErrors(errors)


def _check_prompt_reading(doc: YamlDocument) -> None:
    """A deadline « sans tarder » reads its delay from the rules set's `sans_tarder:`: it must be there."""
    errors = []
    for index, item in enumerate(doc.data["regles"]):
        spec = item.get("echeance", {})
        if not spec.get("sans_tarder"):
            continue
        where = (doc.path, doc.line_of(("regles", index, "echeance", "sans_tarder")),
                 f"regles[{index}].echeance.sans_tarder")
        if "sans_tarder" not in doc.data:
            errors.append(InputError("échéance « sans tarder » sans le paramètre sans_tarder: du fichier de "
                                     "règles (exemple : sans_tarder: {delai: 5, decompte: jours_ouvres, "
                                     "lecture: \"...\"})", *where))
        if "delai" in spec or "decompte" in spec:
            errors.append(InputError("échéance « sans tarder » : delai et decompte viennent de sans_tarder:, "
                                     "retirez-les de la règle (ou retirez sans_tarder: true)", *where))
    if errors:
        raise InputErrors(errors)


def _rule(item: dict[str, Any], prompt: dict[str, Any] | None = None) -> Rule:
    check = Check(item["controle"])
    return Rule(
        id=item["id"], check=check, label=item["libelle"],
        measures=tuple(Measure(m) for m in item["dispositifs"]),
        severity=_SEVERITY[item["gravite"]], source=item["source"],
        document=DocumentType(item["piece"]) if "piece" in item else None,
        deadline=_deadline(item["echeance"], prompt) if "echeance" in item else None,
        signatories=frozenset(Role(r) for r in item.get("signataires", ())),
        required=item.get("obligatoire", True) and check in _DOCUMENT_CHECKS,
        condition=Condition(item.get("condition", "toujours")),
        periodicity=Periodicity(item.get("periodicite", "aucune")),
        limits=_limits(item.get("limites", {})),
        interpretation=item.get("interpretation"), reason=item.get("raison"),
    )


def _deadline(data: dict[str, Any], prompt: dict[str, Any] | None = None) -> Deadline:
    """A rule's `echeance`; `sans_tarder: true` takes its delay from the rules set's reading."""
    if data.get("sans_tarder") and prompt is not None:
        data = {**data, "delai": prompt["delai"], "decompte": prompt["decompte"]}
    reading = prompt["lecture"] if data.get("sans_tarder") and prompt is not None else None
    fixed = None
    if "jour_fixe" in data:
        month, day = data["jour_fixe"].split("-")
        fixed = (int(month), int(day))
    return Deadline(
        anchor=Anchor(data["ancre"]), offset=data["delai"], counting=Counting(data["decompte"]),
        extend=data["prorogation"],
        event=EventType(data["evenement"]) if "evenement" in data else None, fixed_day=fixed,
        reading=reading,
    )


def _limits(data: dict[str, Any]) -> Limits:
    def event(key: str) -> EventType | None:
        return EventType(data[key]) if key in data else None

    return Limits(
        min_months=data.get("duree_min_mois"), max_months=data.get("duree_max_mois"),
        max_by_rank=tuple(data.get("max_par_rang", ())), max_total=data.get("total_max_mois"),
        max_first_by_motif=MappingProxyType(dict(data.get("premiere_periode_par_motif", {}))),
        retroactive_motifs=frozenset(data.get("motifs_retroactifs", ())),
        start_until_month_end=data.get("jusqu_a_fin_du_mois", False),
        overlap_max_months=data.get("chevauchement_max_mois", 0), cap=data.get("plafond"),
        min_visits=MappingProxyType(dict(data.get("visites_min", {}))),
        consecutive=data.get("consecutifs"), min_attempts=data.get("tentatives_min"),
        expected=event("attendu"), reset=event("remise_a_zero"),
        months_by_kind=MappingProxyType(dict(data.get("duree_par_type", {}))),
        excluded=frozenset(data.get("accompagnements_exclus", ())),
        max_working_days=data.get("jours_ouvres_max"), max_vacant_months=data.get("vacance_max_mois"),
        day_threshold=data.get("jour_du_mois_max"),
        after_diagnostic_motif=data.get("motif_apres_diagnostic"), rank=data.get("rang"),
        relay_max_months=MappingProxyType(dict(data.get("relais_max_mois", {}))),
        every_months=data.get("intervalle_mois"),
    )
