"""Per-report resource limits: their defaults, in one place for the engine and the CLI.

The size limit is ``ahdath.ingest.MAX_BYTES`` (``--max-bytes``; ``Options.max_report_bytes``).
"""
from __future__ import annotations

TIME_BUDGET = 300.0  # seconds a report may take (--time-budget; a 10 MB report takes well under a minute)
SECTION_CHARS = 60_000  # a report longer than this is read a section at a time (a long article is ~30,000)
