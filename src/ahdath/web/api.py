"""The reading half of the JSON API: listings, one event in full, one report, extraction, who am I.

Endpoints are plain functions (FastAPI runs them in its thread pool), so a slow query never holds
the event loop; extraction runs in its own bounded pool (``extract``)."""
from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

import anyio
import orjson
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from sqlalchemy import select

from ahdath.errors import EventNotFoundError, UsageError
from ahdath.store.db import read_connection
from ahdath.store.schema import EVENT_FIELD_NAMES, events, mentions, reports
from ahdath.web.deps import AnyViewer, Ctx, Reader, csrf_for
from ahdath.web.schemas import ERRORS, ExtractBody, Filters, filters

router = APIRouter(prefix="/api", responses=ERRORS)  # type: ignore[arg-type]
FilterDep = Annotated[Filters, Depends(filters)]

# fields whose values the reports behind one event may disagree on, worth a reviewer's look
_COMPARED = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2",
             "admin1", "admin2", "location", "location_ar", "latitude", "longitude", "geo_precision", "fatalities",
             "civilian_targeting")
_RECORD_FIELDS = tuple(f for f in EVENT_FIELD_NAMES if f not in ("source", "source_url", "notes"))
# how far an event at a coarse precision may be from its point, drawn as a circle (ACLED: 2 is a
# district or "near" a town, 3 a governorate)
RADIUS_KM = {1: 0.0, 2: 15.0, 3: 50.0}
MAP_LIMIT = 200_000  # points in one map answer (as browse.map_points)


@router.get("/me", summary="who is logged in, and the CSRF token for their writes")
def me(ctx: Ctx, who: AnyViewer) -> dict[str, Any]:
    return {"user": who.name, "role": who.role, "csrf": csrf_for(ctx, who), "public_read": ctx.settings.public_read,
            "tile_url": ctx.settings.tile_url}


@router.get("/events", summary="canonical events, filtered, sorted and paged")
def list_events(ctx: Ctx, _who: Reader, flt: FilterDep,
                sort: Annotated[str, Query(pattern="^(event_date|fatalities|confidence|updated_at|event_id|risk)$")]
                = "event_date",
                order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
                page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                per_page: Annotated[int, Query(ge=1, le=500)] = 50) -> Response:
    from ahdath.store.browse import browse_events

    def make() -> bytes:
        result = browse_events(ctx.engine, flt.browse(sort=sort, descending=order == "desc",
                                                       offset=(page - 1) * per_page, limit=per_page))
        return _dumps({"total": result.total, "page": page, "per_page": per_page,
                       "events": [_clean(r) for r in result.rows]})

    return Response(_cached(ctx, ("events", flt, sort, order, page, per_page), make), media_type="application/json")


@router.get("/map", summary="every matching event as a compact map point")
def map_data(ctx: Ctx, _who: Reader, flt: FilterDep) -> Response:
    """``points``: ``[event_id, latitude, longitude, event_type, geo_precision, radius_km, label]``;
    a point at precision 2 or 3 is drawn as a circle of ``radius_km``, not as an exact pin."""
    return Response(map_bytes(ctx, flt), media_type="application/json")


@router.get("/stats", summary="counts per day and type, per type, per governorate")
def stats(ctx: Ctx, _who: Reader, flt: FilterDep) -> Response:
    return Response(stats_bytes(ctx, flt), media_type="application/json")


def map_bytes(ctx: Any, flt: Filters) -> bytes:
    """The map's points, the filter's rows chosen by ``store.browse``'s own conditions. Read
    through the driver's cursor into plain tuples that orjson writes as they are: the same answer
    through ``browse.map_points`` and a Python loop cost three times as long (100,000 points)."""
    from sqlalchemy import Float, case, cast, func, literal

    from ahdath.store.browse import conditions

    def make() -> bytes:
        precision = func.coalesce(events.c.geo_precision, 1)
        radius = cast(case(*((precision == p, r) for p, r in RADIUS_KM.items()), else_=50.0), Float)
        label = (func.coalesce(events.c.location, events.c.location_ar, "") + literal(" (")
                 + func.coalesce(events.c.event_date, "undated") + literal(")"))
        stmt = (select(events.c.event_id, events.c.latitude, events.c.longitude, events.c.event_type, precision,
                       radius, label)
                .where(*conditions(flt.browse(limit=1)), events.c.latitude.is_not(None),
                       events.c.longitude.is_not(None))
                .order_by(events.c.id).limit(MAP_LIMIT))
        return _dumps({"points": _raw_rows(ctx.engine, stmt)})

    return _cached(ctx, ("map", flt), make)


def _raw_rows(engine: Any, stmt: Any) -> list[tuple[Any, ...]]:
    """The statement's rows as the driver gives them (plain tuples), without a ``Row`` each; the
    statement goes through SQLAlchemy, so its parameters are processed as usual (JSON paths)."""
    with read_connection(engine) as conn:
        result = conn.execute(stmt)
        try:
            return list(result.cursor.fetchall())
        finally:
            result.close()


