"""A long run (the year's build with LibreOffice) in a background thread, one at a time, whose
page refreshes itself until it ends: the same `run` as the CLI, its printed lines shown as they come."""

from __future__ import annotations

import contextlib
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.errors import FslError, InputErrors


@dataclass
class Job:
    title: str
    started: float = field(default_factory=time.monotonic)
    output: io.StringIO = field(default_factory=io.StringIO)
    status: int | None = None
    """None while running; then the CLI's exit status (0 success, 1 refused/invalid, 3 incomplete)."""
    ended: float | None = None

    @property
    def running(self) -> bool:
        return self.status is None

    @property
    def seconds(self) -> int:
        return int((self.ended or time.monotonic()) - self.started)

    @property
    def log(self) -> str:
        return self.output.getvalue().strip()


class Jobs:
    """At most one job at a time (a second build while one runs is refused, not queued)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current: Job | None = None

    def start(self, title: str, work: Callable[[], int], on_error: Callable[[BaseException], str]) -> Job:
        with self._lock:
            if self.current is not None and self.current.running:
                raise FslError(f"« {self.current.title} » est déjà en cours : attendez qu'elle se termine.")
            job = Job(title)
            self.current = job
        thread = threading.Thread(target=self._run, args=(job, work, on_error), daemon=True)
        thread.start()
        return job

    def _run(self, job: Job, work: Callable[[], int], on_error: Callable[[BaseException], str]) -> None:
        status = 3
        with contextlib.redirect_stdout(job.output), contextlib.redirect_stderr(job.output):
            try:
                status = int(work() or 0)
            except InputErrors as exc:
                print("\n".join(str(e) for e in exc.errors))
                print(f"{len(exc.errors)} erreur(s) : rien n'a été écrit.")
                status = 1
            except FslError as exc:
                print(str(exc))
                status = exc.exit_code
            except BaseException as exc:  # noqa: BLE001 - a sentence and a log, never a traceback
                print(on_error(exc))
                status = 3
        job.ended = time.monotonic()
        job.status = status

    def wait(self, timeout: float = 600) -> None:
        """For tests: until the current job ends."""
        deadline = time.monotonic() + timeout
        while self.current is not None and self.current.running and time.monotonic() < deadline:
            time.sleep(0.05)
