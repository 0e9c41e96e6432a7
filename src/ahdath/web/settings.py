"""What ``ahdath serve`` is told: one frozen value the app and its parts read, never module state."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ahdath.errors import UsageError

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@dataclass(frozen=True, slots=True)
class WebSettings:
    """The web app's settings (``ahdath serve`` fills them from its flags).

    ``db_url`` None means the default store (``$AHDATH_DB``, else the user data folder's file), as
    for every other command. Reading is public unless ``public_read`` is False; editing always
    needs a login or an API token."""

    db_url: str | None = None
    public_read: bool = True
    tile_url: str = OSM_TILES
    session_ttl: float = 8 * 3600.0  # seconds a login lasts
    max_body: int = 2_000_000  # bytes of request body, whatever the endpoint
    extract_max_bytes: int = 1_000_000  # UTF-8 bytes of one /api/extract text
    extract_time_budget: float = 30.0  # seconds one /api/extract may take (E107 past it)
    extract_workers: int = 2  # extractions running at once; more wait (so the loop stays free)
    login_attempts: int = 5  # failed logins allowed per name within login_window ...
    login_attempts_per_address: int = 20  # ... and per client address
    login_window: float = 300.0
    gazetteer_dir: Path | None = None  # the user gazetteer /api/gazetteer writes (None: the user data folder)
    lock_timeout: float | None = None  # seconds a write waits for another writer (None: the store's default)
    cache_bytes: int = 64_000_000  # map and stats answers kept while the store is unchanged (0: none)

    def __post_init__(self) -> None:
        for name in ("session_ttl", "extract_time_budget", "login_window"):
            if not getattr(self, name) > 0:
                raise UsageError(f"{name} must be a positive number of seconds, not {getattr(self, name)}")
        for name in ("max_body", "extract_max_bytes", "extract_workers", "login_attempts",
                     "login_attempts_per_address"):
            if getattr(self, name) < 1:
                raise UsageError(f"{name} must be at least 1, not {getattr(self, name)}")
        tile_host(self.tile_url)

    @property
    def tile_origin(self) -> str:
        return tile_host(self.tile_url)


def tile_host(url: str) -> str:
    """The ``scheme://host[:port]`` of a tile URL template, as the CSP's img-src names it; an empty
    template means no tiles (the map draws the shipped outlines only)."""
    if not url:
        return ""
    parts = urlsplit(url)
    # a template host such as {s}.tile.example.org is any subdomain to the CSP
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    if (parts.scheme not in ("http", "https") or not re.fullmatch(r"[A-Za-z0-9*.-]+(:[0-9]+)?", host)
            or host.startswith(("*:", ".")) or "{" in host):
        raise UsageError(f"tile URL must be http(s)://host/...{{z}}/{{x}}/{{y}}..., not {url!r}")
    return f"{parts.scheme}://{host}"
