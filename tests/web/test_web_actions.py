"""The review actions against a real server, as a coder with a token and as a browser session:
each changes the store as the CLI's command would, and the history names the user."""
from __future__ import annotations

import json
from contextlib import closing

import pytest
from webserver import UNRESOLVED_REPORT, Site, error_of


def _event_of(c, report_id: str) -> str:
    [told] = [e for e in c.get(f"/api/reports/{report_id}").json()["events"] if not e["deleted"]]
    return str(told["event_id"])


def test_web_actions_edit_pins_and_unset_unpins(fresh_site: Site) -> None:
    with fresh_site.as_user("coder1") as c:
        r = c.patch("/api/events/SYR1", json={"values": {"fatalities": 9, "sub_event_type": "Shelling/artillery/missile attack"},
                                             "note": "hospital list"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["event"]["fatalities"] == 9 and body["event"]["event_type"] == "Explosions/Remote violence"
        assert set(body["pinned"]) >= {"fatalities", "sub_event_type"}
        [last] = [h for h in body["history"] if h["action"] == "edit"]
        assert last["user"] == "coder1" and "hospital list" in last["detail"]
        assert body["status"] == "reviewed"  # a person's correction is a review
        r = c.patch("/api/events/SYR1", json={"unset": ["fatalities"]})
        assert r.json()["event"]["fatalities"] != 9 and "fatalities" not in r.json()["pinned"]


@pytest.mark.parametrize("values, message", [
    ({"sub_event_type": "Picnic"}, "not an ACLED sub-event type"),
    ({"event_type": "Battles", "sub_event_type": "Air/drone strike"}, "belongs to"),
    ({"event_type": "Parties"}, "not an ACLED event type"),
    ({"latitude": 123}, "outside"),
    ({"fatalities": "many"}, "not a whole number"),
    ({"no_such_field": 1}, "not an event field"),
    ({"event_date": "2024-02-30"}, "not a date"),
])
def test_web_actions_edit_refuses_bad_values(site: Site, values: dict, message: str) -> None:
    with site.as_user("coder1") as c:
        r = c.patch("/api/events/SYR2", json={"values": values})
        assert r.status_code == 400, r.text
        assert message in error_of(r)["message"]
        assert c.get("/api/events/SYR2").json()["history"][-1]["action"] == "create"  # nothing changed


def test_web_actions_merge_then_split_back(fresh_site: Site) -> None:
    with fresh_site.as_user("coder1") as c:
        r = c.post("/api/merge", json={"keep": "SYR1", "other": "SYR2", "note": "same strike"})
        assert r.status_code == 200, r.text
        merged = r.json()
        assert len(merged["reports"]) == 3 and merged["history"][-1]["user"] == "coder1"
        gone = c.get("/api/events/SYR2").json()
        assert gone["event"] is None and gone["tombstone"]["merged_into"] == "SYR1"
        moved = [r["report_id"] for r in merged["reports"] if r["values"]["location"] == "Saraqab"]
        r = c.post("/api/events/SYR1/split", json={"report_ids": moved, "note": "another town"})
        assert r.status_code == 200, r.text
        new_id = r.json()["new_event_id"]
        assert new_id not in ("SYR1", "SYR2")
        assert [x["report_id"] for x in c.get(f"/api/events/{new_id}").json()["reports"]] == moved
        assert c.post("/api/merge", json={"keep": "SYR1", "other": "SYR1"}).status_code == 400
        r = c.post("/api/events/SYR1/split", json={"report_ids": ["no-such-report"]})
        assert r.status_code == 400 and "has no report" in error_of(r)["message"]


def test_web_actions_session_edit_with_csrf(fresh_site: Site) -> None:
    c, csrf = fresh_site.login("coder1")
    with closing(c):
        r = c.patch("/api/events/SYR3", json={"values": {"fatalities": 4}}, headers={"x-csrf-token": csrf})
        assert r.status_code == 200, r.text
        assert r.json()["history"][-1]["user"] == "coder1"


def test_web_actions_gazetteer_admin_only_and_reextracts_the_reports_naming_it(fresh_site: Site) -> None:
    place = {"name": "تل المشاحير", "latitude": 35.61, "longitude": 36.70, "admin1": "Idleb", "country": "Syria",
             "source": "map, checked by the tests"}
    with fresh_site.as_user("coder1") as coder, fresh_site.as_user("admin1") as admin:
        event_id = _event_of(admin, UNRESOLVED_REPORT["id"])
        others = admin.get("/api/events/SYR1").json()["history"]
        before = admin.get(f"/api/events/{event_id}").json()["event"]
        assert before["geo_precision"] == 3 and "unresolved_place" in (before["tags"] or "")
        r = coder.post("/api/gazetteer", json=place)
        assert r.status_code == 403 and error_of(r)["code"] == "forbidden"
        r = admin.post("/api/gazetteer", json=place)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["reports"] == 1 and body["events"] == [event_id] and not body["replaced"]
        after = admin.get(f"/api/events/{event_id}").json()
        assert after["event"]["geo_precision"] == 1 and after["event"]["latitude"] == pytest.approx(35.61)
        assert "unresolved_place" not in (after["event"]["tags"] or "")
        assert after["history"][-1]["user"] == "admin1"
        [line] = (fresh_site.gazetteer_dir / "user.jsonl").read_text(encoding="utf-8").splitlines()
        assert json.loads(line)["name_ar"] == "تل المشاحير"
        # the other events were not read again
        assert admin.get("/api/events/SYR1").json()["history"] == others
        r = admin.post("/api/gazetteer", json={**place, "admin1": "Atlantis"})
        assert r.status_code == 400 and error_of(r)["code"] == "E500"


@pytest.mark.parametrize("action, body, status", [("accept", {}, "reviewed"), ("final", {}, "final"),  # final: after accept
                                                  ("flag", {"note": "two tolls"}, "flagged")])
def test_web_actions_status_workflow(fresh_site: Site, action: str, body: dict, status: str) -> None:
    with fresh_site.as_user("coder1") as c:
        assert c.get("/api/events/SYR3").json()["status"] == "machine"
        if action == "final":  # only a reviewed event is made final
            refused = c.post("/api/events/SYR3/final", json={})
            assert refused.status_code == 400 and "cannot be made final" in error_of(refused)["message"]
            assert c.post("/api/events/SYR3/accept", json={}).status_code == 200
        r = c.post(f"/api/events/SYR3/{action}", json=body)
        assert r.status_code == 200, r.text
        after = r.json()
        assert after["status"] == status and after["event"]["status"] == status
        assert after["history"][-1]["user"] == "coder1"
        assert "SYR3" in {e["event_id"] for e in c.get(f"/api/events?status={status}").json()["events"]}


def test_web_actions_reject_needs_a_reason_and_deletes(fresh_site: Site) -> None:
    with fresh_site.as_user("coder1") as c:
        r = c.post("/api/events/SYR3/reject", json={})
        assert r.status_code == 422 and "why" in error_of(r)["message"]
        r = c.post("/api/events/SYR3/reject", json={"note": "not political violence"})
        assert r.status_code == 200, r.text
        assert r.json()["event"] is None and r.json()["tombstone"]["reason"] == "deleted"
        assert "SYR3" not in {e["event_id"] for e in c.get("/api/events").json()["events"]}
        again = c.post("/api/events/SYR3/accept", json={})
        assert again.status_code == 404 and error_of(again)["code"] == "E603"


def test_web_actions_dismissed_pair_is_not_suggested_again(fresh_site: Site) -> None:
    with fresh_site.as_user("coder1") as c:
        before = {frozenset((s["a"], s["b"])) for s in c.get("/api/suggestions").json()["suggestions"]}
        assert frozenset(("SYR2", "SYR4")) in before  # two days apart, same place: one rule short
        r = c.post("/api/suggestions/dismiss", json={"a": "SYR4", "b": "SYR2"})
        assert r.status_code == 200, r.text
        assert r.json() == {"dismissed": ["SYR2", "SYR4"]}
        pairs = {frozenset((s["a"], s["b"])) for s in c.get("/api/suggestions").json()["suggestions"]}
        assert frozenset(("SYR2", "SYR4")) not in pairs and pairs <= before
        assert c.post("/api/suggestions/dismiss", json={"a": "SYR4", "b": "SYR4"}).status_code == 422


def test_web_actions_map_and_stats_follow_every_change(fresh_site: Site) -> None:
    """The map and stats answers are kept while the store is unchanged: a change made here, or by
    the CLI in another connection, is seen at once."""
    from ahdath.cli.main import main

    with fresh_site.as_user("coder1") as c:
        assert c.get("/api/stats").json()["per_type"]["Battles"] == 1
        assert "SYR3" in {p[0] for p in c.get("/api/map").json()["points"]}
        r = c.patch("/api/events/SYR3", json={"values": {"sub_event_type": "Armed clash"}})
        assert r.status_code == 200, r.text
        assert c.get("/api/stats").json()["per_type"]["Battles"] == 2
        assert main(["delete", "SYR3", "--reason", "a test", "--db", fresh_site.db_url]) == 0
        assert "SYR3" not in {p[0] for p in c.get("/api/map").json()["points"]}
        assert c.get("/api/stats").json()["per_type"]["Battles"] == 1


def test_web_actions_reextract_only_reads_the_reports_named(tmp_path, xdg) -> None:
    """``Store.reextract(only=...)``, which the gazetteer endpoint uses: the other reports are not read."""
    from webserver import seed

    from ahdath.pipeline import Pipeline
    from ahdath.store import Store
    from ahdath.store.schema import reports

    url = f"sqlite:///{tmp_path}/s.sqlite"
    seed(url, tmp_path)
    pipeline = Pipeline.from_options()
    read: list[str] = []

    def extract(article):
        read.append(article.id)
        return pipeline.extract_article(article)

    with Store.open(url, access="write") as store:
        with store.engine.connect() as conn:
            ids = dict(conn.execute(reports.select().with_only_columns(reports.c.article_id, reports.c.id)).all())
        outcomes = store.reextract(extract, only=[ids[UNRESOLVED_REPORT["id"]], ids["a-1"]])
    assert sorted(read) == sorted([UNRESOLVED_REPORT["id"], "a-1"])
    assert sorted(o.article_id for o in outcomes) == sorted(read)
