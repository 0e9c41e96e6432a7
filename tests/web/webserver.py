"""A real ahdath server on loopback for the API tests: uvicorn on a free port of 127.0.0.1, in a
thread of the test process, over a store seeded as a user would (``ahdath ingest``)."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ahdath.cli.main import main

STRIKES = Path(__file__).resolve().parents[1] / "store" / "data" / "strikes.jsonl"
PASSWORD = "correct horse battery"
# a report whose text carries markup: it must come back as the same characters, never run
SCRIPT_REPORT = {"id": "x-1", "url": "https://outlet-x.example/news/1", "published": "2024-03-14",
                 "source": "Outlet X", "title": "<b>غارة</b> على سراقب",
                 "text": "قتل ثلاثة مدنيين، يوم الخميس، جراء غارة جوية روسية على مدينة سراقب في ريف إدلب الشرقي. "
                         "<script>alert('x')</script> وقال ناشطون إن الطائرات استهدفت سوقا شعبيا."}
# a village no gazetteer knows: its event is placed at the governorate and tagged unresolved_place
UNRESOLVED_REPORT = {"id": "u-1", "url": "https://outlet-u.example/news/1", "published": "2024-03-15",
                     "source": "Outlet U", "title": "قصف على قرية في ريف إدلب",
                     "text": "قصفت قوات النظام بالمدفعية قرية تل المشاحير في ريف إدلب الجنوبي، ما أدى إلى مقتل "
                             "مدنيين اثنين."}
# a clash in Aleppo: another event type and governorate for the filters
CLASH_REPORT = {"id": "c-1", "url": "https://outlet-c.example/news/1", "published": "2024-03-16",
                "source": "Outlet C", "title": "اشتباكات في ريف حلب",
                "text": "اندلعت اشتباكات عنيفة، يوم السبت، بين قوات النظام وفصائل المعارضة في محيط بلدة عندان بريف "
                        "حلب الشمالي، ما أدى إلى مقتل أربعة عناصر من الطرفين."}
BACKENDS = ("sqlite", "postgresql")


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1:<free port> in a daemon thread until ``stop``."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        from ahdath.cli.serve import _listen

        self.sock = _listen("127.0.0.1", 0)  # as ahdath serve listens
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


@dataclass
class Site:
    """A running server and what the tests need to talk to it."""

    url: str
    db_url: str
    tokens: dict[str, str]  # user name -> API token
    gazetteer_dir: Path
    server: LiveServer
    store: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)

    def as_user(self, name: str) -> httpx.Client:
        return self.client(headers={"authorization": f"Bearer {self.tokens[name]}"})

    def login(self, name: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
        """A browser-like client logged in with the form; returns it and its CSRF token."""
        c = self.client()
        csrf = c.get("/api/me").json()["csrf"]
        r = c.post("/login", data={"name": name, "password": password, "csrf": csrf})
        assert r.status_code == 200, r.text
        return c, r.json()["csrf"]


def seed(db_url: str, tmp: Path) -> None:
    """The strike reports of the store tests plus one report with markup, ingested as a user would."""
    reports = tmp / "reports.jsonl"
    extra = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (SCRIPT_REPORT, UNRESOLVED_REPORT, CLASH_REPORT))
    reports.write_text(STRIKES.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert main(["ingest", "-q", str(reports), "--db", db_url]) == 0


def start_site(db_url: str, tmp: Path, **settings: Any) -> Site:
    from ahdath.store import Store
    from ahdath.store.users import add_user, create_token
    from ahdath.web.app import create_app
    from ahdath.web.settings import WebSettings

    seed(db_url, tmp)
    store = Store.open(db_url, access="write")
    tokens = {}
    for name, role in (("coder1", "coder"), ("admin1", "admin")):
        add_user(store, name, role, PASSWORD)
        tokens[name] = create_token(store, name, "tests")
    gazetteer = tmp / "gazetteer"
    app = create_app(WebSettings(db_url=db_url, gazetteer_dir=gazetteer, **settings))
    return Site("", db_url, tokens, gazetteer, LiveServer(app), store)


def error_of(response: httpx.Response) -> dict[str, str]:
    """The JSON error every 4xx carries: ``{"error": {"code", "message"}}``."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]  # type: ignore[no-any-return]
