"""Where the characters of a derived text came from in its original.

A reader that cleans a report (drops page-furniture lines, collapses blank lines, trims the ends,
turns CR and CRLF into LF) copies stretches of the input and writes a few single characters in
place of others; it never reorders them. ``SourceMap`` records those stretches, so the engine can
read the cleaned text while every evidence offset still points into the input as the user gave it
(``NormText.based_on`` composes it with the normalizer's map).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceMap:
    """A piecewise map from a derived text's offsets to ``original``'s.

    Stretch ``k`` begins at derived offset ``starts[k]`` and original offset ``origins[k]``, and
    runs, one character for one, to the next stretch (``starts[0] == 0``). ``length`` is the
    derived text's length.
    """

    original: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]
    length: int

    def to_original(self, i: int) -> int:
        """Original offset of derived character ``i`` (``i == length``: just after the last one)."""
        if i >= self.length:
            return self._end()
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + i - self.starts[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the derived half-open range [start, end)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        # the end follows the range's last character: whatever was dropped after it is not in it
        return self.to_original(start), self.to_original(end - 1) + 1

    def _end(self) -> int:
        if not self.length:
            return 0
        return self.to_original(self.length - 1) + 1


class MapBuilder:
    """Builds a derived text piece by piece, with its ``SourceMap``."""

    __slots__ = ("original", "_parts", "_starts", "_origins", "_n")

    def __init__(self, original: str) -> None:
        self.original = original
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def add(self, piece: str, origin: int) -> None:
        """Append ``piece``, which stands for ``original[origin:origin + len(piece)]``."""
        if not piece:
            return
        if not self._starts or self._origins[-1] + self._n - self._starts[-1] != origin:
            self._starts.append(self._n)
            self._origins.append(origin)
        self._parts.append(piece)
        self._n += len(piece)

    def take(self, text: str, smap: SourceMap | None, start: int, end: int) -> None:
        """Append ``text[start:end]``, where ``text`` is itself derived from ``original`` by ``smap``
        (``None``: ``text`` is ``original``)."""
        if smap is None:
            self.add(text[start:end], start)
            return
        k = bisect_right(smap.starts, start) - 1
        while start < end:
            stop = smap.starts[k + 1] if k + 1 < len(smap.starts) else smap.length
            stop = min(stop, end)
            self.add(text[start:stop], smap.origins[k] + start - smap.starts[k])
            start = stop
            k += 1

    def build(self) -> tuple[str, SourceMap | None]:
        """The derived text and its map; ``None`` when the text is ``original`` itself."""
        text = "".join(self._parts)
        if text == self.original:
            return text, None
        return text, SourceMap(self.original, tuple(self._starts), tuple(self._origins), self._n)


__all__ = ["MapBuilder", "SourceMap"]
