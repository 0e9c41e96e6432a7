"""Counts in digits and Arabic number words (ahdath.text.numbers)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.lexicon import load_lexicons
from ahdath.text.normalize import normalize
from ahdath.text.numbers import NumberFinder, NumberMention, parse_digits
from ahdath.text.tokens import tokenize


@pytest.fixture(scope="module")
def finder(lexicons) -> NumberFinder:
    return NumberFinder.from_lexicons(lexicons)


def _find(finder: NumberFinder, text: str) -> tuple[str, list[NumberMention]]:
    nt = normalize(text)
    return nt.text, finder.find(tokenize(nt.text))


def _values(finder: NumberFinder, text: str) -> list[int]:
    return [m.value for m in _find(finder, text)[1]]


@pytest.mark.parametrize("text, values", [
    ("قتل 5 مدنيين", [5]),
    ("قتل ١٢ عنصرا", [12]),  # Arabic-Indic digits folded by the normalizer
    ("مقتل ۱۵ شخصا", [15]),  # Persian digits too
    ("أصيب 1,200 شخص", [1200]),
    ("على بعد 3.5 كم", []),  # a decimal is no count
    ("قتل واحد منهم", [1]),
    ("مقتل اثنين من القادة", [2]),
    ("مقتل إثنين من القادة", [2]),  # hamza variant
    ("قتلت اثنتان من النساء", [2]),
    ("مقتل ثلاثة أشخاص", [3]),
    ("مقتل ثلاثه أشخاص", [3]),  # ta marbuta written as ha
    ("قتل ثلاث نساء", [3]),
    ("مقتل أربعة عناصر", [4]),
    ("مقتل اربعة عناصر", [4]),  # bare alef
    ("سقط ثمانية قتلى", [8]),
    ("سقط ثماني نساء", [8]),
    ("وقتل عشرة أشخاص", [10]),
    ("مقتل أحد عشر مقاتلا", [11]),
    ("مقتل إحدى عشرة امرأة", [11]),
    ("مقتل اثنا عشر عنصرا", [12]),
    ("مقتل اثنتي عشرة امرأة", [12]),
    ("مقتل ثلاثة عشر شخصا", [13]),
    ("مقتل تسع عشرة امرأة", [19]),
    ("مقتل عشرين شخصا", [20]),
    ("مقتل عشرون شخصا", [20]),
    ("مقتل خمسة وعشرين شخصا", [25]),
    ("مقتل خمسة و عشرين شخصا", [25]),  # a standalone "و"
    ("مقتل تسعة وتسعين شخصا", [99]),
    ("مقتل مئة شخص", [100]),
    ("مقتل مائة شخص", [100]),
    ("مقتل مئة وعشرين شخصا", [120]),
    ("مقتل مئة وخمسة وعشرين شخصا", [125]),
    ("مقتل مئتي شخص", [200]),
    ("مقتل مائتين", [200]),
    ("مقتل ثلاثمئة شخص", [300]),
    ("مقتل ثلاثمائة شخص", [300]),
    ("مقتل ثلاث مئة وخمسة أشخاص", [305]),
    ("مقتل ألف شخص", [1000]),
    ("مقتل ألفين", [2000]),
    ("مقتل ثلاثة آلاف شخص", [3000]),
    ("مقتل خمسة عشر ألفا", [15000]),
    ("مقتل ألف ومئتين وخمسين شخصا", [1250]),
    ("مقتل أكثر من 20 ألف شخص", [20000]),
    ("نزوح نحو 15 مليونا", [15000000]),
    ("مقتل شخصين", [2]),  # a dual noun is a count
    ("سقوط قتيلين", [2]),
    ("سقوط قتيلان", [2]),
    ("مقتل عنصرين من الشرطة", [2]),
    ("قتلت امرأتان وأربعة أطفال", [2, 4]),
    ("خمسة أشخاص وعشرين منزلا", [5, 20]),  # "و" after a noun starts a new count
    ("عدد من القتلى", []),  # no number
    ("العديد من الجرحى", []),
])
def test_numbers_values(finder: NumberFinder, text: str, values: list[int]) -> None:
    assert _values(finder, text) == values


@pytest.mark.parametrize("text, value", [
    ("سقط عشرات القتلى", 10),
    ("إصابة العشرات", 10),
    ("نزوح مئات العائلات", 100),
    ("نزوح آلاف المدنيين", 1000),
    ("نزوح عشرات الآلاف", 10000),
])
def test_numbers_vague(finder: NumberFinder, text: str, value: int) -> None:
    (m,) = _find(finder, text)[1]
    assert (m.value, m.vague) == (value, True)


@pytest.mark.parametrize("text, approx", [
    ("مقتل نحو 20 شخصا", True),
    ("مقتل قرابة عشرين شخصا", True),
    ("مقتل ما يقارب 15 عنصرا", True),
    ("مقتل أكثر من 15 مقاتلا", True),
    ("مقتل ما لا يقل عن 250 شخصا", True),
    ("مقتل 28 مدنيا على الأقل", True),
    ("مقتل 28 على الاقل", True),
    ("مقتل 28 مدنيا", False),
])
def test_numbers_approx(finder: NumberFinder, text: str, approx: bool) -> None:
    (m,) = _find(finder, text)[1]
    assert m.approx is approx and not m.vague


@pytest.mark.parametrize("text", [
    "في الخامس عشر من آذار",  # a day ordinal, not ten
    "في الحادي والعشرين من الشهر",
    "في العقد الثالث من عمره",
    "في اليوم الثاني من الهجوم",
])
def test_numbers_ordinals_are_not_counts(finder: NumberFinder, text: str) -> None:
    assert _values(finder, text) == []


def test_numbers_offsets_exclude_clitics(finder: NumberFinder) -> None:
    norm, ms = _find(finder, "قتلت امرأتان وأربعة أطفال وبخمسة")
    assert [norm[m.start:m.end] for m in ms] == ["امراتان", "اربعه", "خمسه"]
    assert all(m.last > m.first for m in ms)


def test_numbers_weekday_is_not_two(tmp_path: Path) -> None:
    # "الاثنين" is Monday wherever the time lexicon lists it; "اثنين" stays two.
    (tmp_path / "time_test.yaml").write_text(
        "lexicon: time\nlanguage: ar\nprovenance: test fixture\nentries:\n"
        "  - {id: test_monday, kind: weekday, value: 0, forms: [الاثنين]}\n", encoding="utf-8")
    finder = NumberFinder.from_lexicons(load_lexicons([tmp_path]))
    assert _values(finder, "قتل ثلاثة أشخاص يوم الاثنين") == [3]
    assert _values(finder, "مقتل اثنين من العناصر") == [2]


@pytest.mark.parametrize("text, value", [
    ("12", 12), ("1,200", 1200), ("1.200.000", 1200000), ("3.5", None), ("12,5", None), ("1" * 20, None),
])
def test_numbers_parse_digits(text: str, value: int | None) -> None:
    assert parse_digits(text) == value


# --- number words written the way Arabic prose writes them ------------------------

_UNITS_M = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
_UNITS_F = ["", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع"]
_TENS_NOM = ["", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
_TENS_OBL = ["", "عشرة", "عشرين", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين"]
_TEENS = {11: "أحد عشر", 12: "اثنا عشر"}


def _words(n: int, fem: bool, oblique: bool, spaced_hundreds: bool, alef_hundred: bool) -> str:
    """``n`` (1..999) in words, as the test generates it."""
    units = _UNITS_F if fem else _UNITS_M
    tens = _TENS_OBL if oblique else _TENS_NOM
    hundred = "مائة" if alef_hundred else "مئة"
    h, rest = divmod(n, 100)
    parts: list[str] = []
    if h == 1:
        parts.append(hundred)
    elif h == 2:
        parts.append("مئتين" if oblique else "مئتان")
    elif h:
        unit = _UNITS_F[h]
        parts.append(f"{unit} {hundred}" if spaced_hundreds else unit + hundred)
    if rest:
        t, u = divmod(rest, 10)
        if rest in _TEENS:
            low = _TEENS[rest]
        elif t == 1:
            low = f"{units[u]} عشر" if u else tens[1]
        elif t == 0:
            low = units[u]
        elif u == 0:
            low = tens[t]
        else:
            low = f"{units[u]} و{tens[t]}"
        parts.append(low)
    return " و".join(parts)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 999), fem=st.booleans(), oblique=st.booleans(),
       spaced=st.booleans(), alef=st.booleans())
def test_numbers_words_round_trip(finder: NumberFinder, n: int, fem: bool, oblique: bool,
                                  spaced: bool, alef: bool) -> None:
    text = f"مقتل {_words(n, fem, oblique, spaced, alef)} شخصا"
    assert _values(finder, text) == [n], text


_PIECES = st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآئؤ ٠١٢٣4567,.،و\n")
                          + [" عشر ", " مئة ", " ألف ", " عشرات ", " و", "الخامس ", " ثلاثة ", " آلاف "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_numbers_find_invariants(finder: NumberFinder, text: str) -> None:
    norm, ms = _find(finder, text)
    prev_last = 0
    for m in ms:
        assert prev_last <= m.first < m.last
        assert 0 <= m.start < m.end <= len(norm)
        assert m.value >= 0
        prev_last = m.last
