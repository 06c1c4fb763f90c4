"""Issue 18 point 3: every reconstruction choice is a point to confirm; --final refuses on them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from engine.cli import main
from engine.open_points import PointKind
from engine.printed import all_points, printed_differences
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parent.parent


def _conventions():
    return load_conventions(ROOT / "conventions").conventions


def test_points_name_every_association_with_an_inference_note(capsys) -> None:
    with_notes = set()
    notes = 0
    for path in (ROOT / "conventions" / "associations").glob("*.yaml"):
        count = len(re.findall(r"(?m)^\s*inference:", path.read_text(encoding="utf-8")))
        if count:
            with_notes.add(path.name)
            notes += count
    assert main(["points", "2026"]) == 1
    out = capsys.readouterr().out
    reconstructions = [line for line in out.splitlines() if "reconstituée" in line]
    assert len(reconstructions) == notes
    assert {Path(line.rsplit(" — ", 1)[1].split(":")[0]).name for line in reconstructions} == with_notes
    haj = [line for line in out.splitlines()
           if "hors des territoires" in line and "Habitat Jeunes HAJ" in line]
    assert len(haj) == 1 and "Audomarois" in haj[0] and "100 points ASLL" in haj[0]
    assert "habitat-jeunes-haj.yaml:7: ecart_territoires.audomarois" in haj[0]
    assert any(line.startswith("4 AJ : ligne sur « tous les territoires »") for line in out.splitlines())


def test_totals_departing_from_the_printed_annex_are_points_plain_french_first(capsys) -> None:
    differences = {d.association.slug: (d.retained, d.printed)
                   for d in printed_differences(_conventions(), 2026)}
    assert differences["audasse"] == (Decimal("388837.80"), Decimal("368837.80"))
    assert differences["chrs-le-coin-familial"] == (Decimal("251348.20"), Decimal("281348.20"))
    assert len(differences) == 7
    main(["points", "2026"])
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines()
                if line.startswith("AUDASSE : ") and "montant_convention" in line)
    assert line.replace("\u202f", " ").replace("\u00a0", " ").startswith(
        "AUDASSE : 388 837,80 € retenus, 368 837,80 € imprimés dans l'annexe 3 votée ; ")
    assert line.endswith("annexe3-2026.csv:10: montant_convention")


def test_final_refuses_while_reconstruction_points_remain(tmp_path: Path, capsys) -> None:
    kinds = {p.kind for p in all_points(_conventions(), 2026)}
    assert {PointKind.RECONSTRUCTION, PointKind.TERRITORY, PointKind.PUBLISHED} <= kinds
    out = tmp_path / "2026"
    assert main(["build", "2026", "--final", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--final refusé" in err and "fsl points 2026" in err
    assert re.search(r"--final refusé : \d+ point\(s\)", err)
    assert not out.exists()


def test_reconciliation_note_lists_printed_and_retained_with_the_reason(tmp_path: Path, capsys) -> None:
    from docx import Document

    assert main(["points", "2026", "--note", "--out", str(tmp_path / "a")]) == 1
    assert main(["points", "2026", "--note", "--out", str(tmp_path / "b")]) == 1
    name = "note_reconciliation_2026.docx"
    first = (tmp_path / "a" / name).read_bytes()
    assert first == (tmp_path / "b" / name).read_bytes()
    rows = [[c.text.translate({0x202F: " ", 0xA0: " "}) for c in r.cells]
            for r in Document(str(tmp_path / "a" / name)).tables[0].rows[1:]]
    assert len(rows) == 7
    audasse = next(r for r in rows if r[0] == "AUDASSE")
    assert audasse[1:4] == ["368 837,80 €", "388 837,80 €", "20 000,00 €"]
    assert "Hénin-Carvin" in audasse[4]
    coin = next(r for r in rows if r[0] == "CHRS Le Coin Familial")
    assert coin[1:4] == ["281 348,20 €", "251 348,20 €", "-30 000,00 €"]
