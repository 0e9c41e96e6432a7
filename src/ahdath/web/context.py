"""What the app keeps for its lifetime: the open store, the settings, the login limiter, the write
lock and the extraction pipeline (built on first use). One per app instance, never module state."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ahdath.web.auth import LoginLimiter
from ahdath.web.settings import WebSettings


class WebContext:
    def __init__(self, settings: WebSettings, store: Any) -> None:
        self.settings = settings
        self.store = store
        self.limiter = LoginLimiter(settings.login_attempts, settings.login_attempts_per_address,
                                    settings.login_window)
        # the store serialises writers across processes; within this one, a lock also keeps the
        # store's in-process caches to one writing thread at a time
        self.write_lock = threading.Lock()
        self._pipeline: Any = None
        self._by_country: dict[str, Any] = {}  # the pipeline with another default country (few: countries.yaml)
        self._pipeline_lock = threading.Lock()
        self._secret: bytes | None = None
        self._extract_limiter: Any = None
        self._warming = threading.Lock()
        from ahdath.web.cache import ResponseCache

        self.cache = ResponseCache(settings.cache_bytes)
        self.extract_waiting = 0  # extractions admitted and not yet finished (bounded in api.extract)

    def warm(self) -> None:
        """Make the unfiltered overview's answers again in a thread (after a write moved the data
        version), unless a warm-up is already running; the next overview then finds them made."""
        if self.settings.cache_bytes <= 0 or not self._warming.acquire(blocking=False):
            return

        def run() -> None:
            from ahdath.web.api import prefill

            try:
                prefill(self)
            finally:
                self._warming.release()

        threading.Thread(target=run, name="ahdath-warm", daemon=True).start()

    def settle(self, timeout: float = 60.0) -> None:
        """Wait for a warm-up in flight (at shutdown: its connection must be back before the store
        closes)."""
        if self._warming.acquire(timeout=timeout):
            self._warming.release()

    def extract_limiter(self) -> Any:
        """The extraction pool's limiter, made on first use (inside the running event loop)."""
        if self._extract_limiter is None:
            import anyio

            self._extract_limiter = anyio.CapacityLimiter(self.settings.extract_workers)
        return self._extract_limiter

    @property
    def engine(self) -> Any:
        return self.store.engine

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            from ahdath.store.users import server_secret

            with self.write_lock:
                self._secret = bytes(server_secret(self.store))
        return self._secret

    @property
    def gazetteer_dir(self) -> Path:
        from ahdath.geo.store import default_store_dir

        return self.settings.gazetteer_dir or default_store_dir()

    def pipeline(self, country: str | None = None) -> Any:
        """The extraction pipeline, loaded once (a few seconds) and shared by the worker threads:
        extraction is pure once loaded. ``country``: the default country of reports that name none
        (a name from countries.yaml), read with the same lexicons and gazetteer."""
        with self._pipeline_lock:
            if self._pipeline is None:
                self._pipeline = self._load_pipeline()
            base = self._pipeline
            if country is None or country == base.options.default_country:
                return base
            if country not in self._by_country:
                from ahdath.frozen import evolve
                from ahdath.pipeline import Pipeline

                self._by_country[country] = Pipeline(evolve(base.options, default_country=country),
                                                     base.lexicons, base.gazetteer)
            return self._by_country[country]

    def reload_pipeline(self) -> Any:
        """A pipeline that reads the user gazetteer as it is now (after ``/api/gazetteer``)."""
        fresh = self._load_pipeline()
        with self._pipeline_lock:
            self._pipeline = fresh
            self._by_country.clear()
        return fresh

    def _load_pipeline(self) -> Any:
        from ahdath.pipeline import Options, Pipeline

        folder = self.settings.gazetteer_dir
        # the folder appears with the first place added (``/api/gazetteer``), which reloads the pipeline
        extra = (folder,) if folder is not None and folder.is_dir() else ()
        return Pipeline.from_options(Options(gazetteer_paths=extra,
                                             max_report_bytes=self.settings.extract_max_bytes,
                                             time_budget=self.settings.extract_time_budget))
