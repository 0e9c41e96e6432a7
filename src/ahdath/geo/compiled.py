"""The compiled gazetteer shipped in the package: ``data/gazetteer/gazetteer.tsv.gz``.

One gzip TSV, one line per place, in three layers:

- ``main``: country and governorate units, the curated places and the GeoNames towns. A place
  finder may match their names anywhere in a text.
- ``near``: the OCHA Syria communities. They answer a lookup only for a name no main record knows,
  and a finder reads them bare only where the report puts the village at once in a known place near it.
- ``cue``: Open-Syria districts and sub-districts, Yemen's districts and villages, the small towns of
  Egypt and Turkey's border provinces. They answer a lookup only for a name no other layer knows
  (after a place word: "مديرية X", "قرية X"); their rows become records the first time a lookup
  asks for them, so start-up reads 45,000 villages as text only.

Each line carries the name key (``records.name_key``) of each of its spellings, computed at build
time (``ahdath.geo.build``, ``scripts/build_gazetteer.py``): loading computes none. The cue layer
follows a marker line, one line per spelling, prefixed with its key and sorted: a lookup bisects the
lines, so start-up never walks them.
"""
from __future__ import annotations

import gzip
import io
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ahdath.errors import GazetteerError
from ahdath.geo.records import PlaceRecord

FILE = "gazetteer.tsv.gz"
MAIN, NEAR, CUE = "main", "near", "cue"
LAYERS = (MAIN, NEAR, CUE)
COLUMNS = ("layer", "id", "kind", "feature", "name_ar", "name_en", "country", "iso", "admin1", "admin2", "admin3",
           "lat", "lon", "population", "precision", "parent_id", "source", "pcode", "names", "keys")
_SEP = "|"
CUE_MARK = "#cue"  # the line that opens the cue section


def _opt(s: str) -> str | None:
    return s or None


def record_of(fields: Sequence[str]) -> PlaceRecord:
    (_, rid, kind, feature, ar, en, country, iso, a1, a2, a3, lat, lon, pop, prec, parent, source, pcode,
     names, _keys) = fields
    return PlaceRecord(rid, _opt(ar), _opt(en), _opt(country), int(iso) if iso else None, _opt(a1), _opt(a2),
                       _opt(a3), float(lat) if lat else None, float(lon) if lon else None, kind, _opt(parent),
                       int(pop or 0), source, int(prec) if prec else None,
                       tuple(names.split(_SEP)) if names else (), _opt(pcode), _opt(feature))


def row_of(layer: str, r: PlaceRecord, keys: Sequence[str]) -> str:
    """One line; ``keys``: the name key of each of ``r.names``, in order."""
    def s(v: object) -> str:
        # a source's stray tab or line break inside a name is a space; a "|" would split the name
        text = " ".join(str(v).split()) if v is not None else ""
        if _SEP in text:
            raise GazetteerError(f"a '{_SEP}' in a field of {r.id}", source=FILE)
        return text

    lat = "" if r.latitude is None else f"{r.latitude:.5f}"
    lon = "" if r.longitude is None else f"{r.longitude:.5f}"
    fields = [layer, r.id, r.kind, s(r.feature), s(r.name_ar), s(r.name_en), s(r.country), s(r.iso), s(r.admin1),
              s(r.admin2), s(r.admin3), lat, lon, str(r.population), s(r.precision), s(r.parent_id), r.source,
              s(r.pcode), _SEP.join(map(s, r.names)), _SEP.join(keys)]
    return "\t".join(fields)


def cue_lines(row: str) -> list[str]:
    """The cue section's lines of one row: the row after each of its distinct keys (its keys column
    left empty: the line's key is the one that matters there)."""
    body, keys = row.rsplit("\t", 1)
    return [f"{k}\t{body}\t" for k in dict.fromkeys(keys.split(_SEP)) if k]


def write(lines: Iterable[str], cue: Iterable[str] = ()) -> bytes:
    """The file's bytes: no timestamp in the gzip header, so the same lines give the same bytes.
    ``cue``: the cue layer's rows, written keyed and sorted after ``CUE_MARK``."""
    cue = list(cue)
    keyed = sorted(line for row in cue for line in cue_lines(row))
    text = "\t".join(COLUMNS) + "\n" + "".join(line + "\n" for line in lines) + f"{CUE_MARK}\t{len(cue)}\n" \
        + "".join(line + "\n" for line in keyed)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))
    return buf.getvalue()


@dataclass
class Compiled:
    """The file read: records (and their keys) of the main and near layers; the cue layer's lines,
    sorted, kept as UTF-8 bytes (decoded only when a lookup reaches one: UTF-8 sorts as the text does)."""

    main: list[PlaceRecord] = field(default_factory=list)
    main_keys: list[tuple[str, ...]] = field(default_factory=list)
    near: list[PlaceRecord] = field(default_factory=list)
    near_keys: list[tuple[str, ...]] = field(default_factory=list)
    cue: list[bytes] = field(default_factory=list)
    cue_places: int = 0  # how many places the cue lines hold (a place has a line per spelling)

    def cue_rows(self, key: str) -> list[list[str]]:
        """The fields of the cue rows known by ``key``."""
        if not key:
            return []
        head = (key + "\t").encode("utf-8")
        i = bisect_left(self.cue, head)
        out = []
        while i < len(self.cue) and self.cue[i].startswith(head):
            out.append(self.cue[i][len(head):].decode("utf-8").split("\t"))
            i += 1
        return out

    def has_cue(self, key: str) -> bool:
        head = (key + "\t").encode("utf-8")
        i = bisect_left(self.cue, head)
        return bool(key) and i < len(self.cue) and self.cue[i].startswith(head)


def read(path: Path) -> Compiled:
    try:
        data = gzip.decompress(path.read_bytes())
        header, _, rest = data.partition(b"\n")
        rows_b, mark, cue = rest.partition(CUE_MARK.encode() + b"\t")
        count, _, cue = cue.partition(b"\n")
        head, rows = header.decode("utf-8"), rows_b.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read the compiled gazetteer: {exc}", source=str(path)) from None
    del data, rest, rows_b
    if tuple(head.split("\t")) != COLUMNS:
        raise GazetteerError(f"unexpected columns {head[:80]!r} (rebuild it: scripts/build_gazetteer.py)",
                             source=str(path))
    if not mark:
        raise GazetteerError("no cue section (rebuild it: scripts/build_gazetteer.py)", source=str(path))
    if not count.isdigit():
        raise GazetteerError("a bad cue section header (rebuild it: scripts/build_gazetteer.py)", source=str(path))
    out = Compiled(cue=cue.split(b"\n")[:-1], cue_places=int(count))
    del cue
    n_cols = len(COLUMNS)
    for n, line in enumerate(rows.split("\n")[:-1], start=2):
        fields = line.split("\t")
        if len(fields) != n_cols or fields[0] not in (MAIN, NEAR):
            raise GazetteerError(f"line {n}: not a gazetteer row", source=str(path))
        keys = tuple(fields[-1].split(_SEP)) if fields[-1] else ()
        if fields[0] == NEAR:
            out.near.append(record_of(fields))
            out.near_keys.append(keys)
        else:
            out.main.append(record_of(fields))
            out.main_keys.append(keys)
    return out
