"""One worker process's share of ``ahdath batch``: the pipeline, loaded once, and one partition's work.

The pipeline (lexicons, matchers, gazetteer: seconds to load, a hundred MB or so) is built by a Dask
``WorkerPlugin`` when the worker process starts, and kept on the plugin, which the worker holds for
its life; tasks reach it through ``get_worker().plugins``. So it is loaded once per worker process
(again only in a process the nanny starts after one died), never per partition or report, and no
module-level state holds it.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from ahdath.batch.plan import Partition
from ahdath.errors import AhdathError, EmptyInputError, InputError, InputTooLargeError, MalformedInputError
from ahdath.ingest import InputFailure
from ahdath.limits import MAX_BYTES, TIME_BUDGET
from ahdath.model import Article

PLUGIN = "ahdath-pipeline"


@dataclass(frozen=True, slots=True)
class Settings:
    """What decides a run's output besides its inputs (recorded in the manifest)."""

    lexicon_dirs: tuple[str, ...] = ()
    gazetteer_paths: tuple[str, ...] = ()
    published: date | None = None
    max_bytes: int = MAX_BYTES
    time_budget: float | None = TIME_BUDGET

    def as_dict(self) -> dict[str, Any]:
        return {"lexicon_dirs": list(self.lexicon_dirs), "gazetteer_paths": list(self.gazetteer_paths),
                "published": self.published.isoformat() if self.published else None,
                "max_bytes": self.max_bytes, "time_budget": self.time_budget}


@dataclass(slots=True)
class Loaded:
    """A worker's pipeline and the reading context built with it."""

    pipeline: Any
    context: Any
    token: str = field(default_factory=lambda: f"{os.getpid()}-{uuid.uuid4().hex[:8]}")


def load(settings: Settings) -> Loaded:
    from ahdath.ingest import Boilerplate
    from ahdath.ingest.readers import _Context
    from ahdath.lexicon import LexiconSet
    from ahdath.pipeline import Options, Pipeline

    options = Options(lexicon_dirs=tuple(Path(d) for d in settings.lexicon_dirs),
                      gazetteer_paths=tuple(Path(g) for g in settings.gazetteer_paths),
                      max_report_bytes=settings.max_bytes, time_budget=settings.time_budget)
    pipeline = Pipeline.from_options(options)
    lexicons = pipeline.lexicons
    assert isinstance(lexicons, LexiconSet)
    context = _Context(Boilerplate.from_lexicon(lexicons["boilerplate"]), settings.published, settings.max_bytes,
                       "jsonl")
    import gc

    gc.freeze()  # the lexicons and gazetteer live as long as the process (as in ``cli.common.make_pipeline``)
    return Loaded(pipeline, context)


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - ``ahdath batch`` checks for the extra before it gets here
    WorkerPlugin = object  # type: ignore[misc,assignment]


class PipelinePlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the pipeline once when a worker process starts (``setup``)."""

    name = PLUGIN

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loaded: Loaded | None = None
        self.error: AhdathError | None = None

    def setup(self, worker: Any) -> None:
        try:
            self.loaded = load(self.settings)
        except AhdathError as exc:  # a lexicon or gazetteer this worker cannot read: each task says so
            self.error = exc


def loaded_here(settings: Settings) -> Loaded:
    """The pipeline of the worker this task runs on."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN)
    if plugin is not None and plugin.error is not None:
        raise plugin.error
    if plugin is None or plugin.loaded is None or plugin.settings != settings:
        raise RuntimeError("the ahdath pipeline plugin is not set up on this worker")
    return plugin.loaded


# -- reading a partition -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Report:
    """A report read from a partition: where it was (input number, line) and the article."""

    input_no: int
    line: int
    article: Article


@dataclass(frozen=True, slots=True)
class Failed:
    input_no: int
    line: int
    source: str
    error: AhdathError


def read_partition(part: Partition, context: Any) -> Iterator[Report | Failed]:
    """The reports of one partition, as ``ahdath extract`` reads the same lines (ids, cleaning, errors)."""
    if part.mode == "parquet":
        yield from _parquet_rows(part, context)
    elif part.mode == "stream":
        yield from _stream(part, context)
    else:
        yield from _lines(part, context)


def _name(url: str) -> str:
    from ahdath.ingest.readers import _name_and_ext

    return _name_and_ext(Path(url.rsplit("/", 1)[-1]))[0]


def _record(part: Partition, context: Any, n: int, line: Any) -> Report | Failed:
    from ahdath.ingest.readers import _jsonl_record

    where = f"{part.url}:{n}"
    try:
        return Report(part.input_no, n, _jsonl_record(context, where, line, f"{_name(part.url)}-{n}"))
    except AhdathError as exc:
        return Failed(part.input_no, n, where, exc)


