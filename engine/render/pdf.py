"""PDF through LibreOffice, headless, each process with its own temporary profile.

Starting LibreOffice costs a second, so it is started once: `convert_to_pdf` converts a whole
batch in one `soffice --convert-to pdf` call; `Converter` (the build's service) keeps instances
up for the whole build and feeds them while rendering goes on. The profile
(`-env:UserInstallation`) is a fresh temporary folder, so a user's open LibreOffice or a stale
lock never blocks the run; a timeout kills the whole process group. Only documents the engine
generated go through here, never a submitted file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from engine.errors import DocumentError, RunError
from engine.render.output import process_alive
from engine.render.pdf_cache import PdfCache, default_cache

INSTALL = "apt-get install libreoffice-writer-nogui"
MISSING = (f"LibreOffice est introuvable : les PDF ne sont pas produits (les DOCX le sont) ; "
           f"installez-le avec « {INSTALL} ».")
PROFILE_PREFIX = "fsl-libreoffice-"
DEFAULT_WORKERS = 2
BATCH = 5
"""Documents a worker waits for before it starts a client (about 0.3 s each), unless flushed."""
PIPE_WAIT = 10.0
"""Seconds a worker waits for its LibreOffice instance to listen before sending it documents."""
PDF_A2 = {"SelectPdfVersion": {"type": "long", "value": "2"}}
"""writer_pdf_Export option for PDF/A-2b (LibreOffice ≥ 7.4 reads filter options as JSON)."""


def workers() -> int:
    """LibreOffice instances of a build with --pdf: `FSL_PDF_WORKERS` (default 2, one per core of
    the reference machine); 0 converts each step's documents in one `--convert-to` batch instead."""
    text = os.environ.get("FSL_PDF_WORKERS", "").strip() or str(DEFAULT_WORKERS)
    if not text.isdigit() or int(text) > 8:
        raise RunError(f"FSL_PDF_WORKERS={text!r} : attendu un nombre de 0 à 8")
    return int(text)


def libreoffice_path() -> str | None:
    """The `soffice` (or `libreoffice`) executable on PATH, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(
    paths: list[Path], out_dir: Path, *, pdf_a: bool = False, timeout: float = 600
) -> list[Path]:
    """Convert `paths` to `out_dir/<stem>.pdf` in one LibreOffice process; return the PDFs.

    Raises `FslError` when LibreOffice is missing or too slow, `DocumentError` naming a file
    LibreOffice did not convert.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    soffice = libreoffice_path()
    if soffice is None:
        raise RunError(MISSING)
    _check_stems(paths)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache, export = default_cache(soffice), _target(pdf_a)
    sources = {p: p.read_bytes() for p in paths} if cache is not None else {}
    todo = [p for p in paths
            if cache is None or not _from_cache(cache, sources[p], export, out_dir / f"{p.stem}.pdf")]
    returncode, output = 0, ""
    if todo:
        _clear_stale_profiles()
        with tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{os.getpid()}-") as profile:
            command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                       "--norestore", "--nolockcheck", "--convert-to", export,
                       "--outdir", str(out_dir), *(str(p) for p in todo)]
            returncode, output = _run(command, timeout, dict(os.environ, HOME=profile))
    pdfs = [out_dir / f"{p.stem}.pdf" for p in paths]
    for source, pdf in zip(paths, pdfs, strict=True):
        if not pdf.is_file():
            raise DocumentError(f"LibreOffice n'a pas produit {pdf.name} (code {returncode}) : "
                                f"{output.strip()[-300:]}", source)
        if cache is not None and source in todo:
            cache.put(sources[source], export, pdf)
    return pdfs


def _from_cache(cache: PdfCache, docx: bytes, export: str, target: Path) -> bool:
    """Write the cached PDF of these DOCX bytes as `target`; False when there is none (or a bad one)."""
    data = cache.get(docx, export)
    if data is None:
        return False
    cache.copy_to(data, target)
    return True


