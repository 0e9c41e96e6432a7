"""A small store for the browse, workflow and suggestion tests: five events over three weeks, in
two governorates, from hand-written reports (our own prose), each shaped to carry some review tags."""
from __future__ import annotations

from datetime import date
from typing import Any

from factory import article, event

from ahdath.store import Store, delete_event


def seed(store: Store) -> dict[str, str]:
    """Store the reports; returns the public ids by role: strike (two outlets), clash (precision 3,
    low confidence), attack (unresolved place, one outlet), shelling (two outlets disagreeing on the
    toll), protest (undated), gone (deleted)."""
    def rep(rid: str, text: str, outlet: str, day: date | None, **fields: Any) -> tuple[Any, list[Any]]:
        return (article(rid, text, source=f"Outlet {outlet}", url=f"https://{outlet.lower()}.example/{rid}",
                        published=day),
                [event(int(rid[1:]), source=f"Outlet {outlet}", **fields)])

    outcomes = store.add_reports([
        rep("a1", "قتل خمسة مدنيين بينهم أطفال في غارات جوية على معرة النعمان", "A", date(2024, 3, 1),
            event_date="2024-03-01", confidence=0.9),
        rep("b1", "غارات جوية روسية على معرة النعمان وقتلى من المدنيين", "B", date(2024, 3, 1),
            event_date="2024-03-01", confidence=0.85),
        rep("a2", "اشتباكات عنيفة في ريف طفس بين قوات النظام ومسلحين", "A", date(2024, 3, 5), town="tafas",
            event_date="2024-03-05", event_type="Battles", sub_event_type="Armed clash",
            actor1="Military Forces of Syria (2000-)", actor2="Unidentified Armed Group (Syria)", inter2=3,
            fatalities=2, confidence=0.3, geo_precision=3, notes="Clashes near Tafas."),
        rep("a3", "هاجم مسلحون مجهولون المخبز في سراقب بريف إدلب", "A", date(2024, 3, 10), town="saraqib",
            event_date="2024-03-10", event_type="Violence against civilians", sub_event_type="Attack",
            actor1="Unidentified Armed Group (Syria)", fatalities=1, confidence=0.6, tags="unresolved_place"),
        rep("a5", "قصف مدفعي على معرة النعمان يقتل ثلاثة", "A", date(2024, 3, 20), event_date="2024-03-20",
            sub_event_type="Shelling/artillery/missile attack", fatalities=3, confidence=0.7),
        rep("b5", "قصف مدفعي على معرة النعمان يقتل أربعة", "B", date(2024, 3, 20), event_date="2024-03-20",
            sub_event_type="Shelling/artillery/missile attack", fatalities=4, confidence=0.7),
        rep("a6", "تظاهر العشرات في طفس مطالبين بالإفراج عن المعتقلين", "A", None, town="tafas", event_date=None,
            year=None, event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Syria)",
            actor2=None, inter1=6, inter2=None, fatalities=0, confidence=0.75, civilian_targeting=None),
        rep("a7", "انفجار عبوة ناسفة في سراقب", "A", date(2024, 3, 15), town="saraqib", event_date="2024-03-15",
            sub_event_type="Remote explosive/landmine/IED", fatalities=0, confidence=0.5),
    ])
    ids = [o.event_ids[0] for o in outcomes]
    roles = {"strike": ids[0], "clash": ids[2], "attack": ids[3], "shelling": ids[4], "protest": ids[6],
             "gone": ids[7]}
    assert ids[1] == roles["strike"] and ids[5] == roles["shelling"], ids  # the two outlets merged
    delete_event(store, roles["gone"], reason="a test: not an event")
    return roles
