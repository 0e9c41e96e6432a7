"""Extraction in worker processes, so that reading reports and writing the store overlap.

The store has one writer (writes are serialised anyway); extraction is pure
CPU work per report, so ``jobs`` processes extract chunks of reports while the
parent stores the previous ones. Each worker builds its own ``Pipeline`` once,
from the same ``Options`` as the parent (or, where processes fork, inherits it).

Workers never outlive the parent, and never hold its database connections: a
worker left behind by a killed ingest would keep the parent's socket to the
server open, so PostgreSQL would keep the parent's transaction, and with it
the store's write lock, for as long as the worker lives. So the parent closes
its idle connections and then starts every worker at once, before it reads
the store again; each worker forgets the inherited engines without touching
their sockets, asks Linux to kill it when the parent dies, and watches the
parent itself as well (other systems, and a death before the request); and
the parent kills its workers when it stops early (an error, Ctrl-C, SIGTERM).

The workers are plain processes rather than a ``ProcessPoolExecutor``: after
a worker is killed, the executor's own thread can wait for ever on half a
message, and holds up the parent's exit. Here chunks go out on one queue
(whichever worker is free takes the next) and each worker answers on its own
pipe, which only it writes: a worker that dies, even mid-message, shows as
the end of its pipe.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from ahdath.errors import AhdathError, InputError, WorkerError
from ahdath.model import Article, Event

# One pipeline per worker process, set once by ``_init`` or ``_adopt`` when the worker starts
# and read by every chunk it extracts after.
_WORKER_PIPELINE: Any = None

Extracted = tuple[Article, "list[Event] | AhdathError"]

# How often a worker looks for its parent where the kernel cannot be asked to tell it: the
# longest an orphaned worker lives, and the longest it waits on anything from a parent gone.
WATCH_SECONDS = 0.5
# How long the parent waits for a worker to end (asked to, or killed) before it goes on.
REAP_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass(frozen=True, slots=True)
class _Guard:
    """What a worker needs to know to leave the parent's resources alone and die with it."""

    parent: int  # pid of the process whose pool this is
    engines: tuple[Any, ...] = ()  # the parent's engines, inherited by a forked worker


def extract_one(pipeline: Any, article: Article) -> list[Event] | AhdathError:
    """Events of one report, or the error that stopped it (never raises for a bad report)."""
    try:
        return list(pipeline.extract_article(article))
    except AhdathError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one bad report must not end a batch
        return InputError(f"extraction failed ({type(exc).__name__}: {exc})", source=article.id)


def _start(guard: _Guard, init: Callable[..., None], args: tuple[Any, ...]) -> None:
    """A worker's first steps: tie its life to the parent's, drop the parent's connections, then
    build (or adopt) its pipeline."""
    _die_with_parent(guard.parent)
    for engine in guard.engines:
        # a new, empty pool for this process; the inherited one is dropped without closing its
        # connections, which would end the parent's sessions (SQLAlchemy's advice after fork)
        engine.dispose(close=False)
    # Ctrl-C reaches the whole process group: the parent stops the workers itself, so a worker
    # does not answer with a traceback of its own; and SIGTERM simply ends it (a forked worker
    # would otherwise run the parent's Python handler)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    init(*args)


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends: Linux's parent-death signal, and a watching thread
    for the rest (and for a death before the signal was asked for). Linux sends the signal when
    the parent's thread that started the worker ends: ``extract_parallel`` starts its workers in the
    thread that consumes it, and stops them before that can end."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died while this worker was starting
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="ahdath-watch-parent", daemon=True).start()


def _watch(parent: int) -> None:
    """Exit as soon as the parent is gone: its sentinel (a pipe the parent holds, or on Windows its
    process handle) becomes ready, or this process gets a new parent. Each wait is bounded, so a
    sentinel that never fires (a fork sibling holding the pipe) still leaves the pid check."""
    from multiprocessing import connection, parent_process

    handle = parent_process()
    sentinel = getattr(handle, "sentinel", None)
    while True:
        if sentinel is not None:
            gone = bool(connection.wait([sentinel], timeout=WATCH_SECONDS))
        else:
            time.sleep(WATCH_SECONDS)
            gone = False
        if gone or os.getppid() != parent:
            os._exit(1)


def _init(options: Any) -> None:
    from ahdath.pipeline import Pipeline

    _adopt(Pipeline.from_options(options))


def _adopt(pipeline: Any) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline
    gc.freeze()  # as the parent does (``cli.common.make_pipeline``): the pipeline lives as long as the worker


def _portable(result: list[Event] | AhdathError) -> Any:
    # exceptions with keyword-only arguments do not survive pickling: send class, message, source
    if isinstance(result, AhdathError):
        return ("error", type(result), result.message, result.source)
    return result