def _clear_stale_profiles() -> None:
    """Remove the LibreOffice profiles a killed run left in the temporary folder."""
    for path in Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*-*"):
        pid = path.name[len(PROFILE_PREFIX):].split("-")[0]
        if path.is_dir() and not path.is_symlink() and not process_alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def _target(pdf_a: bool) -> str:
    if not pdf_a:
        return "pdf"
    return "pdf:writer_pdf_Export:" + json.dumps(PDF_A2, separators=(",", ":"))


def _check_stems(paths: list[Path]) -> None:
    """Two inputs with one stem would write the same PDF."""
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            raise DocumentError(f"même nom de PDF que {seen[path.stem]}", path)
        seen[path.stem] = path


def _run(command: list[str], timeout: float, env: dict) -> tuple[int, str]:
    """Run in a new process group; on timeout kill the group (soffice forks soffice.bin)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise RunError(f"LibreOffice n'a pas fini la conversion en PDF en {timeout:g} s : "
                       "conversion abandonnée") from None
    except BaseException:  # Ctrl-C, SIGTERM: stop LibreOffice before its profile and outputs go
        _stop(process)
        raise
    return process.returncode, output.decode("utf-8", errors="replace")


def _stop(process: subprocess.Popen) -> None:
    """Kill the whole process group (soffice forks soffice.bin) and wait for it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


