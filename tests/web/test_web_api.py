"""The reading API against a real server: one event in full, one report, extraction."""
from __future__ import annotations

import concurrent.futures
import time

import pytest
from webserver import Site, error_of

STRIKE = ("قتل خمسة مدنيين، اليوم الثلاثاء، جراء غارات جوية شنتها طائرات حربية روسية على مدينة معرة النعمان "
          "في ريف إدلب الجنوبي.")


def test_web_api_event_detail_has_reports_values_evidence_and_history(site: Site) -> None:
    with site.client() as c:
        body = c.get("/api/events/SYR1").json()
    assert body["event_id"] == "SYR1" and body["status"] == "machine"
    assert body["event"]["sub_event_type"] == "Air/drone strike" and "id" not in body["event"]
    assert len(body["reports"]) == 2  # two outlets told it (strikes.jsonl)
    for report in body["reports"]:
        assert report["text"] and report["values"]["sub_event_type"] == "Air/drone strike"
        assert report["evidence"], report
        for span in report["evidence"]:
            # every span indexes the report's text as stored: the page highlights exactly these words
            assert report["text"][span["start"]:span["end"]] == span["text"], span
        assert {s["field"] for s in report["evidence"]} >= {"event", "trigger"}
    assert body["history"][0]["action"] == "create" and body["history"][0]["user"]
    assert body["merge_reasons"] and all(m["reason"] for m in body["merge_reasons"])


def test_web_api_event_detail_lists_disagreements(site: Site) -> None:
    with site.client() as c:
        body = c.get("/api/events/SYR1").json()
    values = [r["values"] for r in body["reports"]]
    for name, told in body["disagreements"].items():
        assert len(told) > 1 and set(map(str, told)) <= {str(v.get(name)) for v in values}
    differing = {n for n in ("fatalities", "location") if len({str(v.get(n)) for v in values if v.get(n) is not None}) > 1}
    assert differing <= set(body["disagreements"])


def test_web_api_report_gives_text_and_its_events(site: Site) -> None:
    with site.client() as c:
        body = c.get("/api/reports/a-1").json()
    assert body["report_id"] == "a-1" and body["source"] == "Outlet A" and body["published"] == "2024-03-12"
    assert body["events"] and body["events"][0]["event_id"] == "SYR1"
    for span in body["events"][0]["evidence"]:
        assert body["text"][span["start"]:span["end"]] == span["text"]


def test_web_api_extract_gives_events_and_stores_nothing(site: Site) -> None:
    with site.client() as c:
        before = c.get("/api/reports/text")
        r = c.post("/api/extract", json={"text": STRIKE, "published": "2024-03-12"})
        assert r.status_code == 200, r.text
        [event] = r.json()["events"]
        assert event["sub_event_type"] == "Air/drone strike" and event["event_date"] == "2024-03-12"
        assert event["admin1"] == "Idleb" and event["evidence"]["spans"]
        assert before.status_code == c.get("/api/reports/text").status_code == 404


@pytest.mark.parametrize("body, status, code", [
    ({"text": "The army shelled the town."}, 422, "E106"),
    ({"text": STRIKE, "country": "Atlantis"}, 422, "invalid"),
    ({"text": ""}, 422, "invalid"),
    ({"text": "ا" * 600_000}, 413, "E104")  # 1.2 MB of UTF-8: over the text limit, under the body limit,
])
def test_web_api_extract_refuses_bad_input(site: Site, body: dict, status: int, code: str) -> None:
    with site.client() as c:
        r = c.post("/api/extract", json=body)
    assert r.status_code == status, r.text
    assert error_of(r)["code"] == code


def test_web_api_extract_with_another_default_country(site: Site) -> None:
    text = "قتل ثلاثة أشخاص جراء قصف مدفعي على بلدة في المنطقة أمس."
    with site.client() as c:
        syria = c.post("/api/extract", json={"text": text, "published": "2024-03-12"}).json()["events"]
        iraq = c.post("/api/extract", json={"text": text, "published": "2024-03-12", "country": "Iraq"}).json()["events"]
    assert [e["country"] for e in syria] == ["Syria"] * len(syria)
    assert [e["country"] for e in iraq] == ["Iraq"] * len(iraq)


# extraction does not touch the store: one backend is enough
@pytest.mark.parametrize("site", ["sqlite"], indirect=True)
def test_web_api_extract_does_not_hold_the_other_requests(site: Site) -> None:
    """Extraction runs in its worker pool: while long texts are read, other requests are answered."""
    long_text = (STRIKE + "\n") * 3000  # about 400 kB: seconds of work

    def timed(body: dict) -> tuple[int, float]:
        t = time.perf_counter()
        status = c.post("/api/extract", json=body).status_code
        return status, time.perf_counter() - t

    with site.client() as c, concurrent.futures.ThreadPoolExecutor(2) as pool:
        c.post("/api/extract", json={"text": STRIKE})  # the pipeline is loaded
        busy = [pool.submit(timed, {"text": long_text}) for _ in range(2)]
        time.sleep(0.2)
        t0 = time.perf_counter()
        assert c.get("/api/me").status_code == 200
        quick = time.perf_counter() - t0
        slow = [f.result() for f in busy]
    assert [status for status, _t in slow] == [200, 200]
    # answered while the extractions ran, not after them (the threads share the GIL, so not at once)
    assert quick < min(seconds for _s, seconds in slow) / 2, (quick, slow)
