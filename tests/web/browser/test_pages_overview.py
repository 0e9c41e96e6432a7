"""The overview in a real browser: the map drawn from the seeded store (with the tile server
unreachable: markers over the shipped outlines), a filter by type that changes the URL and that
table, map and chart follow, back and forward; a store that needs a login to read sends a reader to
the login page."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pagekit import login, shot, wait_js

# what MapLibre has drawn: features of our traces (markers, circles) and of the outline layers
RENDERED = """() => {
  const m = document.getElementById('map')._fullLayout.map._subplot.map;
  const out = {traces: 0, outlines: 0, loaded: m.loaded()};
  for (const f of m.queryRenderedFeatures()) {
    if (f.layer.id.includes('trace')) out.traces += 1;
    else if (f.layer.id.includes('layout')) out.outlines += 1;
  }
  return out;
}"""


def wait_loaded(page: Any) -> None:
    wait_js(page, "document.body.dataset.loaded && !document.body.dataset.loading")
    # MapLibre draws after plotly returns: wait for its idle frame
    wait_js(page, """() => { const gd = document.getElementById('map');
      const m = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot.map;
      return m && m.loaded(); }""")


def test_pages_overview_map_table_chart_follow_one_filter(page: Any, artifacts: Path) -> None:
    page.goto("/")
    wait_loaded(page)
    assert page.locator("#events tbody tr").count() == 6
    assert page.locator("#map").get_attribute("data-points") == "6"
    drawn = page.evaluate(RENDERED)
    # the tiles are a closed port: what shows is ours, markers and circles over the outlines
    assert drawn["traces"] > 0 and drawn["outlines"] > 0, drawn
    assert page.locator("#chart .bars path").count() >= 3
    # the approximate places are circles and say so
    assert "approximate" in page.locator("#legend").inner_text()
    shot(page, artifacts, "overview")

    page.select_option("#filters select[name=type]", "Protests")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/?type=Protests")
    wait_loaded(page)
    assert page.locator("#events tbody tr").count() == 1
    assert page.locator("#events tbody tr td").nth(2).inner_text().strip() == "Peaceful protest"
    assert page.locator("#map").get_attribute("data-points") == "1"
    assert page.locator("#chart .bars path").count() == 1
    shot(page, artifacts, "overview-protests")

    # clicking the one marker opens its event
    x, y = page.evaluate("""() => { const gd = document.getElementById('map');
      const m = gd._fullLayout.map._subplot.map; const t = gd.data.find((d) => d.lat.length && d.mode === 'markers');
      const p = m.project([t.lon[0], t.lat[0]]); const r = gd.getBoundingClientRect();
      return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(x, y)
    page.wait_for_url("**/events/*")
    page.go_back()
    wait_loaded(page)

    # a filtered view is a link, and back goes back
    page.go_back()
    wait_js(page, "new URLSearchParams(location.search).get('type') === null")
    wait_loaded(page)
    assert page.locator("#events tbody tr").count() == 6
    assert page.locator("#filters select[name=type]").input_value() == ""
    page.go_forward()
    wait_loaded(page)
    assert page.locator("#events tbody tr").count() == 1
    assert page.locator("#filters select[name=type]").input_value() == "Protests"
    assert not page.problems.relevant(), page.problems


def test_pages_overview_link_opens_filtered_sorted_and_rows_open_events(page: Any) -> None:
    page.goto("/?type=Explosions%2FRemote+violence&sort=fatalities&order=asc")
    wait_loaded(page)
    deaths = [int(t) for t in page.locator("#events tbody tr td:nth-child(6)").all_inner_texts()]
    assert len(deaths) == 4 and deaths == sorted(deaths)
    assert page.locator("th[data-sort=fatalities]").get_attribute("aria-sort") == "ascending"
    page.click("th[data-sort=fatalities]")
    page.wait_for_url("**order=desc**")
    wait_loaded(page)
    deaths = [int(t) for t in page.locator("#events tbody tr td:nth-child(6)").all_inner_texts()]
    assert deaths == sorted(deaths, reverse=True)
    # the table's rows open their events
    first = page.locator("#events tbody tr a").first
    opened = first.inner_text()
    first.click()
    page.wait_for_url(f"**/events/{opened}")
    page.wait_for_selector("#reports .report")


@pytest.mark.settings(public_read=False)
def test_pages_overview_login_to_read_refuses_anonymous(page: Any, artifacts: Path) -> None:
    page.goto("/")
    page.wait_for_url("**/login?next=*")
    status = page.evaluate("fetch('/api/events').then((r) => r.status)")
    assert status == 401
    login(page, then="/")
    wait_loaded(page)
    assert page.locator("#events tbody tr").count() == 6
    shot(page, artifacts, "overview-after-login")


@pytest.mark.settings(tile_url="live")
def test_pages_overview_draws_tiles_when_the_server_answers(page: Any, live_tiles: tuple[str, list[str]],
                                                            artifacts: Path) -> None:
    asked = live_tiles[1]
    before = len(asked)
    page.goto("/")
    wait_loaded(page)
    sources = page.evaluate("() => Object.keys(document.getElementById('map')._fullLayout.map._subplot.map.getStyle().sources)")
    assert "tiles" in sources
    assert len(asked) > before and all(p.endswith(".png") for p in asked[before:])
    assert "could not be reached" not in page.locator("#tile-credit").inner_text()
    assert page.evaluate(RENDERED)["traces"] > 0
    assert not page.problems.relevant(), page.problems
    shot(page, artifacts, "overview-with-tiles")


def test_pages_overview_map_survives_a_full_replot(page: Any) -> None:
    """plotly.js puts trace uids into CSS selectors when it replots from scratch (a new config, a
    resize to nothing): a uid holding "/" or a space ("Explosions/Remote violence") threw there."""
    page.goto("/")
    wait_loaded(page)
    uids = page.evaluate("document.getElementById('map').data.map((t) => t.uid)")
    assert uids and all(re.fullmatch(r"[A-Za-z0-9-]+", u) for u in uids), uids
    error = page.evaluate("""() => { const gd = document.getElementById('map');
      return Plotly.react(gd, gd.data, gd.layout, {displaylogo: false, scrollZoom: false, responsive: false})
        .then(() => null, (e) => String(e)).catch((e) => String(e)); }""")
    assert error in (None, "Error: Map error."), error
    assert not [p for p in page.problems.relevant() if "not a valid selector" in p], page.problems


def test_pages_overview_filters_in_arabic_and_english(page: Any) -> None:
    """The governorate by its ACLED or its Arabic name, and free text in either language: typed into
    the form (the URL carries it) or given in the link, the table and the map follow."""
    page.goto("/")
    wait_loaded(page)
    page.fill("#filters input[name=admin1]", "إدلب")
    page.click("#filters button[type=submit]")
    page.wait_for_url(lambda url: "admin1=" in url)
    wait_loaded(page)
    assert page.locator("#events tbody tr").count() == 4
    assert page.locator("#map").get_attribute("data-points") == "4"
    for query, expected in (("admin1=Idleb", 4), ("q=%D9%85%D8%B8%D8%A7%D9%87%D8%B1%D8%A9", 1), ("q=Saraqab", 2)):
        page.goto(f"/?{query}")
        wait_loaded(page)
        assert page.locator("#events tbody tr").count() == expected, query
        assert page.locator("#map").get_attribute("data-points") == str(expected), query
    # the map's view as a filter: the two strikes on Saraqab are framed, so both stay
    page.click("#use-view")
    page.wait_for_url(lambda url: "bbox=" in url)
    wait_loaded(page)
    w, s, e, n = map(float, page.locator("#filters input[name=bbox]").input_value().split(","))
    assert w < 36.80 < e and s < 35.86 < n
    assert page.locator("#events tbody tr").count() == 2
