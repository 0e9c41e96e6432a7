"""``ahdath gazetteer import|lookup``: grow and query the gazetteer."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ahdath.geo import Gazetteer
from ahdath.geo.importers import FORMATS, describe, import_file
from ahdath.geo.store import default_store_dir


def _import(args: argparse.Namespace) -> int:
    into = Path(args.into) if args.into else default_store_dir()
    target, n = import_file(Path(args.path), into, args.format)
    print(f"imported {n} places into {target}")
    return 0


def _lookup(args: argparse.Namespace) -> int:
    extra = [Path(p) for p in args.store or ()]
    gaz = Gazetteer.load(extra)
    found = gaz.lookup(args.name)
    for r in found:
        if args.json:
            print(json.dumps(describe(r), ensure_ascii=False))
            continue
        admin = " / ".join(a for a in (r.admin1, r.admin2, r.admin3) if a) or "-"
        coords = f"{r.latitude:.4f},{r.longitude:.4f}" if r.latitude is not None and r.longitude is not None else "-"
        print(f"{r.name_ar or '-'}\t{r.name_en or '-'}\t{r.country or '-'}\t{admin}\t{coords}\t{r.kind}\t{r.source}")
    if not found:
        print(f"no place named {args.name!r}")
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gazetteer", help="import places into the gazetteer, look names up")
    sub = p.add_subparsers(dest="gazetteer_command", metavar="SUBCOMMAND", parser_class=type(p))
    imp = sub.add_parser("import", help="import a GeoNames dump or an Open-Syria JSON file")
    imp.add_argument("path", help="allCountries.txt, SY.txt, a cities extract TSV, or governorates/districts/subdistricts.json")
    imp.add_argument("--format", choices=FORMATS, help="default: opensyria for .json, else geonames")
    imp.add_argument("--into", help="store folder (default: the user data folder)")
    imp.set_defaults(run=_import)
    look = sub.add_parser("lookup", help="print the places known by a name")
    look.add_argument("name")
    look.add_argument("--store", action="append", help="also read this store folder (repeatable)")
    look.add_argument("--json", action="store_true", help="one JSON object per candidate")
    look.set_defaults(run=_lookup)
