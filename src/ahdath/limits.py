"""Per-report resource limits: their defaults, in one place for the readers, the engine and the CLI.

The size limit (``--max-bytes``; ``Options.max_report_bytes``; ``read_inputs(max_bytes=)``) counts a
report as given, in UTF-8 bytes once decoded and decompressed: a file's or stdin's content (an HTML
page's markup, not the text taken from it), or a JSON-lines record's ``text`` (or ``html``).
"""
from __future__ import annotations

# A real news report is under 1 MB (a long article is ~30,000 characters, ~60 kB; its page with the
# markup a few hundred kB); archive pages and merged feeds reach a few MB. Reading costs about 29
# bytes of memory a character (benchmarks/limits.py): at 10 MB that is ~160 MB for Arabic (~1.8
# bytes a character) and ~290 MB for the worst case of one byte a character. A 50 MB report cost
# over a GB, and nothing real is that long.
MAX_BYTES = 10_000_000
TIME_BUDGET = 300.0  # seconds a report may take (--time-budget; a 10 MB report takes well under a minute)
SECTION_CHARS = 60_000  # a report longer than this is read a section at a time (a long article is ~30,000)
