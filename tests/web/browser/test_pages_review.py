"""Reviewing in a real browser, as a coder, with the keyboard: the queue (next/previous, accept and
next, edit with the checks, flag, reject, help), the merge page (adopt a report's value, split
reports out, merge them back), and the place form; an anonymous reader is refused each of them."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pagekit import ADMIN, login, shot, wait_js


def api(page: Any, path: str) -> Any:
    return page.evaluate(f"fetch({path!r}).then((r) => r.json())")


def event_of(page: Any, article_id: str) -> str:
    return api(page, f"/api/reports/{article_id}")["events"][0]["event_id"]


def current(page: Any) -> str:
    return page.locator("#current").get_attribute("data-event-id") or ""


def wait_current(page: Any, event_id: str | None = None) -> str:
    if event_id is None:
        wait_js(page, "document.getElementById('current').dataset.eventId")
    else:
        wait_js(page, f"document.getElementById('current').dataset.eventId === {event_id!r}")
    return current(page)


def test_pages_queue_keyboard_review(page: Any, artifacts: Path) -> None:
    login(page, then="/queue")
    wait_js(page, "document.body.dataset.ready === '1'")
    queue = page.locator("#queue li").all()
    order = [li.get_attribute("data-event-id") for li in queue]
    assert len(order) >= 4
    first = wait_current(page, order[0])
    shot(page, artifacts, "queue")

    page.keyboard.press("j")
    assert wait_current(page, order[1]) == order[1]
    page.keyboard.press("ArrowDown")
    wait_current(page, order[2])
    page.keyboard.press("k")
    wait_current(page, order[1])
    page.keyboard.press("k")
    wait_current(page, first)
    assert page.locator("#current-fields td.unreviewed").count() > 0

    # a: accepted, and on to the next
    page.keyboard.press("a")
    wait_current(page, order[1])
    assert api(page, f"/api/events/{first}")["status"] == "reviewed"
    assert first not in [li.get_attribute("data-event-id") for li in page.locator("#queue li").all()]

    # e: a type the sub-type does not belong to is refused before any request
    second = order[1]
    before = api(page, f"/api/events/{second}")["event"]
    page.keyboard.press("e")
    page.select_option("#edit-field", "event_type")
    wrong = "Protests" if before["event_type"] != "Protests" else "Battles"
    page.fill("#edit-value", wrong)
    page.keyboard.press("Enter")
    assert "belongs to" in page.locator("#edit-error").inner_text()
    assert api(page, f"/api/events/{second}")["event"]["event_type"] == before["event_type"]
    page.select_option("#edit-field", "fatalities")
    page.fill("#edit-value", "many")
    page.keyboard.press("Enter")
    assert "whole number" in page.locator("#edit-error").inner_text()
    page.fill("#edit-value", "11")
    page.keyboard.press("Enter")
    page.wait_for_selector("#current-fields tr[data-field=fatalities] td.pinned")
    after = api(page, f"/api/events/{second}")
    assert after["event"]["fatalities"] == 11 and "fatalities" in after["pinned"]
    assert after["history"][-1]["user"] == "coder1"
    shot(page, artifacts, "queue-after-edit")

    # f: flagged with a note; x: rejected with a reason
    page.keyboard.press("f")
    page.fill("#ask-input", "the toll needs a second source")
    page.keyboard.press("Enter")
    wait_js(page, f"document.getElementById('current').dataset.eventId !== {second!r}")
    assert api(page, f"/api/events/{second}")["status"] == "flagged"
    third = current(page)
    page.keyboard.press("x")
    page.fill("#ask-input", "not an incident")
    page.keyboard.press("Enter")
    wait_js(page, f"document.getElementById('current').dataset.eventId !== {third!r}")
    gone = api(page, f"/api/events/{third}")
    assert gone["event"] is None

    page.keyboard.press("?")
    assert page.locator("#help-dialog").is_visible()
    assert not page.problems.relevant(), page.problems


def test_pages_queue_split_and_merge_with_keys(page: Any, artifacts: Path) -> None:
    login(page, then="/queue")
    wait_js(page, "document.body.dataset.ready === '1'")
    strike = event_of(page, "strike-a")
    order = [li.get_attribute("data-event-id") for li in page.locator("#queue li").all()]
    for _ in range(order.index(strike)):
        page.keyboard.press("j")
    wait_current(page, strike)
    # s: the ticked report moves out into a new event
    page.check("#current-reports input[name=report][value='strike-b']")
    page.keyboard.press("s")
    wait_js(page, "document.querySelectorAll('#current-reports .report').length === 1")
    moved = event_of(page, "strike-b")
    assert moved != strike and "split" in page.locator("#notice").inner_text()
    # m: and back in, by its id
    page.keyboard.press("m")
    page.fill("#ask-input", strike)  # not this event itself
    page.keyboard.press("Enter")
    assert "not this one" in page.locator("#ask-error").inner_text()
    page.fill("#ask-input", moved)
    page.keyboard.press("Enter")
    wait_js(page, "document.querySelectorAll('#current-reports .report').length === 2")
    assert event_of(page, "strike-b") == strike
    history = [h["action"] for h in api(page, f"/api/events/{strike}")["history"]]
    assert "split" in " ".join(history) and "merge" in " ".join(history)
    shot(page, artifacts, "queue-after-merge")


def test_pages_queue_anonymous_keys_do_nothing(page: Any) -> None:
    page.goto("/queue")
    wait_js(page, "document.body.dataset.ready === '1'")
    first = wait_current(page)
    page.keyboard.press("a")
    page.wait_for_selector("#notice.error")
    assert "log in" in page.locator("#notice").inner_text()
    assert api(page, f"/api/events/{first}")["status"] == "machine"


def test_pages_merge_grid_adopt_split_and_merge_back(page: Any, artifacts: Path) -> None:
    login(page, then="/merge")
    strike = event_of(page, "strike-a")
    page.fill("#grid-event", strike)
    page.click("#grid-form button[type=submit]")
    page.wait_for_selector("#grid thead th[data-report='strike-b']")
    assert page.locator("#grid thead th[data-report]").count() == 2
    shot(page, artifacts, "merge-grid")

    # the canonical toll is the lowest (5); adopt the other report's 7, pinned
    page.click("#grid tr[data-field=fatalities] button.adopt[data-report='strike-b']")
    page.wait_for_selector("#grid tr[data-field=fatalities] td.canonical.pinned")
    assert page.locator("#grid tr[data-field=fatalities] td.canonical").inner_text() == "7"
    assert "fatalities" in api(page, f"/api/events/{strike}")["pinned"]

    # split strike-b out into a new event
    page.check("#grid input[name=split][value='strike-b']")
    page.click("#split-button")
    wait_js(page, "document.querySelectorAll('#grid thead th[data-report]').length === 1")
    moved = event_of(page, "strike-b")
    assert moved != strike
    assert [r["report_id"] for r in api(page, f"/api/events/{moved}")["reports"]] == ["strike-b"]
    shot(page, artifacts, "merge-after-split")

    # and merge it back
    page.fill("#merge-other", moved)
    page.click("#merge-form button[type=submit]")
    wait_js(page, "document.querySelectorAll('#grid thead th[data-report]').length === 2")
    assert event_of(page, "strike-b") == strike
    assert api(page, f"/api/events/{moved}")["event"] is None
    assert not page.problems.relevant(), page.problems


@pytest.mark.parametrize("key", ["d", "m"])
def test_pages_merge_suggestion_dismissed_or_merged_with_one_key(page: Any, key: str, artifacts: Path) -> None:
    login(page, then="/merge")
    wait_js(page, "document.body.dataset.ready === '1'")
    first, later = event_of(page, "strike-a"), event_of(page, "strike-later")
    row = page.locator("#suggestions tr[data-a][data-b]").first
    keep, other = row.get_attribute("data-a"), row.get_attribute("data-b")
    assert {keep, other} == {first, later}
    # the rule that keeps them apart, and the score
    assert row.locator("td").nth(2).inner_text() == "date"
    assert 0.5 <= float(row.locator("td").nth(3).inner_text()) < 1
    shot(page, artifacts, "merge-suggestions")
    page.keyboard.press(key)
    wait_js(page, f"!document.querySelector('#suggestions tr[data-a=\"{keep}\"][data-b=\"{other}\"]')")
    pairs = api(page, "/api/suggestions")["suggestions"]
    assert not [p for p in pairs if {p["a"], p["b"]} == {first, later}]
    if key == "m":  # merged into the first of the pair: it has all three reports
        assert len(api(page, f"/api/events/{keep}")["reports"]) == 3
        assert event_of(page, "strike-later") == event_of(page, "strike-a") == keep
    else:  # dismissed: both stay, and the store remembers
        assert api(page, f"/api/events/{later}")["event"] is not None
        page.reload()
        wait_js(page, "document.body.dataset.ready === '1'")
        assert page.locator(f"#suggestions tr[data-a='{keep}'][data-b='{other}']").count() == 0


def test_pages_merge_anonymous_sees_no_controls(page: Any) -> None:
    page.goto("/login")
    strike = event_of(page, "strike-a")
    page.goto(f"/merge?event={strike}")
    wait_js(page, "document.body.dataset.ready === '1'")
    assert page.locator("#grid button.adopt").count() == 0
    assert page.locator("#split-button").is_hidden()
    assert page.locator("#merge-form").is_hidden()


def test_pages_place_form_needs_an_admin(page: Any) -> None:
    for who in (None, "coder"):
        if who:
            login(page, then="/places/new")
        else:
            page.goto("/places/new")
        wait_js(page, "document.body.dataset.ready === '1'")
        assert page.locator("#place-form button[type=submit]").is_disabled(), who
        assert "admin" in page.locator("#place-error").inner_text(), who


def test_pages_place_form_adds_the_village_and_reextracts(page: Any, artifacts: Path) -> None:
    page.goto("/login")
    clash = event_of(page, "clash-village")
    event = api(page, f"/api/events/{clash}")["event"]
    assert "unresolved_place" in event["tags"] and event["geo_precision"] == 2
    login(page, ADMIN, then=f"/events/{clash}")
    page.wait_for_selector("#fix-place:not(.hidden)")
    page.click("#fix-place-link")
    wait_js(page, "document.body.dataset.ready === '1'")
    assert page.locator("#place-form input[name=name]").input_value() == event["location_ar"]
    assert page.locator("#place-country").input_value() == "Syria"
    # a point outside the country is refused before any request
    page.fill("#place-form input[name=latitude]", "48.85")
    page.fill("#place-form input[name=longitude]", "2.35")
    page.fill("#place-form input[name=source]", "a survey map")
    page.click("#place-form button[type=submit]")
    assert "not inside Syria" in page.locator("#place-error").inner_text()
    # a click on the map sets the coordinates
    box = page.locator("#place-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_js(page, "document.querySelector('#place-form input[name=latitude]').value !== '48.85'")
    page.fill("#place-form input[name=latitude]", "35.62")
    page.fill("#place-form input[name=longitude]", "36.33")
    page.fill("#place-form input[name=admin1]", "Hama")
    page.click("#place-form button[type=submit]")
    page.wait_for_selector("#place-result:not(.hidden)")
    shot(page, artifacts, "place-added")
    after = api(page, f"/api/events/{event_of(page, 'clash-village')}")["event"]
    assert after["geo_precision"] == 1 and abs(after["latitude"] - 35.62) < 1e-6
    assert "unresolved_place" not in (after["tags"] or "")
