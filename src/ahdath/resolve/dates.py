"""Calendar dates for time expressions (GUIDELINES "Date rule").

Explicit dates win; relative words count from the publication date; without
one, a weekday plus day and month still narrows the year to a few candidates
(``candidate_years``) that the engine filters with the actors' active periods.
Precision follows ACLED's ``time_precision``: 1 day, 2 week, 3 month. A vague
period is dated at its middle (week: the publication day a week back; month:
the 15th, or the 5th/15th/25th for its start/middle/end), never after the
publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import parse_qsl, unquote, urlsplit

from ahdath.text.timex import TimeExpr

DAY, WEEK, MONTH = 1, 2, 3
FIRST_YEAR = 2011  # the corpus covers the Syrian conflict onwards
_ANCHOR_DAY = {None: 15, 1: 5, 2: 15, 3: 25}
_ANCHOR_YEAR_DAY = {1: (1, 15), 2: (7, 1), 3: (12, 15)}
# 1 Muharram AH 1 in the tabular (arithmetical) Islamic calendar, as a proleptic Gregorian ordinal.
_HIJRI_EPOCH = 227015


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date with its ACLED precision; ``candidates`` when the year is open."""

    date: date | None
    precision: int
    candidates: tuple[date, ...] = ()


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError):
        return None


def candidate_years(day: int, month: int, weekday: int | None, lo: int, hi: int) -> list[int]:
    """Years in ``[lo, hi]`` where day/month exists and, if given, falls on ``weekday`` (Monday=0)."""
    out = []
    for y in range(max(lo, 1), min(hi, 9999) + 1):
        d = _safe(y, month, day)
        if d is not None and (weekday is None or d.weekday() == weekday):
            out.append(y)
    return out


