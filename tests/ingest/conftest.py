"""Reports written by the team for ingest tests."""
from __future__ import annotations

import pytest

REPORT = ("قُتل ثلاثة عناصر من قوات النظام وأُصيب آخرون باشتباكات مع فصائل المعارضة على محور "
          "تل الصوان قرب دوما، فجر اليوم السبت ١٤ أيار.\nوقال ناشطون إن الطيران الحربي شن غارتين على المنطقة.")
REPORT_1256 = REPORT.replace("١٤", "14")  # cp1256 has no Arabic-Indic digits


@pytest.fixture
def report() -> str:
    return REPORT


@pytest.fixture
def report_1256() -> str:
    return REPORT_1256
