"""The writing half: login and logout, the review actions, and adding a place to the gazetteer.

Every write names its user as the change's ``actor`` (the history shows who did what), runs under
the app's write lock (one writing thread per process; the store serialises processes) and answers
with the event as it now is."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Text, cast, select

from ahdath.errors import GazetteerError, UsageError
from ahdath.store.db import read_connection
from ahdath.store.schema import events, mentions, reports
from ahdath.web.api import event_json
from ahdath.web.auth import (
    CLIENT_COOKIE,
    SESSION_COOKIE,
    client_address,
    csrf_ok,
    csrf_token,
    sign_session,
)
from ahdath.web.deps import Admin, AnyViewer, Ctx, Editor
from ahdath.web.schemas import ERRORS, Dismiss, Edit, Merge, NewPlaceBody, Note, Split

router = APIRouter(responses=ERRORS)  # type: ignore[arg-type]


def _write(ctx: Any, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        with ctx.write_lock:
            return action(ctx.store, *args, **kwargs)
    finally:
        ctx.warm()  # the overview's answers, for the store as it now is


# -- sessions --------------------------------------------------------------------------------------

def _safe_next(target: str) -> str:
    """Only a path on this site: ``//evil.example`` or ``https://...`` would make the login an open
    redirect."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


@router.post("/login", summary="log in (form: name, password, csrf); sets the session cookie")
def login(request: Request, ctx: Ctx, who: AnyViewer, name: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1024)], csrf: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    from ahdath.store.users import authenticate

    html = _wants_html(request)
    if not csrf_ok(ctx.secret, who.client, who.session, csrf):
        raise HTTPException(403, {"code": "csrf", "message": "missing or wrong csrf field (GET /api/me gives it)"})
    address = client_address(request.scope)
    if "\x00" in name or "\x00" in password or not name.isprintable():
        name = "\ufffd"  # no account is called that; the attempt still counts against the address
    wait = ctx.limiter.retry_after(name, address)
    if wait > 0:
        if html:
            return RedirectResponse("/login?error=rate_limited", status_code=303)
        raise HTTPException(429, {"code": "rate_limited", "message": f"too many failed logins; try again in "
                                                                     f"{math.ceil(wait)} s"},
                            headers={"retry-after": str(math.ceil(wait))})
    user = authenticate(ctx.engine, name, password)
    if user is None or getattr(user, "disabled", False):
        ctx.limiter.failed(name, address)
        if html:
            return RedirectResponse("/login?error=bad_login", status_code=303)
        raise HTTPException(401, {"code": "bad_login", "message": "wrong name or password"})
    ctx.limiter.succeeded(name)
    cookie, session = sign_session(ctx.secret, user.name, ctx.settings.session_ttl)
    response: Response
    if html:
        response = RedirectResponse(_safe_next(next), status_code=303)
    else:
        response = JSONResponse({"user": user.name, "role": user.role,
                                 "csrf": csrf_token(ctx.secret, who.client, session)})
    response.set_cookie(SESSION_COOKIE, cookie, max_age=int(ctx.settings.session_ttl), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout", summary="end the session (needs the CSRF token: header or form field)")
async def logout(request: Request, ctx: Ctx, who: AnyViewer) -> Response:
    if who.session is not None:
        given = request.headers.get("x-csrf-token")
        if given is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            given = str((await request.form()).get("csrf") or "")
        if not csrf_ok(ctx.secret, who.client, who.session, given):
            raise HTTPException(403, {"code": "csrf", "message": "missing or wrong CSRF token"})
    response: Response = RedirectResponse("/", status_code=303) if _wants_html(request) else \
        JSONResponse({"user": None})
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


# -- review actions ----------------------------------------------------------------------------------

@router.post("/api/events/{event_id}/accept", summary="mark reviewed: the values are right")
def accept(ctx: Ctx, who: Editor, event_id: str, body: Note | None = None) -> dict[str, Any]:
    from ahdath.store.workflow import accept as store_accept

    _write(ctx, store_accept, event_id, actor=who.name, note=body.note if body else None)
    return event_json(ctx.engine, event_id)


@router.post("/api/events/{event_id}/final", summary="mark final: reviewed and settled")
def final(ctx: Ctx, who: Editor, event_id: str, body: Note | None = None) -> dict[str, Any]:
    from ahdath.store.workflow import finalize

    _write(ctx, finalize, event_id, actor=who.name, note=body.note if body else None)
    return event_json(ctx.engine, event_id)


@router.post("/api/events/{event_id}/flag", summary="flag for a second look, with a note")
def flag(ctx: Ctx, who: Editor, event_id: str, body: Note | None = None) -> dict[str, Any]:
    from ahdath.store.workflow import flag as store_flag

    _write(ctx, store_flag, event_id, (body.note if body else None) or "", actor=who.name)
    return event_json(ctx.engine, event_id)


@router.post("/api/events/{event_id}/reject", summary="delete the event, saying why (note)")
def reject(ctx: Ctx, who: Editor, event_id: str, body: Note | None = None) -> dict[str, Any]:
    from ahdath.store.workflow import reject as store_reject

    reason = (body.note if body else None) or ""
    if not reason.strip():
        raise HTTPException(422, {"code": "invalid", "message": "say why the event is rejected (note)"})
    _write(ctx, store_reject, event_id, reason, actor=who.name)
    return event_json(ctx.engine, event_id)


@router.patch("/api/events/{event_id}", summary="correct fields (pinned, as `ahdath edit`); unset unpins")
def edit(ctx: Ctx, who: Editor, event_id: str, body: Edit) -> dict[str, Any]:
    from ahdath.store.review import edit_event

    # the values are checked by edit_event (ACLED types, ranges, the columns' integers), as for the CLI
    if not body.values and not body.unset:
        raise HTTPException(422, {"code": "invalid", "message": "nothing to change: give values or unset"})
    _write(ctx, edit_event, event_id, body.values, unpin=tuple(dict.fromkeys(body.unset)), actor=who.name,
           note=body.note)
    return event_json(ctx.engine, event_id)


@router.post("/api/merge", summary="fold `other` into `keep`")
def merge(ctx: Ctx, who: Editor, body: Merge) -> dict[str, Any]:
    from ahdath.store.review import merge_events

    _write(ctx, merge_events, body.keep, body.other, actor=who.name, reason=body.note)
    return event_json(ctx.engine, body.keep)


@router.post("/api/events/{event_id}/split", summary="move reports out into a new event")
def split(ctx: Ctx, who: Editor, event_id: str, body: Split) -> dict[str, Any]:
    from ahdath.store.review import split_event

    new_id = _write(ctx, split_event, event_id, body.report_ids, actor=who.name, reason=body.note)
    return {"event_id": event_id, "new_event_id": new_id, "event": event_json(ctx.engine, event_id)}


@router.post("/api/suggestions/dismiss", summary="these two are different incidents: stop suggesting them")
def dismiss(ctx: Ctx, who: Editor, body: Dismiss) -> dict[str, Any]:
    from ahdath.store.suggest import dismiss as store_dismiss

    if body.a == body.b:
        raise HTTPException(422, {"code": "invalid", "message": "a and b are the same event"})
    _write(ctx, store_dismiss, body.a, body.b, actor=who.name)
    return {"dismissed": sorted([body.a, body.b])}


# -- the gazetteer ---------------------------------------------------------------------------------

@router.post("/api/gazetteer", summary="add a place to the user gazetteer and re-extract the reports naming it")
def add_place_route(ctx: Ctx, who: Admin, body: NewPlaceBody) -> dict[str, Any]:
    """Admins only: the user gazetteer is shared by every later extraction, so a wrong point would
    move events in every report naming the place. Re-extracts only the reports whose records left
    the name unresolved."""
    from ahdath import __version__
    from ahdath.geo import Gazetteer
    from ahdath.geo.user import NewPlace, add_place, make_record

    gaz = Gazetteer.load(user_store=False)
    try:
        record = make_record(gaz, NewPlace(body.name, body.latitude, body.longitude, body.admin1, body.source,
                                           body.country, body.admin2, body.admin3, name_en=body.name_en))
    except GazetteerError as exc:
        raise UsageError(exc.message) from None
    with ctx.write_lock:
        target, replaced = add_place(record, ctx.gazetteer_dir)
    pipeline = ctx.reload_pipeline()
    naming = reports_naming(ctx.engine, body.name)
    with ctx.write_lock:
        # re-extraction logs its changes as the store's actor: the admin's name for this one (the lock
        # keeps every other writer of this process out meanwhile; readers never look at it)
        kept, ctx.store.actor = ctx.store.actor, str(who.name)
        try:
            outcomes = ctx.store.reextract(pipeline.extract_article, version=__version__, only=naming) \
                if naming else []
        finally:
            ctx.store.actor = kept
    changed = sorted({e for o in outcomes for e in o.event_ids})
    return {"place": record.id, "replaced": replaced, "file": target.name, "reports": len(naming),
            "events": changed}


def reports_naming(engine: Any, name: str) -> list[int]:
    """The stored reports with an event whose place ``name`` no gazetteer knew (any spelling with
    the same gazetteer key), as ``queries.unresolved_places`` groups them."""
    from ahdath.geo.records import name_key
    from ahdath.store.queries import UNRESOLVED_TAG

    want = name_key(name) or name
    found: set[int] = set()
    q = (select(mentions.c.report_id, mentions.c.record).join(events, events.c.id == mentions.c.event_id)
         .join(reports, reports.c.id == mentions.c.report_id)
         .where(cast(mentions.c.record, Text).like(f"%{UNRESOLVED_TAG}%")))
    with read_connection(engine) as conn:
        for m in conn.execute(q):
            rec = m.record if isinstance(m.record, dict) else {}
            spelled = rec.get("location_ar") or rec.get("location")
            if spelled and UNRESOLVED_TAG in str(rec.get("tags") or "").split(";") and \
                    (name_key(spelled) or spelled) == want:
                found.add(int(m.report_id))
    return sorted(found)


__all__ = ["CLIENT_COOKIE", "router"]
