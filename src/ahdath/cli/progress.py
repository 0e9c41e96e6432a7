"""A one-line progress display for terminals (nothing at all when stderr is not one)."""
from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """``update(done, detail)`` redraws at most ten times a second; ``close()`` clears the line."""

    def __init__(self, stream: TextIO, total: int | None = None, label: str = "", width: int = 28) -> None:
        self.stream = stream
        self.total = total
        self.label = label
        self.width = width
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, done: int, detail: str = "", *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        rate = done / max(now - self.started, 1e-9)
        if self.total:
            filled = min(self.width, int(self.width * done / self.total))
            bar = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total}"
        else:
            bar = f"{done}"
        self.stream.write(f"\r\x1b[2K{self.label}{bar} reports  {rate:,.0f}/s  {detail}")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
