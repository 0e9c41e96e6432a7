"""SourceMap: a derived text's offsets back to its original, alone and under the normalizer's map."""
from __future__ import annotations

from ahdath.text.normalize import normalize
from ahdath.text.offsets import MapBuilder, SourceMap


def _derive(original: str, pieces: list[tuple[int, int]]) -> tuple[str, SourceMap | None]:
    b = MapBuilder(original)
    for s, e in pieces:
        b.add(original[s:e], s)
    return b.build()


def test_offsets_map_copied_stretches() -> None:
    original = "  قصف\n\n \n\nعلى حلب  "
    text, smap = _derive(original, [(2, 5), (5, 6), (9, 10), (10, 17)])
    assert text == "قصف\n\nعلى حلب"
    assert smap is not None and smap.starts == (0, 4) and smap.origins == (2, 9)
    assert [smap.to_original(i) for i in range(len(text))] == [2, 3, 4, 5, *range(9, 17)]
    assert smap.span(5, 8) == (10, 13) and original[10:13] == "على"
    assert smap.span(0, 5) == (2, 10)  # a range across a removed stretch quotes what lies between
    assert smap.span(3, 3) == (5, 5) and smap.span(12, 12) == (17, 17) == (smap.to_original(12),) * 2


def test_offsets_unchanged_text_needs_no_map() -> None:
    assert _derive("قصف حلب", [(0, 3), (3, 7)]) == ("قصف حلب", None)
    assert MapBuilder("").build() == ("", None)
    text, smap = _derive("abc", [])
    assert text == "" and smap is not None and smap.span(0, 0) == (0, 0)


def test_offsets_take_composes_two_derivations() -> None:
    original = "x\r\nقصف\r\n\r\nحلب"
    b1 = MapBuilder(original)
    for piece, at in (("x", 0), ("\n", 2), ("قصف", 3), ("\n", 7), ("\n", 9), ("حلب", 10)):
        b1.add(piece, at)  # CRLF written as LF: the LF stands for itself
    first, m1 = b1.build()
    assert first == "x\nقصف\n\nحلب"
    b = MapBuilder(original)
    b.take(first, m1, 2, len(first))
    text, m2 = b.build()
    assert text == "قصف\n\nحلب" and m2 is not None
    assert [m2.to_original(i) for i in range(len(text))] == [3, 4, 5, 7, 9, 10, 11, 12]


def test_offsets_normtext_based_on_a_cleaned_text() -> None:
    original = " \r\nقُتِلَ ٣ في حلب\r\n"
    cleaned, smap = _derive(original, [(3, len(original) - 2)])
    nt = normalize(cleaned)
    assert nt.text == "قتل 3 في حلب"
    based = nt.based_on(smap)
    assert based.text == nt.text and based.original == original
    for word in nt.text.split():
        i = nt.text.index(word)
        s, e = based.span(i, i + len(word))
        assert normalize(original[s:e]).text == word
    assert based.original_text(0, 3) == "قُتِلَ"
    assert based.to_original(0) == 3
    assert nt.based_on(None) is nt
