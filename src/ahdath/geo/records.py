"""Place records and the name keys the gazetteer indexes them by."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt
from typing import Any

from ahdath.text.normalize import norm

KINDS = frozenset({"populated", "neighbourhood", "facility", "region", "admin1", "admin2", "admin3"})
# what an entry is, finer than the ``kind`` the resolver reads: a camp resolves as a populated
# place, a district or sub-district as a region of precision 2
FEATURES = frozenset({"town", "village", "camp", "neighbourhood", "facility", "region", "country", "admin1",
                      "admin2", "admin3"})


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One gazetteer place. ``parent_id`` links a neighbourhood/facility to its town."""

    id: str
    name_ar: str | None
    name_en: str | None
    country: str | None
    iso: int | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    latitude: float | None
    longitude: float | None
    kind: str
    parent_id: str | None
    population: int
    source: str
    precision: int | None = None  # regions: the geo_precision they resolve to
    names: tuple[str, ...] = ()  # every spelling (Arabic and English) the record is known by
    pcode: str | None = None  # OCHA P-code (SY0203, C1353) where the source gives one
    feature: str | None = None  # finer than ``kind``: village, camp, admin2, admin3 ... (FEATURES)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["names"] = list(self.names)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PlaceRecord":
        return cls(**{**d, "names": tuple(d.get("names") or ())})


_ARABIC = re.compile(r"[\u0600-\u06ff]")
_NON_WORD = re.compile(r"[^0-9a-z\u0600-\u06ff]+")
_EN_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "ash", "at", "az", "an", "ad", "ed", "es", "ez", "er", "et"})


def is_arabic(s: str) -> bool:
    return bool(_ARABIC.search(s))


# the Arabic alphabet proper (hamza..ya, alef wasla, harakat, tatweel): Persian, Kurdish and Urdu
# letters (پ چ گ ژ ڤ ێ ە ۆ ڕ ڵ ی ...) mark a spelling that is not the Arabic name of a place
_ARABIC_NAME = re.compile(r"[\u0621-\u063a\u0640-\u0652\u0670\u0671\s'\-.()]+")


def is_arabic_name(s: str) -> bool:
    """True for a name written only in the Arabic alphabet (no Latin, Persian or Kurdish letters)."""
    return bool(s) and _ARABIC_NAME.fullmatch(s) is not None and is_arabic(s)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Spelling-insensitive key: normalized Arabic without the article; folded, article-less English."""
    if is_arabic(name):
        words = norm(name).replace("_", " ").replace("#", " ").split()
        out = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
        return " ".join(out)
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = _NON_WORD.sub(" ", ascii_.replace("'", "").replace("\u2019", "")).split()
    while len(words) > 1 and words[0] in _EN_ARTICLES:
        words = words[1:]
    return " ".join(w for w in words if w not in _EN_ARTICLES or len(words) == 1)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    a = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 6371.0 * 2 * asin(min(1.0, sqrt(a)))
