"""The event page in a real browser: reports side by side, the Arabic text right to left with the
evidence lit, a field's words lit on hover, a word's field on click, disagreements under the field,
the history; markup in a report shows as text; an anonymous reader gets no review actions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pagekit import login, shot, wait_js
from ui_seed import SCRIPT_TEXT


def event_of(page: Any, article_id: str) -> str:
    """The id of the event a seeded report gave (ids are the store's, not fixed by the test)."""
    found = page.evaluate(f"fetch('/api/reports/{article_id}').then((r) => r.json())")
    return found["events"][0]["event_id"]


def test_pages_event_shows_reports_side_by_side_with_evidence(page: Any, artifacts: Path) -> None:
    page.goto("/login")
    eid = event_of(page, "strike-a")
    page.goto(f"/events/{eid}")
    page.wait_for_selector("#reports .report >> nth=1")
    cards = page.locator("#reports .report")
    assert cards.count() == 2
    # side by side: the second card starts to the right of the first, on the same row
    a, b = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and b["x"] > a["x"] + a["width"] - 1
    text = page.locator("#reports .report-text").first
    assert text.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.report-text')).direction") == "rtl"
    marks = page.locator("#reports .report-text mark.ev")
    assert marks.count() >= 4
    assert "سراقب" in " ".join(marks.all_inner_texts())
    # the reports disagree on the toll: both values are listed under the field
    disagree = page.locator("#fields tr[data-field=fatalities] ul.disagree li")
    assert sorted(disagree.all_inner_texts()) == ["5", "7"]
    shot(page, artifacts, "event-evidence")

    # hovering a field lights only its words
    page.hover("#fields tr[data-field=fatalities]")
    lit = page.locator("mark.ev.lit")
    assert lit.count() >= 2
    assert all("fatalities" in m.get_attribute("data-roles").split() for m in lit.all())
    shot(page, artifacts, "event-hover-fatalities")
    page.hover("#fields tr[data-field=location]")
    assert {t for t in page.locator("mark.ev.lit").all_inner_texts()} >= {"سراقب"}

    # clicking words says which field they gave
    page.locator("mark.ev[data-roles~=place]").first.click()
    pop = page.locator("#span-popover")
    assert pop.is_visible()
    assert "location" in pop.inner_text() and "Saraqab" in pop.inner_text()
    shot(page, artifacts, "event-click-word")
    # history: the store's own log, newest first
    assert page.locator("#history li").count() >= 1
    assert not page.problems.relevant(), page.problems


def test_pages_event_report_markup_shows_as_text(page: Any, artifacts: Path) -> None:
    page.goto("/login")
    eid = event_of(page, "markup")
    page.goto(f"/events/{eid}")
    page.wait_for_selector("#reports .report")
    card = page.locator("#reports .report").first
    assert SCRIPT_TEXT in card.locator("h3").inner_text()
    assert SCRIPT_TEXT in card.locator(".report-text").inner_text()
    # nothing of it ran or became an element
    assert page.title() != "pwned"
    assert page.locator("#reports script").count() == 0
    shot(page, artifacts, "event-markup-as-text")


@pytest.mark.parametrize("key", ["a", "x"])
def test_pages_event_anonymous_reader_gets_no_actions(page: Any, key: str) -> None:
    page.goto("/login")
    eid = event_of(page, "protest-daraa")
    page.goto(f"/events/{eid}")
    page.wait_for_selector("#fields tr[data-field=event_date]")
    assert page.locator("#who").inner_text() == "reading anonymously"
    assert page.locator("#actions").is_hidden()
    page.keyboard.press(key)
    page.wait_for_timeout(300)
    # and the server refuses the write itself, whatever a page does
    status = page.evaluate(f"fetch('/api/events/{eid}/accept', {{method: 'POST'}}).then((r) => r.status)")
    assert status in (401, 403)
    assert page.evaluate(f"fetch('/api/events/{eid}').then((r) => r.json())")["status"] == "machine"


def test_pages_event_coder_accepts_and_edits(page: Any, artifacts: Path) -> None:
    page.goto("/login")
    eid = event_of(page, "protest-daraa")
    login(page, then=f"/events/{eid}")
    page.wait_for_selector("#actions:not(.hidden)")
    # the actions show only with the event loaded: its machine values are there to accept
    assert page.locator("#fields td.unreviewed").count() > 0
    page.keyboard.press("a")
    page.wait_for_selector("#event-status[data-status=reviewed]")
    assert page.locator("#fields td.unreviewed").count() == 0
    page.keyboard.press("e")
    page.select_option("#edit-field", "fatalities")
    page.fill("#edit-value", "2")
    page.keyboard.press("Enter")
    page.wait_for_selector("#fields tr[data-field=fatalities] td.pinned")
    assert page.locator("#fields tr[data-field=fatalities] td.pinned").inner_text().startswith("2")
    history = page.locator("#history").inner_text()
    assert CODER_NAME in history
    # what a user types is shown as typed, never run or parsed
    typed = '<img src="/nowhere" id="injected">'
    page.dblclick("#fields tr[data-field=notes] td")
    assert page.locator("#edit-field").input_value() == "notes"
    page.fill("#edit-value", typed)
    page.keyboard.press("Enter")
    wait_js(page, "document.querySelector('#fields tr[data-field=notes] td').textContent.includes('<img')")
    assert page.locator("#injected").count() == 0
    assert page.locator("#fields tr[data-field=notes] td").inner_text().startswith(typed)
    assert typed in page.locator("#history").inner_text()
    shot(page, artifacts, "event-after-edit")


CODER_NAME = "coder1"