def _restore(result: Any) -> list[Event] | AhdathError:
    if isinstance(result, tuple) and result and result[0] == "error":
        _tag, cls, message, source = result
        try:
            return cls(message, source=source)  # type: ignore[no-any-return]
        except TypeError:
            return InputError(message, source=source)
    return result  # type: ignore[no-any-return]


def _extract_chunk(articles: Sequence[Article]) -> list[Any]:
    return [_portable(extract_one(_WORKER_PIPELINE, a)) for a in articles]


class WorkerDiedError(WorkerError):
    """An extraction worker ended while it had work (killed by the system, out of memory): one
    coded line (E700), and the batches stored before it stay."""


def _serve(tasks: Any, link: Any, guard: _Guard, init: Callable[..., None], args: tuple[Any, ...]) -> None:
    """A worker's life: chunks from the shared queue, results on its own pipe, until ``None``."""
    _start(guard, init, args)
    while (task := tasks.get()) is not None:
        number, chunk = task
        link.send((number, _extract_chunk(chunk)))


class _Workers:
    """``jobs`` extraction processes, all started at once (see the module's docstring)."""

    def __init__(self, ctx: Any, jobs: int, guard: _Guard, init: Callable[..., None], args: tuple[Any, ...]) -> None:
        self.tasks = ctx.Queue()
        self.tasks.cancel_join_thread()  # chunks no worker will take must not hold up the exit
        self.links: list[Any] = []
        self.processes: list[Any] = []
        try:
            for n in range(jobs):
                ours, theirs = ctx.Pipe()
                process = ctx.Process(target=_serve, args=(self.tasks, theirs, guard, init, args),
                                      name=f"ahdath-extract-{n + 1}", daemon=True)
                process.start()
                theirs.close()  # the worker's end, in the worker only: its death closes the pipe
                self.links.append(ours)
                self.processes.append(process)
        except BaseException:
            self.kill()
            raise

    def send(self, number: int, chunk: list[Article]) -> None:
        self.tasks.put((number, chunk))

    def receive(self) -> list[tuple[int, Any]]:
        """The results ready now (waits for one at least)."""
        from multiprocessing.connection import wait

        ready = wait([*self.links, *(p.sentinel for p in self.processes)])
        out = []
        for link, process in zip(self.links, self.processes):
            if link in ready:
                try:
                    out.append(link.recv())
                except EOFError:
                    raise self._died(process) from None
            elif process.sentinel in ready:
                raise self._died(process)
        return out

    def _died(self, process: Any) -> WorkerDiedError:
        process.join(REAP_SECONDS)
        code = process.exitcode
        how = f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit status {code}"
        return WorkerDiedError(f"extraction worker {process.pid} ended unexpectedly ({how}); the reports stored "
                               "before it are kept, run the command again to finish")

    def close(self) -> None:
        """Let the workers finish and end; kill any that does not."""
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join(REAP_SECONDS)
        self.kill()

    def kill(self) -> None:
        """End the workers at once, whatever they are doing (they hold nothing of the store's)."""
        for process in self.processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                if process.is_alive():
                    process.kill()
        for process in self.processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(REAP_SECONDS)
        for link in self.links:
            link.close()
        self.tasks.close()


def extract_parallel(chunks: Iterable[Sequence[Article]], options: Any, jobs: int,
                     pipeline: Any = None, *, engines: Sequence[Any] = ()) -> Iterator[list[Extracted]]:
    """``(article, events or error)`` for each chunk, in input order, extracted by ``jobs`` processes.

    At most ``2 * jobs`` chunks are in flight, so memory stays bounded on endless input. Where
    processes fork, ``pipeline`` (the parent's, built from the same ``options``) is inherited by
    the workers instead of being loaded again in each: a forked process's arguments are not pickled.
    ``engines``: the caller's SQLAlchemy engines, whose idle connections are closed before the
    workers fork and which the workers then forget (see the module's docstring). Closing the
    generator early (an error, an interrupt) kills the workers before it returns.
    """
    fork = multiprocessing.get_start_method() == "fork"
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    init, args = (_adopt, (pipeline,)) if fork and pipeline is not None else (_init, (options,))
    guard = _Guard(os.getpid(), tuple(engines) if fork else ())
    for engine in guard.engines:
        engine.dispose()  # idle connections only: nothing is checked out between batches
    workers = _Workers(ctx, jobs, guard, init, args)
    try:
        source = iter(chunks)
        held: dict[int, list[Article]] = {}  # chunks sent, by number, until their results go out
        results: dict[int, Any] = {}
        sent = done = 0
        more = True
        while True:
            while more and sent - done < 2 * jobs:
                chunk = next(source, None)
                if chunk is None:
                    more = False
                    break
                held[sent] = list(chunk)
                workers.send(sent, held[sent])
                sent += 1
            if done == sent:
                break
            while done not in results:
                results.update(workers.receive())
            yield list(zip(held.pop(done), map(_restore, results.pop(done))))
            done += 1
    except BaseException:
        workers.kill()
        raise
    workers.close()
