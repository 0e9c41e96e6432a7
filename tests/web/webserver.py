"""A real ahdath server on loopback for the API tests: uvicorn on a free port of 127.0.0.1, in a
thread of the test process, over a store seeded as a user would (``ahdath ingest``)."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from pgserver import create_database, drop_database, random_database_name

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
USERS = (("coder1", "coder"), ("admin1", "admin"))


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


def seed_with_users(db_url: str, tmp: Path) -> dict[str, str]:
    """``seed``, then a coder and an admin with PASSWORD and an API token each; returns the tokens."""
    from ahdath.store import Store
    from ahdath.store.users import add_user, create_token

    seed(db_url, tmp)
    tokens = {}
    with Store.open(db_url, access="write") as store:
        for name, role in USERS:
            add_user(store, name, role, PASSWORD)
            tokens[name] = create_token(store, name, "tests")
    return tokens


def start_site(db_url: str, tmp: Path, *, tokens: dict[str, str] | None = None, **settings: Any) -> Site:
    """A server over the store at ``db_url``: seeded here, or, with ``tokens``, already seeded
    with the users those tokens belong to (a copy of a ``Seed``)."""
    from ahdath.store import Store
    from ahdath.web.app import create_app
    from ahdath.web.settings import WebSettings

    if tokens is None:
        tokens = seed_with_users(db_url, tmp)
    store = Store.open(db_url, access="write")
    gazetteer = tmp / "gazetteer"
    app = create_app(WebSettings(db_url=db_url, gazetteer_dir=gazetteer, **settings))
    return Site("", db_url, tokens, gazetteer, LiveServer(app), store)


@dataclass(frozen=True)
class Seed:
    """The seeded store (``seed_with_users``), made once and copied for each site: a file copy on
    SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL. Seeding extracts the reports and hashes
    two passwords at full argon2 cost; a copy is the same data without that work."""

    source: str  # the SQLite file, or the PostgreSQL template database's name
    tokens: dict[str, str]  # the users' API tokens, the same in every copy
    server_url: str | None = None  # the PostgreSQL server holding the template

    @classmethod
    def make(cls, folder: Path, server_url: str | None = None) -> Seed:
        """Seed a SQLite file in ``folder``, or, given ``server_url``, a new PostgreSQL database."""
        mp = pytest.MonkeyPatch()
        # what ingest reads besides its input: the default user gazetteer, here an empty folder
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        mp.delenv("AHDATH_DB", raising=False)
        try:
            if server_url is None:
                path = folder / "seed.sqlite"
                return cls(str(path), seed_with_users(f"sqlite:///{path}", folder))
            name = f"seed_{random_database_name()}"
            url = create_database(server_url, name)
            try:
                return cls(name, seed_with_users(url, folder), server_url)
            except BaseException:
                drop_database(server_url, name)
                raise
        finally:
            mp.undo()

    def copy(self, tmp: Path) -> str:
        """The URL of a new store holding the seed (a SQLite file in ``tmp``, or a new database)."""
        if self.server_url is None:
            target = tmp / "store.sqlite"
            # the backup API copies a consistent snapshot, whatever the source's WAL still holds
            with closing(sqlite3.connect(self.source)) as src, closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
            return f"sqlite:///{target}"
        return create_database(self.server_url, random_database_name(), template=self.source)

    def drop(self) -> None:
        if self.server_url is not None:
            drop_database(self.server_url, self.source)


def error_of(response: httpx.Response) -> dict[str, str]:
    """The JSON error every 4xx carries: ``{"error": {"code", "message"}}``."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]  # type: ignore[no-any-return]
