"""Read `conventions/solde.yaml`: the settings of the yearly settlement and of its letters,
schema-checked, then frozen."""

from __future__ import annotations

from pathlib import Path

from engine.activity import AsllAct
from engine.decisions import LetterRules
from engine.load.schema import validate_document
from engine.load.yamlfile import load_yaml
from engine.model import Measure, frozen_mapping
from engine.settlement import CapScope, MonthCount, SettlementRules

SETTLEMENT_FILE = "solde.yaml"


def load_settlement_rules(conventions_root: Path) -> SettlementRules:
    """The settings of `solde.yaml` beside `departement.yaml`; `InputErrors` naming file and line."""
    doc = load_yaml(Path(conventions_root) / SETTLEMENT_FILE)
    validate_document(doc, "solde")
    data = doc.data
    points = {Measure(k): frozen_mapping(v) for k, v in data["points"].items() if k != "source"}
    sources = {key: value["source"] for key, value in data.items()
               if isinstance(value, dict) and "source" in value}
    return SettlementRules(
        month_count=MonthCount(data["mois_compte"]["valeur"]),
        points=frozen_mapping(points),
        cap=CapScope(data["plafond"]["valeur"]),
        dsf_rate=data["dsf"]["realise"], closed_door_rate=data["dsf"]["porte_close"],
        fal_rate=data["fal"]["taux"], fal_alone_rate=data["fal"]["taux_accompagnement_seul"],
        act_points=frozen_mapping({act: data["actes_asll"][act.value] for act in AsllAct}),
        gla_rate=data["gla"]["taux"],
        gla_min_days=data["gla"]["jours_minimum"],
        rate_decimals=data["taux_realisation"]["decimales"],
        advance_months=data["avance"]["delai_mois"],
        advance_extend=data["avance"]["report_jour_ouvre"],
        holidays_country=data["avance"]["pays_jours_feries"],
        balance_due=(data["solde"]["echeance_mois"], data["solde"]["echeance_jour"]),
        clause=data["clause"],
        sources=frozen_mapping({"versement": data["source"], **sources}),
    )


def load_letter_rules(conventions_root: Path) -> LetterRules:
    """The `lettres:` block of `solde.yaml`: delays, recourse, titre de recettes, reference."""
    doc = load_yaml(Path(conventions_root) / SETTLEMENT_FILE)
    validate_document(doc, "solde")
    data = doc.data["lettres"]
    appeal, title = data["recours"], data["titre_de_recettes"]
    return LetterRules(
        reference_prefix=data["reference_prefixe"],
        observation_days=data["observations"]["delai_jours"],
        notice_days=data["mise_en_demeure"]["delai_jours"],
        appeal_months=appeal["delai_mois"], court=appeal["tribunal"],
        gracious_authority=appeal["gracieux"], telerecours=appeal["telerecours"],
        authorising_officer=title["ordonnateur"], accountant=title["comptable"],
        grid_due=data["grille"]["echeance"],
        sources=frozen_mapping({key: value["source"] for key, value in data.items()
                                if isinstance(value, dict)}),
    )
