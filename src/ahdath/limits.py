"""Per-report resource limits: their defaults, in one place for the readers, the engine and the CLI.

The size limit (``--max-bytes``; ``Options.max_report_bytes``; ``read_inputs(max_bytes=)``) counts a
report as given, in UTF-8 bytes once decoded and decompressed: a file's or stdin's content (an HTML
page's markup, not the text taken from it), or a JSON-lines record's ``text`` (or ``html``).
"""
from __future__ import annotations

# A real news report is under 1 MB (a long article is ~30,000 characters, ~60 kB; its page with the
# markup a few hundred kB); archive pages and merged feeds reach a few MB. Reading costs 24 to 29
# bytes of memory a character (benchmarks/limits.py): 10 MB of Arabic news (5.6 million characters)
# took 129 MB and 40 s, and the worst case of one byte a character stays under 300 MB. The old 50 MB
# cost over a GB for a report nothing real is as long as.
MAX_BYTES = 10_000_000
TIME_BUDGET = 300.0  # seconds a report may take (--time-budget; a 10 MB report takes well under a minute)
SECTION_CHARS = 60_000  # a report longer than this is read a section at a time (a long article is ~30,000)
