"""``ahdath serve``: review the event store in the browser, and its JSON API.

``create_app(WebSettings(...))`` gives the ASGI app (FastAPI); ``ahdath.cli.serve`` runs it under
uvicorn. Needs the ``web`` extra (``pip install 'ahdath[web]'``)."""
from __future__ import annotations

from ahdath.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]


def __getattr__(name: str):  # keep ``import ahdath.web`` light: FastAPI loads with the app
    if name == "create_app":
        from ahdath.web.app import create_app

        return create_app
    raise AttributeError(name)
