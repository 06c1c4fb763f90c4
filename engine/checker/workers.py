"""Worker processes that open untrusted files, each job bounded in time and memory.

A worker receives `(document_id, path[, moment])` jobs on a pipe (the moment a job carries, the
end of its document's day of receipt, replaces the pool's for that file's signatures)
and answers `(document_id, FileEvidence)`.
The parent waits on the pipes with a deadline: a worker still busy past `seconds` is killed and
replaced, and so is one that dies (a parser crash, the memory limit); the file is then unreadable.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from multiprocessing.connection import Connection, wait

from engine.rules import FileEvidence, FileStatus

Job = tuple[str, str] | tuple[str, str, datetime]  # (document_id, path) or (document_id, path, moment)
Inspect = Callable[[str, int, Sequence[bytes], datetime], FileEvidence]
POLL_SECONDS = 0.5


def _unreadable(reason: str) -> FileEvidence:
    return FileEvidence(status=FileStatus.UNREADABLE, reason=reason)


def _quiet() -> None:
    """Parsers log every oddity of a broken file; in a worker nobody reads those logs."""
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def _limit_memory(extra_bytes: int) -> None:
    """Cap the worker's address space at its current size plus `extra_bytes` (Linux)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (current + extra_bytes, current + extra_bytes))
    except (OSError, ValueError):
        pass  # not Linux: the time limit still applies


def _worker_main(conn: Connection, inspect: Inspect, max_bytes: int, trust_roots: Sequence[bytes],
                 moment: datetime, memory_bytes: int) -> None:
    _quiet()
    _limit_memory(memory_bytes)
    while True:
        job = conn.recv()
        if job is None:
            return
        document_id, path, *when = job
        try:
            result = inspect(path, max_bytes, trust_roots, when[0] if when else moment)
            conn.send((document_id, result))
        except Exception as exc:  # noqa: BLE001 - the worker must answer whatever happened
            conn.send((document_id, _unreadable(f"fichier endommagé ({type(exc).__name__})")))


class _Worker:
    def __init__(self, pool: WorkerPool) -> None:
        self.conn, child = pool.context.Pipe()
        self.process = pool.context.Process(
            target=_worker_main, daemon=True,
            args=(child, pool.inspect, pool.limits.max_bytes, tuple(pool.trust_roots), pool.moment,
                  pool.limits.memory_bytes))
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0

    def give(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill or not self._joined(2.0):
            self.process.kill()
            self._joined(2.0)
        self.conn.close()

    def _joined(self, seconds: float) -> bool:
        self.process.join(seconds)
        return not self.process.is_alive()


class WorkerPool:
    """A few worker processes and the bookkeeping of their jobs' deadlines."""

    def __init__(self, limits, trust_roots: Sequence[bytes], moment: datetime, inspect: Inspect) -> None:
        self.limits, self.trust_roots, self.moment, self.inspect = limits, trust_roots, moment, inspect
        methods = multiprocessing.get_all_start_methods()
        self.context = (multiprocessing.get_context("fork") if "fork" in methods
                        else multiprocessing.get_context("spawn"))
        self.workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info) -> None:
        for worker in self.workers:
            worker.stop(kill=exc_info[0] is not None)
        self.workers = []

    def run(
        self, jobs: list[Job], progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, FileEvidence]:
        pending, results = deque(jobs), {}
        size = min(self.limits.workers, len(jobs))
        self.workers = [_Worker(self) for _ in range(size)]
        while pending or any(w.job for w in self.workers):
            for worker in self.workers:
                if worker.job is None and pending:
                    worker.give(pending.popleft())
            for document_id, evidence in self._collect():
                results[document_id] = evidence
                if progress is not None:
                    progress(len(results), len(jobs))
        return results

    def _collect(self) -> list[tuple[str, FileEvidence]]:
        busy = {w.conn: (w, w.job) for w in self.workers if w.job is not None}
        now = time.monotonic()
        first_deadline = min(w.started + self.limits.seconds for w, _ in busy.values())
        timeout = max(0.0, min(POLL_SECONDS, first_deadline - now))
        done: list[tuple[str, FileEvidence]] = []
        ready = set(wait(list(busy), timeout=timeout))
        for conn, (worker, job) in busy.items():
            if conn not in ready:
                continue
            try:
                done.append(conn.recv())
                worker.job = None
            except (EOFError, OSError):
                done.append((job[0], _unreadable("lecture interrompue : le lecteur s'est arrêté "
                                                        "(mémoire dépassée ou fichier piégé ?)")))
                self._replace(worker)
        done.extend(self._overdue())
        return done

    def _overdue(self) -> list[tuple[str, FileEvidence]]:
        late = [(w, w.job) for w in self.workers if w.job is not None
                and time.monotonic() - w.started > self.limits.seconds]
        done = []
        for worker, job in late:
            reason = f"lecture abandonnée après {self.limits.seconds:g} s (fichier piégé ou trop complexe)"
            done.append((job[0], _unreadable(reason)))
            self._replace(worker)
        return done

    def _replace(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        self.workers[self.workers.index(worker)] = _Worker(self)
