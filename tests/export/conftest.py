"""Hand-built events for the writers (the engine is not needed to test output formats)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from ahdath.model import Event, Evidence, Span


def make_event(**changes: object) -> Event:
    clause = "قصفت قوات النظام بلدة كفرنبل بالمدفعية ما أدى إلى مقتل ثلاثة مدنيين"
    base = Event(
        article_id="idlib-1", event_id="SYR1", event_date="2019-03-12", year=2019, time_precision=1,
        disorder_type="Political violence", event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Syria (2000-2024)", assoc_actor_1=None, inter1=1,
        actor2="Civilians (Syria)", assoc_actor_2=None, inter2=7, interaction=17, civilian_targeting="Civilian targeting",
        iso=760, region="Middle East", country="Syria", admin1="Idlib", admin2="Maarrat An-Numan", admin3="Kafr Nobol",
        location="Kafr Nobol", location_ar="كفرنبل", latitude=35.6137, longitude=36.5614, geo_precision=1,
        source="Local media", source_url="https://news.example.org/idlib-1",
        notes="On 12 March 2019, regime forces shelled Kafr Nobol, killing 3 civilians.", fatalities=3, tags=None,
        evidence=Evidence(clause, 10, 10 + len(clause), {"location": (Span(21, 27, "كفرنبل"),)}),
        confidence=0.8,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def events() -> list[Event]:
    return [
        make_event(),
        make_event(event_id="SYR2", sub_event_type="Armed clash", event_type="Battles", actor2="Opposition, groups",
                   location_ar="سهل الغاب", location="Sahl al-Ghab", latitude=None, longitude=None, geo_precision=3,
                   notes='Clashes, with "quotes", commas\nand a newline.', fatalities=4),
        make_event(event_id="SYR3", article_id="a-very-long-article-identifier", actor1="X" * 80,
                   location_ar="حي الشيخ مقصود في مدينة حلب شمالي سوريا قرب دوار الشيحان", latitude=36.2322,
                   longitude=37.1553),
    ]