class Converter:
    """The build's conversion service: `workers` persistent LibreOffice instances, fed while
    rendering goes on.

    Each worker is one headless LibreOffice started once for the whole build, with its own
    temporary profile; it holds an empty text document open so that it stays up between
    requests. Documents are handed to it by a short `soffice --convert-to` client on the same
    profile: LibreOffice passes the request to the running instance through its single-instance
    pipe (a local socket, no network) and the client returns when the PDFs are written. A worker
    takes, at each turn, its share of the documents waiting with the same output folder and
    filter, so two workers convert on two cores while the caller renders the next documents.

        with Converter() as converter:
            futures = converter.submit([docx], folder)   # returns at once
            ...
            pdfs = converter.wait(futures)              # the PDFs, or the first error

    Leaving the block (normally, on an error, on Ctrl-C) stops the instances (their whole process
    groups) and removes their profiles.
    """

    def __init__(self, workers: int = 2, timeout: float = 600) -> None:
        soffice = libreoffice_path()
        if soffice is None:
            raise RunError(MISSING)
        self.soffice = soffice
        self.timeout = timeout
        self.cache = default_cache(soffice)
        self._count = workers
        self._jobs: list[_Job] = []
        self._stems: dict[tuple[Path, str], Path] = {}
        self._ready = threading.Condition()
        self._closed = False
        self._flushing = False
        self._submitted: list[Future] = []
        self._later: list[Callable[[], object]] = []
        self._scratch: list[Path] = []
        self._workers: list[_Worker] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Converter:
        _clear_stale_profiles()
        try:
            for _ in range(self._count):
                worker = _Worker(self)
                thread = threading.Thread(target=worker.serve, name="fsl-libreoffice", daemon=True)
                thread.start()
                self._threads.append(thread)  # an interrupted start() leaves a thread close() cannot join
        except BaseException:
            self.close(wait=False)
            raise
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(wait=kind is None)

    def submit(self, paths: list[Path], out_dir: Path, *, pdf_a: bool = False) -> list[Future]:
        """Queue `paths` for `out_dir/<stem>.pdf`; one future per document (its PDF's path)."""
        out_dir = Path(out_dir).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        futures = []
        with self._ready:
            if self._closed:
                raise RunError("conversion en PDF déjà arrêtée")
            for path in (Path(p).resolve() for p in paths):
                key = (out_dir, path.stem)
                if key in self._stems:
                    raise DocumentError(f"même nom de PDF que {self._stems[key]}", path)
                self._stems[key] = path
                cache = self.cache
                docx = path.read_bytes() if cache is not None else None
                target = out_dir / f"{path.stem}.pdf"
                if (cache is not None and docx is not None
                        and _from_cache(cache, docx, _target(pdf_a), target)):
                    done: Future = Future()
                    done.set_result(target)  # the same DOCX bytes: the PDF of a previous build
                    futures.append(done)
                    continue
                job = _Job(path, out_dir, pdf_a, Future(), docx)
                self._jobs.append(job)
                futures.append(job.future)
            self._submitted += futures
            self._ready.notify_all()
        return futures

    def scratch(self, prefix: str) -> Path:
        """A temporary folder for PDFs that are not outputs (the pack's parts), removed on close."""
        folder = Path(tempfile.mkdtemp(prefix=prefix))
        self._scratch.append(folder)
        return folder

    def later(self, finish: Callable[[], object]) -> None:
        """Run `finish` (say, merge the pack's PDFs) in `finish()`, once every PDF is written."""
        self._later.append(finish)

    def finish(self) -> None:
        """Wait for every document submitted, then run what `later` queued, in order."""
        self.wait(self._submitted)
        while self._later:
            self._later.pop(0)()

    def wait(self, futures: list[Future]) -> list[Path]:
        """The PDFs of `futures`, in order; raises the first conversion error."""
        self.flush()
        return [future.result() for future in futures]

    def close(self, wait: bool = True) -> None:
        """Stop taking documents; with `wait`, finish those queued first. Then stop LibreOffice."""
        with self._ready:
            self._closed = True
            if not wait:
                for job in self._jobs:
                    job.future.cancel()
                self._jobs.clear()
            self._ready.notify_all()
        if not wait:
            for worker in self._workers:
                worker.interrupt()
        for thread in self._threads:
            thread.join()
        for worker in self._workers:
            worker.shut_down()
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)

    def flush(self) -> None:
        """No more documents for now: convert those waiting even if they make a small batch."""
        with self._ready:
            self._flushing = True
            self._ready.notify_all()

    def _take(self) -> list[_Job] | None:
        """A batch for a worker: its share of the waiting documents of one kind, once there are
        `BATCH` of them or the caller flushed (each batch costs a client start); None when done."""
        with self._ready:
            while True:
                same = self._first_kind()
                if len(same) >= BATCH or (same and (self._flushing or self._closed)):
                    break
                if not same and self._closed:
                    return None
                self._ready.wait()
            share = same[:max(BATCH, -(-len(same) // self._count))]
            for job in share:
                self._jobs.remove(job)
            if not self._jobs:
                self._flushing = False
            return share

    def _first_kind(self) -> list[_Job]:
        if not self._jobs:
            return []
        kind = (self._jobs[0].out_dir, self._jobs[0].pdf_a)
        return [j for j in self._jobs if (j.out_dir, j.pdf_a) == kind]


@dataclass
class _Job:
    path: Path
    out_dir: Path
    pdf_a: bool
    future: Future
    docx: bytes | None = None
    """The DOCX bytes read at submission, for the cache (None: no cache)."""


class _Worker:
    """One persistent LibreOffice instance and the thread that feeds it."""

    def __init__(self, owner: Converter) -> None:
        self.owner = owner
        self.profile: Path | None = None
        self.server: subprocess.Popen | None = None
        self.client: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.stopped = False
        owner._workers.append(self)  # first: a Ctrl-C from here on finds its profile and instance
        self.profile = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-"))
        self.url = self.profile.as_uri()
        self.env = dict(os.environ, HOME=str(self.profile))
        keep_open = self.profile / "ouvert.txt"
        keep_open.write_text("\n", encoding="utf-8")
        self.server = subprocess.Popen(
            [owner.soffice, f"-env:UserInstallation={self.url}", "--headless", "--norestore",
             "--nolockcheck", "--nologo", str(keep_open)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            env=self.env, start_new_session=True)

    def serve(self) -> None:
        try:
            self._serve()
        except BaseException:  # noqa: BLE001 - a worker stopped under it (Ctrl-C while starting)
            if not self.stopped:
                raise

    def _serve(self) -> None:
        if self.stopped:
            return
        self._await_pipe()
        while True:
            batch = self.owner._take()
            if batch is None:
                return
            try:
                self._convert(batch)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller through the futures
                for job in batch:
                    if not job.future.done():
                        job.future.set_exception(exc)

    def _await_pipe(self) -> None:
        """Wait (`PIPE_WAIT` at most) until the instance listens, so that a client does not start a
        second instance on the profile (if it did, the conversion would still be right, only slower)."""
        server = self.server  # set by __init__, which runs to its end before serve()
        pipe = single_instance_pipe(self.url)
        deadline = time.monotonic() + PIPE_WAIT
        while (time.monotonic() < deadline and not self.stopped and server is not None
               and server.poll() is None):
            if pipe.exists():
                return
            time.sleep(0.05)

    def _convert(self, batch: list[_Job]) -> None:
        first = batch[0]
        command = [self.owner.soffice, f"-env:UserInstallation={self.url}", "--headless",
                   "--norestore", "--convert-to", _target(first.pdf_a), "--outdir",
                   str(first.out_dir), *(str(job.path) for job in batch)]
        with self.lock:
            if self.stopped:
                raise RunError("conversion en PDF interrompue")
            self.client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, env=self.env,
                                           start_new_session=True)
        try:
            output, _ = self.client.communicate(timeout=self.owner.timeout)
        except subprocess.TimeoutExpired:
            _stop(self.client)
            self.interrupt()
            raise RunError(f"LibreOffice n'a pas fini la conversion en PDF en {self.owner.timeout:g} s : "
                           "conversion abandonnée") from None
        text = output.decode("utf-8", errors="replace")
        for job in batch:
            pdf = job.out_dir / f"{job.path.stem}.pdf"
            if pdf.is_file():
                if self.owner.cache is not None and job.docx is not None:
                    self.owner.cache.put(job.docx, _target(job.pdf_a), pdf)
                job.future.set_result(pdf)
            else:
                job.future.set_exception(DocumentError(
                    f"LibreOffice n'a pas produit {pdf.name} (code {self.client.returncode}) : "
                    f"{text.strip()[-300:]}", job.path))

    def interrupt(self) -> None:
        """Kill the running client and the instance (Ctrl-C, timeout): their whole process groups."""
        with self.lock:
            self.stopped = True
            for process in (self.client, self.server):
                if process is not None and process.poll() is None:
                    _kill_group(process)

    def shut_down(self) -> None:
        """Stop the instance (TERM, then KILL after 5 s), then remove its profile and its pipe."""
        with self.lock:
            self.stopped = True
        if self.server is None:  # interrupted before LibreOffice started
            if self.profile is not None:
                shutil.rmtree(self.profile, ignore_errors=True)
            return
        if self.server.poll() is None:
            try:
                os.killpg(self.server.pid, signal.SIGTERM)
                self.server.wait(timeout=5)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                _kill_group(self.server)
        self.server.wait()
        with contextlib.suppress(OSError):
            single_instance_pipe(self.url).unlink()
        if self.profile is not None:  # made before the instance was started
            shutil.rmtree(self.profile, ignore_errors=True)


def single_instance_pipe(profile_url: str) -> Path:
    """The local socket through which LibreOffice hands a second command line to the instance
    running on `profile_url` (desktop/source/app/officeipcthread.cxx: MD5 of the profile URL in
    UTF-16, each byte in hexadecimal without padding)."""
    digest = hashlib.md5(profile_url.encode("utf-16-le"), usedforsecurity=False).digest()
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join(f'{b:x}' for b in digest)}"


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
