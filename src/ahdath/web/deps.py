"""FastAPI dependencies: the app's context, and who the request is from (``viewer``), with the
checks each kind of endpoint needs (``reader``, ``editor``, ``admin``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from ahdath.web.auth import (
    CSRF_HEADER,
    EDIT_ROLES,
    SESSION_COOKIE,
    Session,
    bearer,
    csrf_ok,
    csrf_token,
    read_session,
)
from ahdath.web.context import WebContext


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who a request is from: ``user`` None for an anonymous reader. ``session`` is set for a
    browser login (its writes need the CSRF token), None for a token or nobody."""

    user: Any
    session: Session | None
    client: str
    expired: bool = False  # a session cookie that was ours but has run out

    @property
    def name(self) -> str | None:
        return None if self.user is None else str(self.user.name)

    @property
    def role(self) -> str | None:
        return None if self.user is None else str(self.user.role)


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def _refuse(status: int, code: str, message: str) -> HTTPException:
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return HTTPException(status, {"code": code, "message": message}, headers=headers)


def find_user(ctx: WebContext, name: str) -> Any:
    """The user called ``name`` if it exists and is not disabled (looked up on every request, so a
    disabled user is out at once, whatever cookie it holds)."""
    from sqlalchemy import select

    from ahdath.store.db import read_connection
    from ahdath.store.schema import users
    from ahdath.store.users import User

    with read_connection(ctx.engine) as conn:
        row = conn.execute(select(users.c.name, users.c.role, users.c.disabled).where(users.c.name == name)).first()
    return User(row.name, row.role) if row is not None and not row.disabled else None


def viewer(request: Request, ctx: Annotated[WebContext, Depends(context)]) -> Viewer:
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    client = str(getattr(request.state, "client_id", ""))
    token = bearer(request.headers.get("authorization"))
    if token is not None:
        from ahdath.store.users import user_for_token

        user = user_for_token(ctx.engine, token) if token and len(token) <= 512 else None
        if user is None:
            raise _refuse(401, "bad_token", "the API token is not valid (ahdath user token NAME gives one)")
        found = Viewer(user, None, client)
    else:
        found = Viewer(None, None, client)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            session = read_session(ctx.secret, cookie)
            if session is False:
                found = Viewer(None, None, client, expired=True)
            elif session is not None:
                user = find_user(ctx, session.name)
                if user is not None:
                    found = Viewer(user, session, client)
    request.state.viewer = found
    return found


def reader(ctx: Annotated[WebContext, Depends(context)], who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    if who.user is None and not ctx.settings.public_read:
        raise _refuse(401, "session_expired" if who.expired else "login_required",
                      "log in to read this store" + (" (your session expired)" if who.expired else ""))
    return who


def editor(request: Request, ctx: Annotated[WebContext, Depends(context)],
           who: Annotated[Viewer, Depends(viewer)]) -> Viewer:
    if who.user is None:
        if who.expired:
            raise _refuse(401, "session_expired", "your session expired: log in again")
        raise _refuse(401, "login_required", "log in (or send an API token) to change events")
    if who.role not in EDIT_ROLES:
        raise _refuse(403, "forbidden", f"a {who.role} may not change events")
    if who.session is not None and not csrf_ok(ctx.secret, who.client, who.session,
                                               request.headers.get(CSRF_HEADER)):
        raise _refuse(403, "csrf", "missing or wrong X-CSRF-Token header (GET /api/me gives it)")
    return who


def admin(who: Annotated[Viewer, Depends(editor)]) -> Viewer:
    if who.role != "admin":
        raise _refuse(403, "forbidden", "only an admin may add places to the gazetteer")
    return who


def csrf_for(ctx: WebContext, who: Viewer) -> str:
    return csrf_token(ctx.secret, who.client, who.session)


Ctx = Annotated[WebContext, Depends(context)]
Reader = Annotated[Viewer, Depends(reader)]
Editor = Annotated[Viewer, Depends(editor)]
Admin = Annotated[Viewer, Depends(admin)]
AnyViewer = Annotated[Viewer, Depends(viewer)]
