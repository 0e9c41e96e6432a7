"""``ahdath gazetteer import|add|lookup|unresolved``: grow and query the gazetteer.

``unresolved`` is the reviewer's to-do list (the place names the event store could not place),
``add`` the way to tick an item off it: the user layer it writes is read by every later run.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterator, TextIO

from ahdath.cli.common import add_db_option, open_store
from ahdath.errors import GazetteerError, UsageError
from ahdath.geo import Gazetteer
from ahdath.geo.importers import FORMATS, describe, import_file
from ahdath.geo.records import PlaceRecord
from ahdath.geo.store import default_store_dir
from ahdath.geo.user import ADD_KINDS, NewPlace, add_place, far_from_unit, make_record


def _import(args: argparse.Namespace) -> int:
    into = Path(args.into) if args.into else default_store_dir()
    target, n = import_file(Path(args.path), into, args.format)
    print(f"imported {n} places into {target}")
    return 0


# -- add ----------------------------------------------------------------------------------------

def _add(args: argparse.Namespace) -> int:
    into = Path(args.into) if args.into else default_store_dir()
    # the packaged layers only: the unit names to check against are there, and a broken user store
    # must not stop the command that can mend it
    gaz = Gazetteer.load(user_store=False)
    new = NewPlace(args.name, args.lat, args.lon, args.admin1, args.source, args.country, args.admin2,
                   args.admin3, args.kind, args.name_en, tuple(args.alias or ()))
    try:
        record = make_record(gaz, new)
    except GazetteerError as exc:  # wrong arguments: a usage error (exit 2), as argparse's own are
        raise UsageError(exc.message) from None
    target, replaced = add_place(record, into)
    print(f"{'replaced' if replaced else 'added'} {record.id} in {target}")
    unit = gaz.admin1(record.admin1 or "")
    km = far_from_unit(record, unit) if unit is not None else None
    if km is not None:
        print(f"ahdath: note: {record.latitude},{record.longitude} is {km:.0f} km from the {record.admin1} "
              "point; check --lat and --lon (swapped?)", file=sys.stderr)
    others = [r for r in gaz.lookup(args.name) if r.id != record.id]
    if others:
        where = "; ".join(sorted({f"{r.admin1 or '-'} ({r.source.split(':')[0]})" for r in others}))
        print(f"ahdath: note: the gazetteer also knows {len(others)} place(s) by this name: {where}; "
              "the report's context chooses between them", file=sys.stderr)
    if args.into and Path(args.into).resolve() != default_store_dir().resolve():
        print(f"ahdath: read it with --gazetteer {args.into}", file=sys.stderr)
    return 0


def _coordinate(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None


# -- lookup -------------------------------------------------------------------------------------

def _names(args: argparse.Namespace, stdin: TextIO) -> Iterator[str]:
    """The names asked for, ``-`` standing for one name per line of stdin."""
    for name in args.names:
        if name == "-":
            for line in stdin:
                if line.strip():
                    yield line.strip()
        else:
            yield name


def _human(r: PlaceRecord) -> str:
    admin = " / ".join(a for a in (r.admin1, r.admin2, r.admin3) if a) or "-"
    coords = f"{r.latitude:.4f},{r.longitude:.4f}" if r.latitude is not None and r.longitude is not None else "-"
    return f"{r.name_ar or '-'}\t{r.name_en or '-'}\t{r.country or '-'}\t{admin}\t{coords}\t{r.kind}\t{r.source}"


def _lookup(args: argparse.Namespace) -> int:
    extra = [Path(p) for p in args.store or ()]
    gaz = Gazetteer.load(extra)
    several = len(args.names) > 1 or "-" in args.names
    asked = any_found = 0
    for name in _names(args, sys.stdin):
        asked += 1
        found = gaz.lookup(name)
        any_found += bool(found)
        if args.json:
            print(json.dumps({"name": name, "found": [describe(r) for r in found]}, ensure_ascii=False))
            continue
        # one name prints as it always has; several name the query at the head of each line
        head = f"{name}\t" if several else ""
        for r in found:
            print(head + _human(r))
        if not found:
            print(f"no place named {name!r}")
    if not asked:
        raise UsageError("no names to look up (stdin was empty)")
    return 0 if any_found else 1


# -- unresolved ---------------------------------------------------------------------------------

def _open_existing(args: argparse.Namespace) -> Any:
    """The store, only if it exists: a read command must not leave an empty database behind a typo."""
    return open_store(args, access="read")


def _unresolved(args: argparse.Namespace) -> int:
    from ahdath.store import unresolved_places

    if args.limit < 0:
        raise UsageError(f"--limit must be 0 (all) or more, not {args.limit}")
    store = _open_existing(args)
    try:
        places = unresolved_places(store.engine, args.limit)
    finally:
        store.close()
    out = sys.stdout
    for p in places:
        if args.json:
            out.write(json.dumps({
                "name": p.name, "country": p.country, "admin1": p.admin1, "events": p.events, "reports": p.reports,
                "example": {"event_id": p.event_id, "article_id": p.article_id, "url": p.url, "source": p.source,
                            "evidence": p.evidence}}, ensure_ascii=False) + "\n")
            continue
        where = ", ".join(x for x in (p.admin1, p.country) if x) or "-"
        out.write(f"{p.events} event{'s' if p.events != 1 else ''}, {p.reports} report{'s' if p.reports != 1 else ''}"
                  f"\t{p.name}\t{where}\n")
        out.write(f"    e.g. {p.event_id}  {p.article_id or '-'}  {p.url or p.source or ''}".rstrip() + "\n")
        if p.evidence:
            out.write(f"    {p.evidence}\n")
    if not places:
        print("ahdath: no unresolved place names in the store", file=sys.stderr)
    return 0


# -- the parser ---------------------------------------------------------------------------------

def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gazetteer", help="grow the gazetteer, look names up, list the places not found")
    sub = p.add_subparsers(dest="gazetteer_command", metavar="SUBCOMMAND", parser_class=type(p))
    imp = sub.add_parser("import", help="import a GeoNames dump or an Open-Syria JSON file")
    imp.add_argument("path", help="allCountries.txt, SY.txt, a cities extract TSV, or governorates/districts/subdistricts.json")
    imp.add_argument("--format", choices=FORMATS, help="default: opensyria for .json, else geonames")
    imp.add_argument("--into", help="store folder (default: the user data folder)")
    imp.set_defaults(run=_import)

    add = sub.add_parser(
        "add", help="add one place by hand to the user layer (later runs read it)",
        description="Add a place (a village the gazetteer lacks) to the user layer. Adding the same name in the "
                    "same first-level unit again replaces it. Events already stored keep their old place until "
                    "`ahdath reextract`.")
    add.add_argument("name", metavar="NAME", help="the name as reports write it (Arabic)")
    add.add_argument("--lat", type=_coordinate, required=True, help="latitude, decimal degrees")
    add.add_argument("--lon", type=_coordinate, required=True, help="longitude, decimal degrees")
    add.add_argument("--admin1", required=True, help="first-level unit (governorate), any spelling: Hama, حماة, SY05")
    add.add_argument("--admin2", help="district")
    add.add_argument("--admin3", help="sub-district")
    add.add_argument("--country", default="Syria", help="country name or ISO2 code (default Syria)")
    add.add_argument("--kind", default="populated", metavar="KIND",
                     help=f"one of {', '.join(ADD_KINDS)} (default populated)")
    add.add_argument("--name-en", help="English name (the ACLED location column)")
    add.add_argument("--alias", action="append", metavar="NAME", help="another spelling (repeatable)")
    add.add_argument("--source", required=True, help="where the place comes from (a map, a report, who checked it)")
    add.add_argument("--into", metavar="DIR",
                     help="store folder (default: the user data folder, read by every run; a team folder is "
                          "read with --gazetteer DIR)")
    add.set_defaults(run=_add)

    look = sub.add_parser("lookup", help="print the places known by one or more names")
    look.add_argument("names", nargs="+", metavar="NAME", help="a place name; '-' reads one name per line from stdin")
    look.add_argument("--store", action="append", help="also read this store folder (repeatable)")
    look.add_argument("--json", action="store_true",
                      help='one JSON line per name: {"name": ..., "found": [candidates]}')
    look.set_defaults(run=_lookup)

    unr = sub.add_parser("unresolved", help="place names the event store could not place, most frequent first")
    unr.add_argument("-n", "--limit", type=int, default=50, metavar="N", help="at most N names (0: all; default 50)")
    unr.add_argument("--json", action="store_true", help="one JSON line per name, with an example report")
    add_db_option(unr)
    unr.set_defaults(run=_unresolved)
