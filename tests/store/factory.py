"""Hand-made events and reports for store tests (independent of the extraction rules)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ahdath.model import Article, Event, Evidence, Span

_BASE = Event(
    article_id="r1", event_id="SYR-0000000001", event_date="2024-03-12", year=2024, time_precision=1,
    disorder_type="Political violence", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
    actor1="Military Forces of Russia (2000-)", assoc_actor_1=None, inter1=8, actor2="Civilians (Syria)",
    assoc_actor_2=None, inter2=7, interaction=78, civilian_targeting="Civilian targeting", iso=760,
    region="Middle East", country="Syria", admin1="Idleb", admin2="Ma'arrat An Nu'man", admin3=None,
    location="Maarrat An Nu'man", location_ar="معرة النعمان", latitude=35.6476, longitude=36.6746,
    geo_precision=1, source="Outlet A", source_url="https://outlet-a.example/1",
    notes="On 12 March 2024, an air strike.", fatalities=5, tags=None,
    evidence=Evidence("غارات جوية على معرة النعمان", 0, 27, {"trigger": (Span(0, 5, "غارات"),)}), confidence=0.8)

TOWNS = {
    "maarrat": ("Maarrat An Nu'man", "معرة النعمان", 35.6476, 36.6746, "Idleb"),
    "saraqib": ("Saraqab", "سراقب", 35.8624, 36.8006, "Idleb"),
    "tafas": ("Tafas", "طفس", 32.7366, 35.9897, "Dar'a"),
}


def event(n: int = 1, *, town: str = "maarrat", **fields: Any) -> Event:
    name, name_ar, lat, lon, admin1 = TOWNS[town]
    base = replace(_BASE, event_id=f"SYR-{n:010d}", location=name, location_ar=name_ar, latitude=lat,
                   longitude=lon, admin1=admin1)
    return replace(base, **fields)


def article(article_id: str, text: str | None = None, *, url: str | None = None, source: str | None = None,
            published: date | None = date(2024, 3, 12)) -> Article:
    return Article(article_id, text or f"نص التقرير {article_id}", published, url, None, source)
