"""The hostile-input corpus (tests/hostile/cases.yaml): each case is the real CLI in a subprocess
under 512 MB of address space and 10 s; it must exit 1 or 3 with a French message naming the
file, no traceback, no raw control character, and write nothing."""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))
MEMORY = 512 * 1024 * 1024
SECONDS = 10
WALL_SECONDS = 30
"""Cases run two at a time on a shared machine: the wall limit catches a hang (which uses no
CPU); RLIMIT_CPU and `test_no_case_takes_10_seconds` hold each case to 10 s of CPU."""
ENGLISH = re.compile(r"Traceback|Error:|error:|Exception|No such file|Permission denied|"
                     r"\b(invalid|expected|unexpected|found)\b")


def test_the_corpus_has_at_least_40_cases_of_every_kind() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    kinds = {c["id"].split("-")[0] for c in CASES}
    assert {"yaml", "csv", "pdf", "docx", "xlsx", "rapport", "sortie", "dossier"} <= kinds


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))


def _base(kind: str, tmp_path: Path) -> Path:
    base = tmp_path / "base"
    if kind == "conventions":
        shutil.copytree(ROOT / "tests" / "fixtures" / "conventions", base)
        shutil.copy(ROOT / "conventions" / "departement.yaml", base / "departement.yaml")
    elif kind == "soumissions":
        shutil.copytree(HOSTILE / "soumissions", base)
    elif kind == "activite":
        shutil.copytree(ROOT / "examples" / "activite-2026", base)
    else:
        base.mkdir()
    return base


def _prepare(case: dict, target: Path) -> None:
    if "renomme" in case:  # the file given another name (a near miss: case, extension)
        target.rename(target.parent / case["renomme"])
        return
    if os.path.lexists(target) and not target.is_dir():
        target.unlink()
    elif target.is_dir() and "remplace" not in case:
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if "contenu" in case:
        target.write_bytes(case["contenu"].encode("utf-8"))
    elif "octets" in case:
        target.write_bytes(case["octets"].encode("latin-1"))
    elif "repete" in case:
        target.write_text(case["repete"]["texte"] * case["repete"]["fois"], encoding="utf-8")
    elif "lien" in case:
        target.symlink_to(case["lien"].format(here=ROOT))
    elif case.get("fifo"):
        os.mkfifo(target)
    elif case.get("dossier"):
        target.mkdir()
    elif case.get("socket"):
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    elif "tronque" in case:
        data = (ROOT / case["tronque"]["source"]).read_bytes()
        target.write_bytes(data[: int(len(data) * case["tronque"]["part"])])
    elif "creux" in case:
        with open(target, "wb") as handle:
            handle.truncate(case["creux"])
    elif "grille_gonflee" in case:
        target.write_bytes(_swollen_grid(case["grille_gonflee"]))
    elif case.get("bombe_zip"):
        target.write_bytes(_zip_bomb())
    elif case.get("classeur"):
        book = Workbook()
        book.active["A1"] = "=1+1"
        book.save(target)


def _swollen_grid(how: str) -> bytes:
    """The example grid of 4-aj with a part swollen: `textes` (a sharedStrings.xml of 10 million
    strings, a few hundred KB zipped), `entite` (an entity declaration expanded in a sheet)."""
    source = ROOT / "examples" / "activite-2026" / "grille_activite_2026_4-aj.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if how == "textes" and info.filename == "xl/sharedStrings.xml":
                continue
            if how == "entite" and info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1)
            new.writestr(info.filename, data)
        if how == "textes":
            new.writestr("xl/sharedStrings.xml", b'<?xml version="1.0"?><sst xmlns="http://schemas.'
                         b'openxmlformats.org/spreadsheetml/2006/main">'
                         + b"<si><t>a</t></si>" * 10_000_000 + b"</sst>")
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A DOCX-looking archive of 210 MB of zeros, a few hundred KB once compressed."""
    buffer = io.BytesIO()
    block = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(210):
                entry.write(block)
    return buffer.getvalue()


def _replace(case: dict, target: Path) -> None:
    change = case["remplace"]
    new = change["par"] + change.get("puis", "") * change.get("fois", 0)
    text = target.read_text(encoding="utf-8")
    assert change["de"] in text, case["id"]
    target.write_text(text.replace(change["de"], new, 1), encoding="utf-8")


def _run(case: dict, tmp_path: Path) -> dict:
    base = _base(case["base"], tmp_path)
    if "cible" in case:
        target = base / case["cible"]
        _replace(case, target) if "remplace" in case else _prepare(case, target)
    out = tmp_path / "sortie"
    values = {"base": str(base), "out": str(out), "tmp": str(tmp_path), "here": str(ROOT)}
    command = [part.format(**values) for part in case["commande"]]
    env = dict(os.environ, FSL_LOG_DIR=str(tmp_path / "logs"), FSL_DEBUG="0")
    status, cpu, text = _measured([sys.executable, "-m", "engine", *command], env, tmp_path / "said")
    return {"status": status, "seconds": cpu, "values": values, "text": text,
            "written": out.exists(), "logged": (tmp_path / "logs").exists()}


def _measured(command: list[str], env: dict, said: Path) -> tuple[int, float, str]:
    """Run `command`; its exit status, the CPU seconds it used (its own, from wait4) and its
    output. Killed past WALL_SECONDS (a hang uses no CPU): status -1."""
    with open(said, "wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
                                   preexec_fn=_limits)
        deadline = time.monotonic() + WALL_SECONDS
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:  # a hang: this case fails, the others still run
                process.kill()
                os.wait4(process.pid, 0)
                return -1, float(WALL_SECONDS), f"bloqué plus de {WALL_SECONDS} s"
            time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    text = said.read_bytes().decode("utf-8", errors="replace")
    return process.returncode, usage.ru_utime + usage.ru_stime, text


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    """Every case, run two at a time (each in its own process and folder)."""
    folders = {c["id"]: tmp_path_factory.mktemp(c["id"]) for c in CASES}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c["id"]: pool.submit(_run, c, folders[c["id"]]) for c in CASES}
        return {case_id: future.result() for case_id, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_input_is_a_french_error_naming_the_file(case: dict, outcomes: dict) -> None:
    outcome = outcomes[case["id"]]
    text, values = outcome["text"], outcome["values"]
    assert outcome["status"] == case["sortie"], text
    assert case["message"] in text, text
    named = case["nomme"].format(**values) if "nomme" in case else Path(case["cible"]).name
    line = next((li for li in text.splitlines() if case["message"] in li), "")
    assert named in line or named in text, text
    assert not ENGLISH.search(line), line
    if "ligne_interdite" in case:  # a name cannot print a line of its own (a forged error)
        assert not any(li.startswith(case["ligne_interdite"]) for li in text.splitlines()), text
    assert "\x1b" not in text and "\x00" not in text
    assert not outcome["written"]
    assert not outcome["logged"], "an internal error, not a handled one"


def test_no_case_takes_10_seconds(outcomes: dict) -> None:
    """CPU seconds of each run (the worker processes of `fsl check` are bounded on their own)."""
    slowest = max(outcomes.items(), key=lambda item: item[1]["seconds"])
    print(f"slowest case: {slowest[0]}, {slowest[1]['seconds']:.2f} s of CPU")
    assert slowest[1]["seconds"] < SECONDS, slowest[0]
