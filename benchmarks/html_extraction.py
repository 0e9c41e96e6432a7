#!/usr/bin/env python3
"""Main-text extraction from news pages: ahdath's own reader against trafilatura, on the same pages.

Prints figures; asserts nothing.

    .venv/bin/python benchmarks/html_extraction.py [--pages benchmarks/html_pages] [--per-page]

Each ``NAME.html`` in the folder has its gold main text in ``NAME.gold.txt`` (the headline, then one
paragraph a line), written by the team: Arabic news pages in five CMS styles (WordPress-like, an old
table layout, a theme with Arabic-transliterated class names, a ``<main>`` page with teaser cards, a
div soup) with navigation, related-article boxes with excerpts, reader comments, share bars, polls,
newsletter and cookie boxes, footers and JSON-LD.

Scores are over words (the text split on whitespace and punctuation, as a multiset), weighted by
their length in characters: precision = the share of extracted characters that are main text,
recall = the share of the main text extracted. Micro-averaged over all pages (every character counts
once), plus the mean per page. Readers:

- ``ahdath``: ``ahdath.ingest.html.html_to_text`` as shipped (trafilatura first when installed);
- ``own``: the stdlib reader alone (``html_to_text(..., engine="own")``);
- ``trafilatura``: ``trafilatura.extract`` (comments and tables off), with the page's title prepended
  as ahdath does (trafilatura's text holds no headline);
- ``trafilatura-raw``: ``trafilatura.extract`` output as is.
"""
from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "benchmarks" / "html_pages"
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text))


def score(extracted: str, gold: str) -> tuple[int, int, int]:
    """(matched, extracted, gold) characters of words."""
    got, want = words(extracted), words(gold)
    matched = sum(len(w) * min(n, want[w]) for w, n in got.items())
    return matched, sum(len(w) * n for w, n in got.items()), sum(len(w) * n for w, n in want.items())


def readers() -> dict[str, Callable[[str], str]]:
    from ahdath.ingest.html import html_to_text

    found: dict[str, Callable[[str], str]] = {
        "ahdath": lambda page: html_to_text(page)[0],
        "own": lambda page: html_to_text(page, engine="own")[0],
    }
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed (pip install 'ahdath[html]'): its rows are left out")
        return found

    def traf(page: str) -> str:
        return trafilatura.extract(page, include_comments=False, include_tables=False) or ""

    def traf_titled(page: str) -> str:
        title = html_to_text(page, engine="own")[1]["title"] or ""
        return title + "\n" + traf(page)

    found["trafilatura"] = traf_titled
    found["trafilatura-raw"] = traf
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--per-page", action="store_true", help="print each page's figures too")
    args = ap.parse_args()
    pages = sorted(args.pages.glob("*.html"))
    golds = {p: p.with_suffix("").with_suffix(".gold.txt").read_text(encoding="utf-8") for p in pages}
    htmls = {p: p.read_text(encoding="utf-8") for p in pages}
    print(f"{len(pages)} pages in {args.pages.relative_to(REPO) if args.pages.is_relative_to(REPO) else args.pages}")
    print(f"{'reader':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'page P':>7} {'page R':>7} {'ms/page':>8}")
    for name, read in readers().items():
        total = [0, 0, 0]
        per_page = []
        t0 = time.perf_counter()
        outputs = {p: read(htmls[p]) for p in pages}
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(pages))
        for p in pages:
            m, e, g = score(outputs[p], golds[p])
            total = [total[0] + m, total[1] + e, total[2] + g]
            per_page.append((p.stem, m / e if e else 0.0, m / g if g else 0.0))
        prec = total[0] / total[1] if total[1] else 0.0
        rec = total[0] / total[2] if total[2] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        mp = sum(x[1] for x in per_page) / len(per_page)
        mr = sum(x[2] for x in per_page) / len(per_page)
        print(f"{name:<16} {prec:>9.3f} {rec:>7.3f} {f1:>6.3f} {mp:>7.3f} {mr:>7.3f} {ms:>8.1f}")
        if args.per_page:
            for stem, pp, pr in per_page:
                print(f"    {stem:<28} P {pp:.3f} R {pr:.3f}")


if __name__ == "__main__":
    main()
