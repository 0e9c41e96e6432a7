"""Many small Arabic reports, written for the store tests: several outlets, several towns, several days."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

TOWNS = ("معرة النعمان", "سراقب", "أريحا", "جسر الشغور", "خان شيخون", "كفرنبل", "طفس", "نوى", "الميادين", "البوكمال")
NUMBERS = ("ثلاثة", "أربعة", "خمسة", "ستة", "سبعة")
TEMPLATES = (
    "قتل {n} مدنيين، اليوم، جراء غارات جوية شنتها طائرات حربية روسية على مدينة {town}.\n"
    "وقال الدفاع المدني إن فرقه انتشلت الضحايا من تحت الأنقاض.",
    "استهدفت طائرات حربية روسية بغارات جوية مدينة {town} اليوم، ما أدى إلى مقتل {n} مدنيين بينهم أطفال، "
    "بحسب ناشطين محليين.",
)


def write_reports(path: Path, n_days: int = 10, outlets: int = 3) -> int:
    """One jsonl file: for each day and town, ``outlets`` reports of the same strike. Returns the count."""
    start = date(2024, 3, 1)
    count = 0
    with path.open("w", encoding="utf-8") as f:
        for d in range(n_days):
            day = start + timedelta(days=d)
            for t, town in enumerate(TOWNS):
                for o in range(outlets):
                    text = TEMPLATES[o % len(TEMPLATES)].format(n=NUMBERS[(d + t + o) % len(NUMBERS)], town=town)
                    text += f"\n(تقرير رقم {d}-{t}-{o})"
                    row = {"id": f"r{d}-{t}-{o}", "url": f"https://outlet{o}.example/{day}/{t}",
                           "published": day.isoformat(), "source": f"Outlet {o}", "text": text}
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
    return count