def hijri_to_date(year: int, month: int, day: int) -> date | None:
    """Gregorian date of a Hijri date in the tabular calendar (within a day of Umm al-Qura)."""
    if not (1 <= month <= 12 and 1 <= day <= 30 and year >= 1):
        return None
    days = (day + (59 * (month - 1) + 1) // 2 + (year - 1) * 354 + (3 + 11 * year) // 30)
    try:
        return date.fromordinal(_HIJRI_EPOCH + days - 1)
    except (ValueError, OverflowError):
        return None


def _hijri_year_of(d: date) -> int:
    return (30 * (d.toordinal() - _HIJRI_EPOCH) + 10646) // 10631


def _month_shift(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _weekday_near(ref: date, weekday: int, *, strictly_before: bool, after: bool) -> date:
    if after:
        return ref + timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
    back = (ref.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return ref - timedelta(days=back)


def _year_for(day: int, month: int, expr: TimeExpr, pub: date) -> date | None:
    """The occurrence of day/month that the report means, given its publication date."""
    years = [pub.year, pub.year - 1] if not expr.future else [pub.year, pub.year + 1]
    if expr.weekday is not None:
        for y in years:
            d = _safe(y, month, day)
            # (a past day named with its weekday is not one after the report: "٦ مايو السبت" in January)
            if d is not None and d.weekday() == expr.weekday and (expr.future or d <= pub + timedelta(days=1)):
                return d
    if expr.future:
        d = _safe(pub.year, month, day)
        return d if d is not None and d >= pub else _safe(pub.year + 1, month, day)
    if expr.current and month == pub.month:
        return _safe(pub.year, month, day)
    # one day of slack: reports dated by a server clock behind the newsroom's
    d = _safe(pub.year, month, day)
    if d is not None and d <= pub + timedelta(days=1):
        return d
    return _safe(pub.year - 1, month, day)


def _hijri_near(day: int, month: int, expr: TimeExpr, pub: date) -> date | None:
    hy = _hijri_year_of(pub)
    best: date | None = None
    for y in (hy - 1, hy, hy + 1):
        d = hijri_to_date(y, month, day)
        if d is None or d > pub + timedelta(days=1):
            continue
        if expr.weekday is not None and abs((d.weekday() - expr.weekday + 3) % 7 - 3) > 1:
            continue  # the tabular calendar may be a day off the sighted month, not more
        if best is None or d > best:
            best = d
    return best


def _hijri_candidates(day: int, month: int, weekday: int | None, lo: int, hi: int) -> list[date]:
    out = []
    for y in range(_hijri_year_of(date(max(lo, 1), 1, 1)), _hijri_year_of(date(min(hi, 9998), 12, 31)) + 1):
        d = hijri_to_date(y, month, day)
        if d is not None and lo <= d.year <= hi and (weekday is None or d.weekday() == weekday):
            out.append(d)
    return out


def _month_date(year: int, month: int, anchor: int | None, pub: date | None) -> date | None:
    d = _safe(year, month, _ANCHOR_DAY.get(anchor, 15))
    if d is not None and pub is not None and d > pub and (year, month) == (pub.year, pub.month):
        return pub
    return d


def _recent_month(month: int, expr: TimeExpr, pub: date) -> int:
    """Year of the month the report means ("أبريل الماضي", "مايو الجاري", "آذار")."""
    if expr.future:
        return pub.year if month > pub.month else pub.year + 1
    if expr.explicit_past:
        return pub.year if month < pub.month else pub.year - 1
    return pub.year if month <= pub.month else pub.year - 1


def _resolve(expr: TimeExpr, pub: date | None, lo: int, hi: int) -> ResolvedDate | None:
    day, month, year = expr.day, expr.month, expr.year
    if expr.hijri and month is not None:
        if day is None:
            return None
        if year is not None:
            d = hijri_to_date(year, month, day)
            return ResolvedDate(d, DAY) if d else None
        if pub is not None:
            d = _hijri_near(day, month, expr, pub)
            return ResolvedDate(d, DAY) if d else None
        if expr.weekday is None:
            return None
        cands = tuple(_hijri_candidates(day, month, expr.weekday, lo, hi))
        return ResolvedDate(cands[0] if len(cands) == 1 else None, DAY, cands) if cands else None
    if day is not None and month is not None:
        if year is not None:
            d = _safe(year, month, day)
            return ResolvedDate(d, DAY) if d else None
        if pub is not None:
            d = _year_for(day, month, expr, pub)
            return ResolvedDate(d, DAY) if d else None
        if expr.weekday is None:
            return None
        cands = tuple(date(y, month, day) for y in candidate_years(day, month, expr.weekday, lo, hi))
        return ResolvedDate(cands[0] if len(cands) == 1 else None, DAY, cands) if cands else None
    if month is not None:
        if year is None and expr.unit == "year" and pub is not None:
            step = -1 if expr.explicit_past else 1 if expr.future else 0
            year = pub.year + step  # "أبريل من العام الماضي"
        elif year is None and pub is not None:
            year = _recent_month(month, expr, pub)
        if year is None:
            return None
        d = _month_date(year, month, expr.anchor, pub)
        return ResolvedDate(d, MONTH) if d else None
    if pub is None:
        if year is not None and expr.anchor is not None:
            m, dd = _ANCHOR_YEAR_DAY[expr.anchor]
            return ResolvedDate(date(year, m, dd), MONTH)
        return None
    step = -1 if expr.explicit_past else 1 if expr.future else 0
    if expr.offset_days is not None:
        d = pub + timedelta(days=expr.offset_days)
        if expr.weekday is not None and d.weekday() != expr.weekday:
            # "أمس السبت" in a report stamped after midnight: the weekday is the better witness
            for near in (d - timedelta(days=1), d + timedelta(days=1)):
                if near.weekday() == expr.weekday and near <= pub + timedelta(days=max(expr.offset_days, 0)):
                    return ResolvedDate(near, DAY)
            if expr.offset_days <= 0:
                # further off: the stamp is a later re-posting; the named weekday before it is the day
                return ResolvedDate(_weekday_near(d, expr.weekday, strictly_before=False, after=False), DAY)
        return ResolvedDate(d, DAY)
    if expr.weekday is not None:
        d = _weekday_near(pub, expr.weekday, strictly_before=expr.explicit_past, after=expr.future)
        return ResolvedDate(d, DAY)
    if expr.unit == "week":
        return ResolvedDate(pub + timedelta(days=7 * step), WEEK)
    if expr.unit == "month":
        y, m = _month_shift(pub.year, pub.month, step)
        d = _month_date(y, m, expr.anchor, pub)
        return ResolvedDate(d, MONTH) if d else None
    if expr.unit == "year" or year is not None:
        if expr.anchor is None:
            return None  # a year alone has no ACLED precision
        y = year if year is not None else pub.year + step
        m, dd = _ANCHOR_YEAR_DAY[expr.anchor]
        d = date(y, m, dd)
        return ResolvedDate(min(d, pub) if y == pub.year else d, MONTH)
    return None


def period_end(expr: TimeExpr, published: date) -> date | None:
    """The last day of the period a written year names ("عام 2016" -> 2016-12-31, "آذار 2016" ->
    2016-03-31), or None when it names a day ("أمس", a weekday: ``resolve_date`` reads those) or
    only a relative period ("العام الماضي": the words are also "the former ..." in "الأمين العام
    السابق", so they alone never make an incident background)."""
    if expr.hijri or expr.day is not None or expr.offset_days is not None or expr.weekday is not None:
        return None
    year = expr.year
    if year is None or year > published.year:
        return None
    if expr.month is not None:
        nxt = date(year + (expr.month == 12), expr.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(year, 12, 31)


def resolve_date(expr: TimeExpr, published: date | None, *,
                 year_range: tuple[int, int] | None = None) -> ResolvedDate | None:
    """The date ``expr`` names, or None; ``year_range`` defaults to (2011, this year)."""
    lo, hi = year_range if year_range is not None else (FIRST_YEAR, date.today().year)
    try:
        return _resolve(expr, published, lo, hi)
    except (ValueError, OverflowError):  # dates beyond year 9999 from absurd input
        return None


# /2016/10/09/, /2025/11/5/, 2018-07-12: a 4-digit year then month and day, same separator,
# not glued to other digits (so "/2019/06/1252413.html" is no date).
_URL_YMD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([/_.-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12][0-9]|3[01])(?![0-9])")
_URL_YM = re.compile(r"/((?:19|20)[0-9]{2})/(0[1-9]|1[0-2])/")
_DATE_KEY = re.compile(r"date|day|dt", re.IGNORECASE)
_URL_MIN_YEAR = 1995  # no news site published on the web earlier


def _plausible(d: date | None) -> date | None:
    if d is None or not (_URL_MIN_YEAR <= d.year <= date.today().year + 1):
        return None
    return d


def date_from_url(url: str | None) -> date | None:
    """Publication date written in a URL (path or a date-named query value), else None."""
    if not url or len(url) > 4096:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = unquote(parts.path)
    m = _URL_YMD.search(path)
    if m:
        return _plausible(_safe(int(m.group(1)), int(m.group(3)), int(m.group(4))))
    for key, value in parse_qsl(parts.query):
        if not _DATE_KEY.search(key):
            continue
        m = _URL_YMD.fullmatch(value)
        if m:
            return _plausible(_safe(int(m.group(1)), int(m.group(3)), int(m.group(4))))
        if len(value) == 8 and value.isascii() and value.isdigit():
            # cdate=17102025 (DDMMYYYY) or 20251017 (YYYYMMDD): only one reading may be valid
            a = _plausible(_safe(int(value[4:]), int(value[2:4]), int(value[:2])))
            b = _plausible(_safe(int(value[:4]), int(value[4:6]), int(value[6:])))
            if (a is None) != (b is None):
                return a or b
    return None


def month_from_url(url: str | None) -> tuple[int, int] | None:
    """(year, month) from a URL path like "/News/2019/06/1252413.html", else None."""
    if not url or len(url) > 4096:
        return None
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    m = _URL_YM.search(path)
    if not m or not (_URL_MIN_YEAR <= int(m.group(1)) <= date.today().year + 1):
        return None
    return int(m.group(1)), int(m.group(2))
