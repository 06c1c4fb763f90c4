"""The 198 real-world PDFs of ../shared/corpus/pdf submitted as received files: no crash, no hang.

Each file becomes the 2026 amendment of one association (declared signed by both parties), so the
only findings come from the file itself: unreadable, or badly signed, or signed by an authority
outside the trust list (a warning). Skipped where the corpus is absent.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from engine.checker.registry import DOCUMENTS, MEASURES
from engine.checker.report import result_json
from engine.checker.ruleset import load_ruleset
from engine.checker.run import run_check

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"
FILES = sorted(CORPUS.glob("*/*.pdf")) if CORPUS.exists() else []
UNREADABLE = re.compile(r"broken-objstream[1236]|circular-page-tree|startxref-hopeless[23]|pubkey|rc4|"
                        r"aes256(?!-empty)|malformed-encrypt|encrypted-(file|256|nocf)|r[2-4]-(aes-)?user-password|both-passwords")
BADLY_SIGNED = re.compile(r"sneaky|coverage-anomalies|ed448-disallowed-hash|sig-with-econtent")

pytestmark = pytest.mark.skipif(not FILES, reason="corpus ../shared/corpus/pdf absent")


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "soumissions"
    (root / "fichiers").mkdir(parents=True)
    rows = []
    for index, path in enumerate(FILES):
        name = f"{path.parent.name}__{path.name}"
        shutil.copy(path, root / "fichiers" / name)  # a symlink leaving fichiers/ is refused
        rows.append(f"C-{index:03d};;acarlogi;avenant;2026;2026-07-01;{name};departement|association")
    (root / "mesures.csv").write_text(";".join(MEASURES) + "\n", encoding="utf-8")
    (root / "documents.csv").write_text("\n".join([";".join(DOCUMENTS), *rows]) + "\n", encoding="utf-8")
    started = time.monotonic()
    report = result_json(run_check(root, date(2026, 11, 22), load_ruleset()))
    by_file = defaultdict(list)
    for finding in report["findings"]:
        by_file[FILES[int(finding["document_id"][2:])].name].append(finding)
    return report, by_file, time.monotonic() - started


def test_whole_corpus_is_read_without_crash_or_hang(outcome) -> None:
    report, _, elapsed = outcome
    assert len(FILES) == 198 and report["summary"]["documents"] == 198
    assert elapsed < 120, elapsed


def test_each_unreadable_file_has_its_finding(outcome) -> None:
    _, by_file, _ = outcome
    for path in FILES:
        if UNREADABLE.search(path.name):
            rules = {f["rule"] for f in by_file[path.name]}
            assert "FICHIER-ILLISIBLE" in rules, path.name


def test_each_badly_signed_file_is_an_error(outcome) -> None:
    _, by_file, _ = outcome
    for path in FILES:
        if BADLY_SIGNED.search(path.name):
            found = by_file[path.name]
            assert any(f["severity"] == "error" and f["evidence"] == "signature" for f in found), path.name


def test_no_sneaky_or_coverage_anomaly_is_validly_signed(outcome) -> None:
    _, by_file, _ = outcome
    suspicious = [p.name for p in FILES if "sneaky" in p.name or "coverage-anomalies" in p.name]
    assert len(suspicious) == 9  # 5 coverage anomalies, 4 sneaky updates
    for name in suspicious:
        assert any(f["severity"] == "error" for f in by_file[name]), name


def test_errors_only_for_unreadable_or_badly_signed(outcome) -> None:
    report, _, _ = outcome
    for finding in report["findings"]:
        if finding["severity"] == "error":
            assert finding["rule"] == "FICHIER-ILLISIBLE" or "signature invalide" in finding["message"]
        else:
            assert "certificat non reconnu" in finding["message"]