def _lines(part: Partition, context: Any) -> Iterator[Report | Failed]:
    from ahdath.batch.inputs import filesystem
    from ahdath.ingest.readers import _decoded_line, _line_limit

    fs, path = filesystem(part.url)
    limit = _line_limit(context.max_bytes)
    any_line = False
    with fs.open(path, "rb") as f:
        f.seek(part.start)
        pos, n = part.start, part.first_line - 1
        while pos < part.end:
            raw = f.readline(limit + 1)
            if not raw:
                break
            pos += len(raw)
            n += 1
            if len(raw) > limit:
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(limit + 1)
                    pos += len(raw)
                where = f"{part.url}:{n}"
                yield Failed(part.input_no, n, where,
                             InputTooLargeError(f"line is over the limit of {limit} bytes", source=where))
                continue
            for k, line in _decoded_line(n, raw, part.url):
                any_line = True
                if isinstance(line, InputFailure):
                    yield Failed(part.input_no, k, line.source, line.error)
                else:
                    yield _record(part, context, k, line)
    if not any_line and part.start == 0 and part.end >= _size(fs, path):
        yield Failed(part.input_no, 0, part.url, EmptyInputError("empty input (no report lines)", source=part.url))


def _size(fs: Any, path: str) -> int:
    return int(fs.size(path) or 0)


def _stream(part: Partition, context: Any) -> Iterator[Report | Failed]:
    """A compressed file, whole, decompressed as read by the readers ``extract`` uses (their limits,
    bombs and damage included); a stream that turns out damaged ends with one failure naming it."""
    from ahdath.batch.inputs import filesystem
    from ahdath.ingest.compressed import HEAD_BYTES, opened, read_up_to
    from ahdath.ingest.readers import _line_limit, _numbered_lines

    fs, path = filesystem(part.url)
    n = 0
    with fs.open(path, "rb") as f:
        try:
            content, head = opened(f, read_up_to(f, HEAD_BYTES), part.url, max_bytes=context.max_bytes)
            for n, line in _numbered_lines(content, part.url, _line_limit(context.max_bytes), head):
                if isinstance(line, InputFailure):
                    yield Failed(part.input_no, n, line.source, line.error)
                elif line.strip():  # UTF-16/32 is split whole, blank lines included
                    yield _record(part, context, n, line)
        except AhdathError as exc:
            yield Failed(part.input_no, n + 1, exc.source or part.url, exc)
        except OSError as exc:
            yield Failed(part.input_no, n + 1, part.url, InputError(exc.strerror or str(exc), source=part.url))


def _parquet_rows(part: Partition, context: Any) -> Iterator[Report | Failed]:
    import pyarrow.parquet as pq

    from ahdath.batch.inputs import filesystem

    fs, path = filesystem(part.url)
    n = part.first_line - 1
    with fs.open(path, "rb") as f:
        pf = pq.ParquetFile(f)
        for g in range(part.start, part.end):
            try:
                rows = pf.read_row_group(g).to_pylist()
            except Exception as exc:  # noqa: BLE001 - a damaged row group
                where = f"{part.url}:row-group-{g}"
                yield Failed(part.input_no, n + 1, where, MalformedInputError(f"unreadable row group ({exc})",
                                                                              source=where))
                n += pf.metadata.row_group(g).num_rows
                continue
            for row in rows:
                n += 1
                if isinstance(row.get("published"), date):  # a date column: as a jsonl line would give it
                    row["published"] = row["published"].isoformat()
                yield _record(part, context, n, {k: v for k, v in row.items() if v is not None})


# -- one partition's task --------------------------------------------------------------------------

def extract_partition(part: Partition, settings: Settings, out: str) -> dict[str, Any]:
    """Read, extract and write one partition; returns its record for the manifest (also written to
    ``_parts/ID.json`` last, which marks the partition done)."""
    from ahdath.batch.write import PartitionWriter
    from ahdath.store.workers import extract_one

    loaded = loaded_here(settings)
    started, cpu = time.perf_counter(), time.thread_time()
    writer = PartitionWriter(Path(out), part)
    failures: list[dict[str, Any]] = []
    try:
        for item in read_partition(part, loaded.context):
            if isinstance(item, Failed):
                failures.append(_failure(item.input_no, item.line, item.source, item.error))
                continue
            found = extract_one(loaded.pipeline, item.article)
            if isinstance(found, AhdathError):
                failures.append(_failure(item.input_no, item.line, f"{part.url}:{item.line}", found))
                continue
            writer.add(item, found)
    except BaseException:
        writer.abort()
        raise
    return writer.close(failures, seconds=time.perf_counter() - started, cpu_s=time.thread_time() - cpu,
                        worker=loaded.token)


def _failure(input_no: int, line: int, source: str, error: AhdathError) -> dict[str, Any]:
    return {"input_no": input_no, "line": line, "input": source.rsplit(":", 1)[0] if line else source,
            "source": source, "code": error.code, "reason": " ".join(error.message.split())}


__all__ = ["PLUGIN", "Settings", "PipelinePlugin", "Loaded", "load", "loaded_here", "read_partition",
           "extract_partition", "Report", "Failed", "InputError"]
