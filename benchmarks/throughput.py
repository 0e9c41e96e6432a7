#!/usr/bin/env python3
"""Throughput, start-up time and peak memory of the extraction pipeline.

Prints figures; asserts nothing (targets are in benchmarks/README.md).

    .venv/bin/python benchmarks/throughput.py [--corpus dev.jsonl] [--repeat 20]
"""
from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"
EXAMPLES = REPO / "src" / "ahdath" / "data" / "examples"

# run in a fresh interpreter so imports and data loading are not already warm in this process
STARTUP_SNIPPET = """
import json, resource, sys, time
t0 = time.perf_counter()
from ahdath.pipeline import Options, Pipeline
t1 = time.perf_counter()
Pipeline.from_options(Options())
t2 = time.perf_counter()
scale = 1 if sys.platform == "darwin" else 1024
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20}))
"""


def _published(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def load_reports(corpus: Path | None) -> tuple[list[tuple[str, str, date | None, str | None]], str]:
    """``(id, text, published, url)`` rows and a label saying where they came from."""
    paths: list[Path] = []
    if corpus and corpus.is_file():
        paths = [corpus]
    elif EXAMPLES.is_dir():
        paths = sorted(EXAMPLES.glob("*.jsonl")) + sorted(EXAMPLES.glob("*.txt"))
    rows: list[tuple[str, str, date | None, str | None]] = []
    for path in paths:
        if path.suffix == ".jsonl":
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    d = json.loads(line)
                    rows.append((str(d.get("id", f"{path.stem}-{n}")), d.get("text") or "",
                                 _published(d.get("published")), d.get("url")))
        else:
            rows.append((path.stem, path.read_text(encoding="utf-8"), None, None))
    label = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files in {EXAMPLES}"
    return rows, label


def measure_startup() -> dict[str, float]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", STARTUP_SNIPPET], capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise SystemExit(f"start-up run failed: {tail}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["process_s"] = wall  # interpreter start + imports + loading
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL reports (id, text, published, url)")
    ap.add_argument("--repeat", type=int, default=20, help="passes over the corpus")
    args = ap.parse_args(argv)

    from ahdath.model import Article
    from ahdath.pipeline import Options, Pipeline

    rows, label = load_reports(args.corpus)
    if not rows:
        print(f"no reports found ({args.corpus} absent and no examples in {EXAMPLES})", file=sys.stderr)
        return 2
    articles = [Article(i, text, published, url) for i, text, published, url in rows]
    texts = [a.text for a in articles]
    n = len(articles) * args.repeat
    chars = sum(map(len, texts))

    startup = measure_startup()

    pipeline = Pipeline.from_options(Options())
    gc.freeze()  # as the CLI does once the pipeline is loaded
    for a in articles[:5]:  # warm lazily built caches so the timing is the steady state
        pipeline.extract_article(a)
    events = 0
    passes: list[tuple[float, float]] = []  # (wall, CPU) seconds of each pass over the corpus
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        for a in articles:
            events += len(pipeline.extract_article(a))
        passes.append((time.perf_counter() - t, time.process_time() - c))
    pipe_s = sum(w for w, _ in passes)
    cpu_s = sum(c for _, c in passes)
    best_s = min(w for w, _ in passes)

    word = re.compile(r"\w+")
    tokens = 0
    t = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            tokens += len(word.findall(text))
    regex_s = time.perf_counter() - t

    scale = 1 if sys.platform == "darwin" else 1024
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
    rate = n / pipe_s if pipe_s else float("inf")
    print(f"corpus               {label}: {len(articles)} reports, {chars / len(articles):.0f} chars/report, x{args.repeat}")
    print(f"throughput           {rate:,.0f} reports/s ({pipe_s:.2f} s for {n} reports, {events} events)  target >= 500")
    # on a shared machine wall time also counts other processes' turns: these two show the engine alone
    print(f"best pass            {len(articles) / best_s:,.0f} reports/s (fastest of {args.repeat} passes over the corpus)")
    print(f"cpu time             {n / cpu_s:,.0f} reports/s ({cpu_s / n * 1000:.2f} ms of CPU per report)")
    print(f"regex baseline       {n / regex_s:,.0f} reports/s (re.findall(r'\\w+'), {tokens} tokens)")
    print(f"ratio                pipeline is {pipe_s / regex_s:,.1f}x the regex tokenization time")
    print(f"start-up             {startup['import_s'] + startup['load_s']:.2f} s in a fresh process "
          f"(import {startup['import_s']:.2f} s, Pipeline.from_options {startup['load_s']:.2f} s, "
          f"whole process {startup['process_s']:.2f} s)  target < 2 s")
    print(f"peak memory          {rss_mb:.0f} MB this run, {startup['rss_mb']:.0f} MB after start-up  target < 300 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
