"""Extraction in worker processes, so that reading reports and writing the store overlap.

The store has one writer (writes are serialised anyway); extraction is pure
CPU work per report, so ``jobs`` processes extract chunks of reports while the
parent stores the previous ones. Each worker builds its own ``Pipeline`` once,
from the same ``Options`` as the parent.
"""
from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Iterable, Iterator, Sequence

from ahdath.errors import AhdathError, InputError
from ahdath.model import Article, Event

# One pipeline per worker process, set by ``_init``: a process pool's initializer can hand
# state to later tasks only through the worker's module globals.
_WORKER_PIPELINE: Any = None

Extracted = tuple[Article, "list[Event] | AhdathError"]


def extract_one(pipeline: Any, article: Article) -> list[Event] | AhdathError:
    """Events of one report, or the error that stopped it (never raises for a bad report)."""
    try:
        return list(pipeline.extract_article(article))
    except AhdathError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one bad report must not end a batch
        return InputError(f"extraction failed ({type(exc).__name__}: {exc})", source=article.id)


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


def extract_parallel(chunks: Iterable[Sequence[Article]], options: Any, jobs: int,
                     pipeline: Any = None) -> Iterator[list[Extracted]]:
    """``(article, events or error)`` for each chunk, in input order, extracted by ``jobs`` processes.

    At most ``2 * jobs`` chunks are in flight, so memory stays bounded on endless input. Where
    processes fork, ``pipeline`` (the parent's, built from the same ``options``) is inherited by
    the workers instead of being loaded again in each: a forked process's arguments are not pickled.
    """
    fork = multiprocessing.get_start_method() == "fork"
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    init, args = (_adopt, (pipeline,)) if fork and pipeline is not None else (_init, (options,))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init, initargs=args) as pool:
        window: deque[tuple[Sequence[Article], Future[list[Any]]]] = deque()
        for chunk in chunks:
            window.append((chunk, pool.submit(_extract_chunk, list(chunk))))
            if len(window) >= 2 * jobs:
                done, future = window.popleft()
                yield list(zip(done, map(_restore, future.result())))
        while window:
            done, future = window.popleft()
            yield list(zip(done, map(_restore, future.result())))
