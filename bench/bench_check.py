"""Time `fsl check` against bare pypdf on the same generated files, and its peak memory.

    .venv/bin/python bench/bench_check.py [--documents 1000 10000] [--keep DIR]

For each N, a generated year (engine.checker.examples, signatures made now with a throw-away
certificate) is cut to its first N documents (documents.csv rows), then, each in a fresh process:
- check: `run_check` as `fsl check` runs it: CSV register, every file opened in the bounded worker
  processes (pypdf; pyHanko validation, difference analysis and trust for each signature), rules;
- bare pypdf: `PdfReader(path)` and its page count for every PDF those documents name, in one
  process; and the same plus `get_fields()` (the form fields, signature fields among them).
Ratio = check / bare (target ≤ 1.5), each time the median of `--repeat` runs. Then, per kind of
file, the mean time of one file read as the checker reads it (one process, no worker) against
bare pypdf, to show where the time goes. Peak memory is the largest resident size (ru_maxrss) of
the checking process and of its largest worker (target: flat from 1 000 to 10 000 documents).
It is a measurement, not a test: run it once and read the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_YEAR_DOCUMENTS = 7300  # about what engine.checker.examples writes with --scale full

CHECK = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from engine.checker.ruleset import load_ruleset
from engine.checker.run import run_check
started = time.perf_counter()
result = run_check(Path(sys.argv[1]), date(2026, 11, 22), load_ruleset())
print(json.dumps({"seconds": time.perf_counter() - started, "errors": result.errors,
                  "warnings": result.warnings,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

BARE = """
import json, logging, resource, sys, time, warnings
from pypdf import PdfReader
logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
paths, fields = [line.strip() for line in open(sys.argv[1]) if line.strip()], sys.argv[2] == "1"
started = time.perf_counter()
for path in paths:
    try:
        reader = PdfReader(path)
        len(reader.pages)
        if fields:
            reader.get_fields()
    except Exception:
        pass
print(json.dumps({"seconds": time.perf_counter() - started,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _python(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(base: Path, count: int) -> tuple[Path, list[Path]]:
    """A generated year large enough for `count` documents, cut to its first `count` rows."""
    folder = base / f"soumissions-{count}"
    scale = max(0.05, count / FULL_YEAR_DOCUMENTS * 1.1)
    subprocess.run([sys.executable, "-m", "engine.checker.examples", "--out", str(folder),
                    "--scale", f"{scale:.3f}"], check=True, cwd=ROOT)
    path = folder / "documents.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, rows = rows[0], rows[1:count + 1]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows([header, *rows])
    files = [folder / "fichiers" / row[6] for row in rows if row[6]]
    return folder, files


PER_FILE = """
import json, logging, sys, time, warnings
from pypdf import PdfReader
from engine.checker.evidence import end_of_day, inspect_file
from datetime import date
logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
moment = end_of_day(date(2026, 11, 22))
out = {}
for kind, listing in (("unsigned", sys.argv[1]), ("signed", sys.argv[2])):
    paths = [line.strip() for line in open(listing) if line.strip()][:300]
    started = time.perf_counter()
    for path in paths:
        inspect_file(path, 25 * 2**20, (), moment)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for path in paths:
        try:
            len(PdfReader(path).pages)
        except Exception:
            pass
    bare = time.perf_counter() - started
    out[kind] = {"files": len(paths), "ours_ms": 1000 * ours / max(1, len(paths)),
                 "bare_ms": 1000 * bare / max(1, len(paths))}
print(json.dumps(out))
"""


def _median(runs: list[dict]) -> dict:
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**best, "seconds": statistics.median(r["seconds"] for r in runs)}


def measure(base: Path, count: int, repeat: int) -> dict:
    folder, files = prepare(base, count)
    pdfs = [f for f in files if f.suffix == ".pdf" and f.exists()]
    signed = [p for p in pdfs if b"/ByteRange" in p.read_bytes()]
    listings = {}
    unsigned = [p for p in pdfs if p not in signed]
    for name, paths in (("all", pdfs), ("signed", signed), ("unsigned", unsigned)):
        listings[name] = base / f"pdf-{count}-{name}.txt"
        listings[name].write_text("\n".join(str(p) for p in paths) + "\n", encoding="utf-8")
    check = _median([_python(CHECK, str(folder)) for _ in range(repeat)])
    bare = _median([_python(BARE, str(listings["all"]), "0") for _ in range(repeat)])
    bare_fields = _median([_python(BARE, str(listings["all"]), "1") for _ in range(repeat)])
    per_file = _python(PER_FILE, str(listings["unsigned"]), str(listings["signed"]))
    return {"documents": count, "files": len(files), "pdf": len(pdfs), "signed_pdf": len(signed),
            "check": check, "bare": bare, "bare_fields": bare_fields, "per_file": per_file}


def report(row: dict) -> str:
    check, bare, fields = row["check"], row["bare"], row["bare_fields"]
    return (f"{row['documents']:>6} pièces, {row['files']} fichiers ({row['pdf']} PDF dont "
            f"{row['signed_pdf']} signés) : contrôle {check['seconds']:.1f} s "
            f"({check['errors']} erreurs, {check['warnings']} avertissements) ; pypdf nu "
            f"{bare['seconds']:.1f} s → ratio {check['seconds'] / bare['seconds']:.1f} ; pypdf + champs "
            f"{fields['seconds']:.1f} s → ratio {check['seconds'] / fields['seconds']:.2f} ; mémoire max "
            f"{check['rss_kb'] / 1024:.0f} Mo (processus) / {check['worker_rss_kb'] / 1024:.0f} Mo (lecteur)"
            + "".join(f"\n        un PDF {'signé' if kind == 'signed' else 'non signé'} : "
                      f"{v['ours_ms']:.1f} ms contre {v['bare_ms']:.1f} ms (pypdf nu), "
                      f"sur {v['files']} fichiers" for kind, v in row["per_file"].items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, default=None, help="garder les dossiers générés ici")
    parser.add_argument("--repeat", type=int, default=3, help="mesures répétées, médiane retenue")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-check-") as temporary:
        base = args.keep or Path(temporary)
        base.mkdir(parents=True, exist_ok=True)
        for count in args.documents:
            print(report(measure(base, count, args.repeat)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
