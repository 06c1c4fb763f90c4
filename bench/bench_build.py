"""Time `fsl build YEAR --pdf` against one LibreOffice process converting the same DOCX files.

    .venv/bin/python bench/bench_build.py [--year 2026] [--repeat 5] [--conventions DIR]
                                          [--batch] [--workers N]

In one run, alternating round by round so that the machine's load weighs on both sides alike:
- build: `fsl build YEAR --pdf` in a fresh temporary output folder (start-up, validation, table,
  27 avenants, pack, traces, SCDL, PDF conversions, the pack's PDF/A merge, manifest);
- libreoffice: one `soffice --convert-to pdf` process, with a fresh private profile as the engine
  uses, converting the same DOCX files (the avenants and the pack's parts the build writes);
- with --batch, also the previous path: the same build with FSL_PDF_WORKERS=0 (one `--convert-to`
  batch per step, after the step's rendering).
Prints each round's times, the medians and the median of the per-round ratios build / libreoffice
(target ≤ 1.0), then the wall time of `fsl --help` and `fsl validate` (target < 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine import PROJECT_ROOT
from engine.render.pdf import libreoffice_path

TARGET_RATIO = 1.0
TARGET_STARTUP = 0.5
FSL = [sys.executable, "-m", "engine"]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    soffice = libreoffice_path()
    if soffice is None:
        print("LibreOffice absent : rien à mesurer", file=sys.stderr)
        return 1
    env = dict(os.environ, FSL_PDF_WORKERS=str(args.workers)) if args.workers is not None else None
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        folder = Path(tmp)
        docx = _documents(args, folder / "reference")
        print(f"fsl build {args.year} --pdf contre un LibreOffice sur les mêmes {len(docx)} DOCX, "
              f"{args.repeat} tours alternés ; charge : {_load()}")
        rows: dict[str, list[float]] = {"build": [], "libreoffice": [], "batch": []}
        for i in range(args.repeat):
            rows["build"].append(_timed(_fsl(args, folder / f"build{i}", "--pdf"), env))
            rows["libreoffice"].append(_soffice(soffice, docx, folder / f"lo{i}"))
            line = (f"tour {i + 1} : build {rows['build'][-1]:6.2f} s   "
                    f"libreoffice {rows['libreoffice'][-1]:6.2f} s")
            if args.batch:
                batch_env = dict(os.environ, FSL_PDF_WORKERS="0")
                rows["batch"].append(_timed(_fsl(args, folder / f"batch{i}", "--pdf"), batch_env))
                line += f"   chemin précédent (lots) {rows['batch'][-1]:6.2f} s"
            print(line, flush=True)
        build, office = statistics.median(rows["build"]), statistics.median(rows["libreoffice"])
        ratio = statistics.median(b / o for b, o in zip(rows["build"], rows["libreoffice"], strict=True))
        print(f"médianes : build {build:.2f} s, libreoffice {office:.2f} s")
        print(f"rapport médian build / libreoffice : {ratio:.2f}  (cible ≤ {TARGET_RATIO})")
        if args.batch:
            batch = statistics.median(rows["batch"])
            ratio_batch = statistics.median(
                b / o for b, o in zip(rows["batch"], rows["libreoffice"], strict=True))
            print(f"chemin précédent (FSL_PDF_WORKERS=0) : {batch:.2f} s, rapport {ratio_batch:.2f}")
    helps = [_timed([*FSL, "--help"]) for _ in range(5)]
    validates = [_timed([*FSL, "validate", "-q", "--conventions", str(args.conventions)]) for _ in range(5)]
    print(f"démarrage : fsl --help {statistics.median(helps):.2f} s, "
          f"fsl validate {statistics.median(validates):.2f} s (médiane de 5 ; cible < {TARGET_STARTUP} s)")
    print(f"charge en fin de mesure : {_load()}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conventions", type=Path, default=PROJECT_ROOT / "conventions")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", action="store_true", help="mesurer aussi le chemin précédent")
    parser.add_argument("--workers", type=int, default=None, help="FSL_PDF_WORKERS pour le build")
    return parser


def _fsl(args: argparse.Namespace, out: Path, *extra: str) -> list[str]:
    return [*FSL, "build", str(args.year), "-q", "--conventions", str(args.conventions),
            "--out", str(out), *extra]


def _documents(args: argparse.Namespace, out: Path) -> list[Path]:
    """The DOCX a build converts: the avenants and the pack's parts (a build without --pdf)."""
    subprocess.run(_fsl(args, out), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted((out / "avenants").glob("*.docx")) + sorted((out / "pack").glob("*.docx"))


def _timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _soffice(soffice: str, docx: list[Path], out: Path) -> float:
    """One LibreOffice process, fresh private profile, all the DOCX; checks every PDF is there."""
    profile = Path(tempfile.mkdtemp(prefix="bench-build-profile-"))
    try:
        elapsed = _timed([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--norestore", "--convert-to", "pdf", "--outdir", str(out), *map(str, docx)],
                         dict(os.environ, HOME=str(profile)))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    missing = [p.name for p in docx if not (out / f"{p.stem}.pdf").is_file()]
    if missing:
        raise SystemExit(f"LibreOffice n'a pas converti : {', '.join(missing)}")
    return elapsed


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min) sur {os.cpu_count()} cœurs"


if __name__ == "__main__":
    sys.exit(main())
