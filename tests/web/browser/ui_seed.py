"""Reports written for the browser tests (our own prose, not from any corpus): two outlets telling one
air strike with different tolls (a merged event whose reports disagree), a strike on the same town two
days later (a near miss the store suggests as a duplicate), a protest, a clash at a village
no gazetteer knows (an approximate place), shelling placed only in a governorate's countryside, and a report whose
title and text carry markup that must show as text."""
from __future__ import annotations

import json
from pathlib import Path

SCRIPT_TEXT = "<script>document.title='pwned'</script>"

REPORTS = (
    {"id": "strike-a", "url": "https://outlet-a.example/2024/03/12/saraqib", "source": "Outlet A",
     "published": "2024-03-12", "title": "غارات على سراقب",
     "text": "قتل خمسة مدنيين، اليوم الثلاثاء، جراء غارات جوية شنتها طائرات حربية روسية على مدينة سراقب "
             "بريف إدلب الشرقي.\nوقال الدفاع المدني إن فرقه انتشلت الضحايا من تحت الأنقاض."},
    {"id": "strike-b", "url": "https://outlet-b.example/news/4411", "source": "Outlet B",
     "published": "2024-03-12", "title": "مقتل مدنيين بقصف جوي في سراقب",
     "text": "استهدفت طائرات حربية روسية بغارات جوية مدينة سراقب اليوم الثلاثاء، ما أدى إلى مقتل سبعة مدنيين "
             "بينهم طفلان، بحسب ناشطين محليين."},
    {"id": "strike-later", "url": "https://outlet-c.example/p/80", "source": "Outlet C",
     "published": "2024-03-14", "title": "غارات جديدة على سراقب",
     "text": "شنت طائرات حربية روسية، اليوم الخميس، غارات جوية على أطراف مدينة سراقب شرقي إدلب، "
             "دون ورود أنباء عن إصابات بين المدنيين."},
    {"id": "protest-daraa", "url": "https://outlet-c.example/p/77", "source": "Outlet C",
     "published": "2024-03-15", "title": "مظاهرة في درعا",
     "text": "خرج مئات المتظاهرين، اليوم الجمعة، في مظاهرة سلمية وسط مدينة درعا للمطالبة بالإفراج عن المعتقلين."},
    {"id": "clash-village", "url": "https://outlet-a.example/2024/03/14/clash", "source": "Outlet A",
     "published": "2024-03-14", "title": "اشتباكات في ريف حماة",
     "text": "دارت اشتباكات عنيفة، اليوم الخميس، بين فصائل المعارضة وقوات النظام على محور قرية تل السنديان "
             "في سهل الغاب بريف حماة الغربي، أسفرت عن مقتل ثلاثة عناصر من قوات النظام."},
    {"id": "shelling-south", "url": "https://outlet-b.example/news/4420", "source": "Outlet B",
     "published": "2024-03-16", "title": "قصف مدفعي على ريف إدلب",
     "text": "قصفت قوات النظام بالمدفعية الثقيلة، اليوم السبت، مناطق متفرقة في ريف إدلب الجنوبي، ما أدى إلى مقتل مدني."},
    {"id": "markup", "url": "https://outlet-d.example/x/1", "source": "Outlet D", "published": "2024-03-13",
     "title": f"قصف على أريحا {SCRIPT_TEXT}",
     "text": f"قتل مدنيان، اليوم الأربعاء، جراء قصف مدفعي شنته قوات النظام على مدينة أريحا بريف إدلب. {SCRIPT_TEXT}"},
)


def write(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in REPORTS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path
