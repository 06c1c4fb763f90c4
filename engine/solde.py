"""The yearly settlement step (`fsl solde`): read the activity folder, settle, write the outputs.

Beside `engine.build`: the CLI parses and calls `settle_folder` then `solde_step`; everything is
validated (conventions, rules, the whole activity folder) before anything is written. An amendment
counts as signed when documents.csv records it (type avenant, the year) signed by both the
Département and the association (`signataires_declares`); the letters resting on an amendment
not so recorded are PROJET.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from engine.activity import Register
from engine.calendar import holiday_calendar
from engine.checker.registry import _SLUG, DOCUMENTS, _roles, read_rows
from engine.decisions import Letter, LetterDates, LetterRules, letters_for
from engine.errors import FslError, InputError, InputErrors
from engine.finance import Table, build_table
from engine.grid import sheets_for
from engine.load.activity import load_activity, place_names
from engine.load.settlement_rules import load_letter_rules, load_settlement_rules
from engine.model import Conventions
from engine.pack.commission import commission_path, load_commission
from engine.render.pdf import MISSING, convert_to_pdf, libreoffice_path
from engine.render.solde_json import solde_json
from engine.render.solde_letter import LETTERS_DIR, LetterData, french_date, write_letters
from engine.render.solde_xlsx import write_solde_xlsx
from engine.rules import DocumentType, Role
from engine.settlement import AdvanceDue, Settlement, SettlementRules, advance_schedule, settle_year


@dataclass(frozen=True)
class YearSettlement:
    year: int
    table: Table
    rules: SettlementRules
    register: Register
    settlements: tuple[Settlement, ...]
    schedule: tuple[AdvanceDue, ...]
    letter_rules: LetterRules | None = None
    signed: frozenset[str] = frozenset()

    def json(self) -> dict:
        return solde_json(self.year, self.settlements)

    def letters(self, dates: LetterDates, deliberation_known: bool = True) -> tuple[Letter, ...]:
        return letters_for(self.settlements, self.year, self.signed, dates, self.letter_rules,
                           deliberation_known)


def settle_folder(conventions: Conventions, year: int, activity: Path) -> YearSettlement:
    """Read and check everything, then settle: `InputErrors` (nothing computed) on any bad row."""
    table = build_table(conventions, year)
    rules = load_settlement_rules(Path(conventions.root))
    letter_rules = load_letter_rules(Path(conventions.root))
    expected = {b.association.slug: sheets_for(b.amounts) for b in table.blocks}
    register = load_activity(activity, expected, year, place_names(conventions.departement))
    signed = amendment_signatures(Path(activity), year)
    settlements = settle_year(table, register, conventions.departement, rules)
    holidays = holiday_calendar(rules.holidays_country)
    return YearSettlement(year, table, rules, register, settlements,
                          advance_schedule(table, signed, rules, holidays), letter_rules, frozenset(signed))


SIGNERS = frozenset({Role.DEPARTEMENT, Role.ASSOCIATION})  # 004 annexe 2; rule AVENANT-SIGN


def amendment_signatures(folder: Path, year: int) -> dict[str, date]:
    """Day each association's amendment of `year` was registered signed by the Département and the
    association (documents.csv, type avenant; a row with one signature is not a signed amendment)."""
    path = folder / "documents.csv"
    if not path.is_file():
        return {}
    errors: list[InputError] = []
    signed: dict[str, date] = {}
    for row in read_rows(path, DOCUMENTS, errors):
        if row.cells["type_document"] != DocumentType.AVENANT.value or row.cells["periode"] != str(year):
            continue
        slug, day = row.text("association", True, _SLUG), row.day("date_reception", True)
        if slug and day and SIGNERS <= _roles(row):
            signed[slug] = min(day, signed.get(slug, day))
    if errors:
        raise InputErrors(errors)
    return signed


UNDATED = LetterDates()


def solde_step(conventions: Conventions, result: YearSettlement, stage: Path, pdf: bool,
               dates: LetterDates = UNDATED) -> list[Path]:
    """`solde_YEAR.json`, `solde_YEAR.xlsx` and the letters `lettres_solde/solde_YEAR_<slug>.docx`
    (`…_prealable.docx` before a refund decision), and their PDF."""
    year = result.year
    json_path = stage / f"solde_{year}.json"
    json_path.write_text(json.dumps(result.json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    xlsx = stage / f"solde_{year}.xlsx"
    write_solde_xlsx(conventions, year, result.settlements, result.schedule, xlsx)
    deliberation, known = deliberation_text(Path(conventions.root), year)
    data = LetterData(conventions.departement, {a.slug: a for a in conventions.associations}, year,
                      result.rules, result.letter_rules, deliberation, dates, result.register.payments)
    letters = write_letters(data, result.letters(dates, known), stage / LETTERS_DIR)
    written = [json_path, xlsx, *letters]
    if pdf and letters:
        if libreoffice_path() is None:
            raise FslError(MISSING)
        written += convert_to_pdf(letters, stage / LETTERS_DIR)
    return written


def deliberation_text(root: Path, year: int) -> tuple[str, bool]:
    """« n°2026-173 de la Commission permanente du 26 mai 2026 » from commissions/YEAR.yaml, and
    whether the file is there (without it the letters say the number is to be completed)."""
    if not commission_path(root, year).is_file():
        return "de la Commission permanente (numéro et date à compléter)", False
    commission = load_commission(root, year)
    return (f"n°{commission.deliberation} de la Commission permanente du "
            f"{french_date(commission.meeting)}", True)