def stats_bytes(ctx: Any, flt: Filters) -> bytes:
    from ahdath.store.browse import stats as store_stats

    def make() -> bytes:
        s = store_stats(ctx.engine, flt.browse(limit=1))
        return _dumps({"total": s.total, "per_day": [{"date": d, "event_type": t, "n": n} for d, t, n in s.per_day],
                       "per_type": dict(s.per_type), "per_admin1": dict(s.per_admin1)})

    return _cached(ctx, ("stats", flt), make)


def _cached(ctx: Any, key: tuple[Any, ...], make: Any) -> bytes:
    from ahdath.web.cache import data_version

    return bytes(ctx.cache.get_or_make((*key, data_version(ctx.engine)), make))


def prefill(ctx: Any) -> None:
    """The overview's unfiltered map and stats, made when the server starts (in a thread): the first
    analyst to open the page finds them ready."""
    try:
        for make in (map_bytes, stats_bytes):
            make(ctx, Filters())
        list_events(ctx, None, Filters())  # type: ignore[arg-type]  (the overview's first page)
    except Exception:  # noqa: BLE001 - only a head start: the request will make it (and say what fails)
        return


@router.get("/queue", summary="events to review, riskiest first")
def queue(ctx: Ctx, _who: Reader, flt: FilterDep,
          limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Response:
    from ahdath.store.workflow import review_queue

    def make() -> bytes:
        items = review_queue(ctx.engine, flt.browse(limit=limit), limit)
        return _dumps({"items": [{"event_id": i.event_id, "risk": i.risk, "reasons": list(i.reasons)}
                                 for i in items]})

    return Response(_cached(ctx, ("queue", flt, limit), make), media_type="application/json")


@router.get("/suggestions", summary="pairs of events that may be one incident")
def suggestions(ctx: Ctx, _who: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Response:
    from ahdath.store.suggest import suggestions as store_suggestions

    def make() -> bytes:
        return _dumps({"suggestions": [{"a": s.event_a, "b": s.event_b, "score": s.score, "rule": s.rule,
                                        "reasons": list(s.reasons)}
                                       for s in store_suggestions(ctx.engine, limit=limit)]})

    return Response(_cached(ctx, ("suggestions", limit), make), media_type="application/json")


@router.get("/events/{event_id}", summary="one event: its reports, their values and evidence, its history")
def event(ctx: Ctx, _who: Reader, event_id: str) -> Response:
    return json_response(event_json(ctx.engine, event_id))


@router.get("/reports/{report_id}", summary="one report: its text and the events it gave")
def report(ctx: Ctx, _who: Reader, report_id: str) -> dict[str, Any]:
    with read_connection(ctx.engine) as conn:
        row = conn.execute(select(reports).where(reports.c.article_id == report_id)
                           .order_by(reports.c.id).limit(1)).mappings().first()
        if row is None:
            raise HTTPException(404, {"code": "not_found", "message": f"no report {report_id!r}"})
        told = conn.execute(select(mentions.c.record, mentions.c.merge_reason, events.c.event_id, events.c.deleted)
                            .join(events, events.c.id == mentions.c.event_id)
                            .where(mentions.c.report_id == row["id"]).order_by(mentions.c.id)).mappings().all()
    return {"report_id": row["article_id"], "title": row["title"], "source": row["source"], "url": row["url"],
            "published": row["published"], "text": row["text"], "extracted_at": row["extracted_at"],
            "extractor_version": row["extractor_version"],
            "events": [{"event_id": m["event_id"], "deleted": bool(m["deleted"]), "merge_reason": m["merge_reason"],
                        "values": _values(_record(m["record"])), "evidence": _evidence(_record(m["record"]))}
                       for m in told]}


@router.post("/extract", summary="events in a text, nothing stored")
async def extract(ctx: Ctx, _who: Reader, body: ExtractBody) -> dict[str, Any]:
    """Runs in a pool of ``extract_workers`` threads so that a long text does not hold the loop; the
    size and time limits are the pipeline's (E104, E107). Past a short queue it answers 503."""
    settings = ctx.settings
    if len(body.text) > settings.extract_max_bytes or len(body.text.encode("utf-8", "surrogatepass")) > \
            settings.extract_max_bytes:
        raise HTTPException(413, {"code": "E104", "message": f"text over the limit of {settings.extract_max_bytes} "
                                                             "bytes"})
    if body.country is not None:
        from ahdath.extract.record import load_countries

        known = load_countries()[0]
        if body.country not in known:
            raise HTTPException(422, {"code": "invalid", "message": f"unknown country {body.country!r} "
                                                                    f"(known: {', '.join(sorted(known))})"})
    if ctx.extract_waiting >= 4 * settings.extract_workers:
        raise HTTPException(503, {"code": "busy", "message": "too many extractions waiting; try again"},
                            headers={"retry-after": "5"})
    ctx.extract_waiting += 1
    try:
        limiter = ctx.extract_limiter()
        found = await anyio.to_thread.run_sync(_extract, ctx, body, limiter=limiter)
    finally:
        ctx.extract_waiting -= 1
    return {"events": found}


def _extract(ctx: Any, body: ExtractBody) -> list[dict[str, Any]]:
    from ahdath.frozen import evolve
    from ahdath.ingest import read_text

    article = read_text(body.text, article_id="text")
    if body.published is not None:
        article = evolve(article, published=body.published)
    pipeline = ctx.pipeline(body.country)
    return [_finite(e.to_dict()) for e in pipeline.extract_article(article)]


def json_response(payload: Any) -> Response:
    """JSON by orjson, straight: FastAPI's own path walks every value through ``jsonable_encoder``
    first, which for the map's 100,000 points costs over a second. NaN and infinity become null."""
    return Response(_dumps(payload), media_type="application/json")


def _dumps(payload: Any) -> bytes:
    return orjson.dumps(payload, default=str, option=orjson.OPT_NON_STR_KEYS)


# -- one event ------------------------------------------------------------------------------------

def event_json(engine: Any, event_id: str) -> dict[str, Any]:
    """The event page's data: the canonical row, every report behind it with its own values and
    evidence spans, the fields they disagree on, why they merged, and the history."""
    from ahdath.store.queries import event_detail

    if len(event_id) > 64:
        raise EventNotFoundError(f"no event {event_id[:64]!r}...")
    detail = event_detail(engine, event_id)
    with read_connection(engine) as conn:
        row = conn.execute(select(events.c.id).where(events.c.event_id == event_id)).first()
        texts = {r.id: r for r in conn.execute(
            select(reports.c.id, reports.c.article_id, reports.c.title, reports.c.text)
            .join(mentions, mentions.c.report_id == reports.c.id)
            .where(mentions.c.event_id == row.id).order_by(mentions.c.id))} if row else {}
    by_article: dict[str, Any] = {}
    for r in texts.values():
        by_article.setdefault(r.article_id, r)
    out_reports = []
    for view in detail.reports:
        record = _record(view.record)
        found = by_article.get(view.article_id)
        out_reports.append({"report_id": view.article_id, "title": found.title if found else None,
                            "source": view.source, "url": view.url, "published": view.published,
                            "text": found.text if found else None, "values": _values(record),
                            "evidence": _evidence(record), "merge_reason": view.merge_reason})
    event_row = _clean(detail.event) if detail.event is not None else None
    status = (detail.event or {}).get("status") or ("deleted" if detail.event is None else "machine")
    return {"event_id": detail.event_id, "event": event_row, "status": status,
            "pinned": sorted((detail.event or {}).get("pinned") or {}), "reports": out_reports,
            "disagreements": disagreements(out_reports),
            "merge_reasons": [{"report_id": r["report_id"], "reason": r["merge_reason"]}
                              for r in out_reports if r["merge_reason"]],
            "history": [{"at": c.get("at"), "user": c.get("actor"), "action": c.get("action"),
                         "detail": c.get("detail"), "before": c.get("before"), "after": c.get("after")}
                        for c in detail.changes],
            "tombstone": detail.tombstone}


def disagreements(reports_out: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Per field, the distinct values the reports gave, where they gave more than one (in report order)."""
    out: dict[str, list[Any]] = {}
    for name in _COMPARED:
        seen: list[Any] = []
        for r in reports_out:
            value = r["values"].get(name)
            if value not in (None, "") and value not in seen:
                seen.append(value)
        if len(seen) > 1:
            out[name] = seen
    return out


def _record(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, (str, bytes)):
        import orjson

        try:
            value = orjson.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def _values(record: dict[str, Any]) -> dict[str, Any]:
    return _finite({k: record.get(k) for k in _RECORD_FIELDS if k in record})


def _evidence(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The spans behind a report's values: the clause (``field`` "event"), then one per role
    (trigger, actor1, location, fatalities ...), offsets into the report's text as stored."""
    ev = record.get("evidence")
    if not isinstance(ev, dict):
        return []
    out = []
    if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
        out.append({"field": "event", "start": ev["start"], "end": ev["end"], "text": ev.get("text")})
    for role, spans in sorted((ev.get("spans") or {}).items()):
        for s in spans or ():
            if isinstance(s, dict) and isinstance(s.get("start"), int):
                out.append({"field": role, "start": s["start"], "end": s.get("end"), "text": s.get("text")})
    return out


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON can carry it: internal keys out, no NaN or infinity."""
    return _finite({k: v for k, v in row.items() if k not in ("id", "pinned", "deleted")})


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


__all__ = ["UsageError", "disagreements", "event_json", "router"]
