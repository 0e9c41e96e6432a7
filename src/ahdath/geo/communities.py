"""The community layer: OCHA's Syria communities, compiled into the package.

``scripts/build_gazetteer.py`` compiles ``communities.tsv.gz`` from the OCHA Syria communities
(via the Syrian Archive, CC BY 3.0 IGO) and Open-Syria's sub-districts (CC BY 4.0); see
``data/gazetteer/NOTICE.md``. The layer knows the villages the news names that the main records
(curated places and GeoNames towns) do not: it answers a lookup only for a name those records do
not know, so a town they place keeps its place, and its names are never matched bare in text (many
village names are also common words): a village is found after a place word ("قرية X", "بلدة X")
or in quotes.
"""
from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from ahdath.errors import GazetteerError
from ahdath.geo.records import PlaceRecord
from ahdath.geo.sources import data_dir

COLUMNS = ("pcode", "name_ar", "name_en", "admin1", "admin2", "admin3", "lat", "lon", "names", "keys")
FILE = "communities.tsv.gz"
SOURCE = "ocha"


def communities_path() -> Path:
    return data_dir() / FILE


def load_communities(path: Path | None = None) -> tuple[list[PlaceRecord], list[tuple[str, ...]]]:
    """The layer's records (populated places of Syria) and, for each, the name keys of its
    spellings (``records.name_key``, computed at build time); a missing or unreadable file is an error."""
    p = path or communities_path()
    try:
        text = gzip.decompress(p.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read the community layer: {exc}", source=str(p)) from None
    rows = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if header is None or tuple(header) != COLUMNS:
        raise GazetteerError(f"unexpected columns {header!r} (rebuild it: scripts/build_gazetteer.py)", source=str(p))
    records, keys = [], []
    for n, row in enumerate(rows, start=2):
        if len(row) != len(COLUMNS):
            raise GazetteerError(f"line {n}: {len(row)} fields, {len(COLUMNS)} expected", source=str(p))
        pcode, ar, en, a1, a2, a3, lat, lon, names, ks = row
        records.append(PlaceRecord(f"{SOURCE}:{pcode}", ar, en or None, "Syria", 760, a1 or None, a2 or None,
                                   a3 or None, float(lat), float(lon), "populated", None, 0, f"{SOURCE}:{pcode}",
                                   None, tuple(names.split("|"))))
        keys.append(tuple(ks.split("|")))
    return records, keys
