"""The shapes the API reads: one filter for every listing (events, map, stats, export, queue), and
the request bodies, each bounded so that no input makes the server work without end."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import HTTPException, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

STATUSES = ("machine", "reviewed", "final", "machine_updated", "flagged")
TAGS = ("unresolved_place", "precision3", "one_source", "low_confidence", "disagreement", "machine_updated")
SORTS = ("event_date", "fatalities", "confidence", "updated_at", "event_id", "risk")
MAX_PAGE_SIZE = 500



def storable(value: str) -> str:
    """Text a database can keep: PostgreSQL refuses NUL characters and neither backend can encode a
    lone surrogate (JSON's "\\ud800"); refused here as a 422 rather than failing in the driver."""
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (a lone surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(storable)]
Name = Annotated[Text, Field(min_length=1, max_length=200)]
EventId = Annotated[Text, Field(min_length=1, max_length=32)]
Note_ = Annotated[Text | None, Field(max_length=2000)]
FieldName = Annotated[Text, Field(max_length=64)]


@dataclass(frozen=True, slots=True)
class Filters:
    """The query parameters every listing shares, checked (a bad value is a 422, not a 500)."""

    since: str | None = None
    until: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    country: str | None = None
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    status: str | None = None
    conf_min: float | None = None
    conf_max: float | None = None
    tag: str | None = None
    text: str | None = None

    def browse(self, *, sort: str = "event_date", descending: bool = True, offset: int = 0,
               limit: int = 50) -> Any:
        from ahdath.store.browse import Browse

        return Browse(since=self.since, until=self.until, event_type=self.event_type,
                      sub_event_type=self.sub_event_type, actor=self.actor, country=self.country,
                      admin1=self.admin1, bbox=self.bbox, status=self.status, conf_min=self.conf_min,
                      conf_max=self.conf_max, tag=self.tag, text=self.text, sort=sort, descending=descending,
                      offset=offset, limit=limit)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if getattr(self, k) is not None}


def _invalid(message: str) -> HTTPException:
    return HTTPException(422, {"code": "invalid", "message": message})


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def filters(
    since: Annotated[dt.date | None, Query(description="events on or after (YYYY-MM-DD)")] = None,
    until: Annotated[dt.date | None, Query(description="events on or before (YYYY-MM-DD)")] = None,
    type: Annotated[str | None, Query(max_length=100, description="event type")] = None,
    sub_type: Annotated[str | None, Query(max_length=100, description="sub-event type")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="part of an actor's name")] = None,
    country: Annotated[str | None, Query(max_length=100)] = None,
    admin1: Annotated[str | None, Query(max_length=100, description="governorate, ACLED or Arabic name")] = None,
    bbox: Annotated[str | None, Query(max_length=200, description="west,south,east,north in degrees")] = None,
    status: Annotated[Literal["machine", "reviewed", "final", "machine_updated", "flagged"] | None, Query()] = None,
    conf_min: Annotated[float | None, Query(ge=0, le=1)] = None,
    conf_max: Annotated[float | None, Query(ge=0, le=1)] = None,
    tag: Annotated[Literal["unresolved_place", "precision3", "one_source", "low_confidence", "disagreement",
                           "machine_updated"] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200, description="free text, Arabic or English")] = None,
) -> Filters:
    if since and until and since > until:
        raise _invalid("since is after until")
    if conf_min is not None and conf_max is not None and conf_min > conf_max:
        raise _invalid("conf_min is over conf_max")
    return Filters(since.isoformat() if since else None, until.isoformat() if until else None, _text(type),
                   _text(sub_type), _text(actor), _text(country), _text(admin1), parse_bbox(bbox), status, conf_min,
                   conf_max, tag, _text(q))


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise _invalid(f"bbox must be west,south,east,north in degrees, not {value!r}") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise _invalid(f"bbox out of range (west,south,east,north; -180..180, -90..90, south <= north): {value!r}")
    return west, south, east, north


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Note(_Body):
    note: Note_ = None


class Edit(_Body):
    values: dict[FieldName, Annotated[Text, Field(max_length=2000)] | int | float | None] = Field(
        default_factory=dict, max_length=64)
    unset: list[FieldName] = Field(default_factory=list, max_length=64)
    note: Note_ = None


class Merge(_Body):
    keep: EventId
    other: EventId
    note: Note_ = None


class Split(_Body):
    report_ids: list[Annotated[Text, Field(min_length=1, max_length=255)]] = Field(min_length=1, max_length=500)
    note: Note_ = None


class Dismiss(_Body):
    a: EventId
    b: EventId


class NewPlaceBody(_Body):
    name: Name
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    admin1: Annotated[Text, Field(min_length=1, max_length=100)]
    admin2: Annotated[Text | None, Field(max_length=100)] = None
    admin3: Annotated[Text | None, Field(max_length=100)] = None
    country: Annotated[Text, Field(min_length=1, max_length=100)] = "Syria"
    source: Annotated[Text, Field(min_length=1, max_length=500)]
    name_en: Annotated[Text | None, Field(max_length=200)] = None


class ExtractBody(_Body):
    text: Annotated[Text, Field(min_length=1)]
    published: dt.date | None = None
    country: Annotated[Text | None, Field(max_length=100)] = None


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": what} for status, what in (
        (400, "bad request"), (401, "login or token needed"), (403, "not allowed (role, CSRF)"),
        (404, "no such event or report"), (413, "body too large"), (422, "invalid parameters"),
        (429, "too many attempts"), (503, "store busy or unavailable"))}
