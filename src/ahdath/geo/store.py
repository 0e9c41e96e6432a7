"""The gazetteer: the compiled places shipped in the package, layered with user stores.

The default places are compiled by ``scripts/build_gazetteer.py`` into
``data/gazetteer/gazetteer.tsv.gz`` (``geo.compiled``: curated places, governorates, GeoNames
towns, OCHA communities, districts, Yemen's villages); loading reads that one file. User stores
(``ahdath gazetteer import``, ``add``) and ``--gazetteer`` files are read after it: a record with
the id of a default one replaces it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from ahdath.errors import GazetteerError
from ahdath.geo.compiled import FILE, Compiled, read, record_of
from ahdath.geo.records import PlaceRecord, is_arabic, name_key
from ahdath.geo.sources import data_dir
from ahdath.text.normalize import norm


def compiled_path() -> Path:
    return data_dir() / FILE


def default_records(path: Path | None = None) -> Compiled:
    """The compiled places (``path``: another compiled file, for tests)."""
    p = path or compiled_path()
    if not p.is_file():
        raise GazetteerError("the compiled gazetteer is missing: run scripts/build_gazetteer.py", source=str(p))
    return read(p)


def default_store_dir() -> Path:
    """Where ``ahdath gazetteer import`` writes by default."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ahdath")) / "gazetteer"


def read_store(path: Path) -> list[PlaceRecord]:
    """Records of a user store: a folder of ``*.jsonl`` files, or one such file."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    out: list[PlaceRecord] = []
    for f in files:
        try:
            lines = f.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise GazetteerError(f"cannot read gazetteer store: {exc}", source=str(f)) from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                out.append(PlaceRecord.from_dict(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise GazetteerError(f"line {n}: not a gazetteer record ({exc})", source=str(f)) from None
    return out


class Gazetteer:
    """Records plus a name index; a name's candidates are the same tuple every time it is looked up.

    ``records`` are the places whose names a place finder may match anywhere in text. Under them,
    two lookup-only layers (``geo.compiled``) answer for a name no record knows: the ``near``
    communities (read bare only where a report places them near a known place) and the ``cue``
    places, made into records the first time a lookup asks for them."""

    __slots__ = ("records", "_by_key", "_by_id", "_admin1", "_near", "_near_names", "_compiled", "_cue_done",
                 "_lookup_only", "_n_near", "_hidden", "_missed")

    def __init__(self, records: Iterable[PlaceRecord], compiled: Compiled | None = None,
                 keys: Sequence[Sequence[str]] | None = None) -> None:
        """``keys``: the name keys of the first ``len(keys)`` of ``records`` (the compiled main layer
        carries them); the others' are computed."""
        c = compiled if compiled is not None else Compiled()
        by_id: dict[str, PlaceRecord] = {}
        keys_of: dict[str, Sequence[str]] = {}
        for i, r in enumerate(records):
            by_id[r.id] = r  # a later layer replaces a record with the same id
            # (a record's spellings may share a key: "كفر جنه" / "كفر جنة"; each key once)
            keys_of[r.id] = tuple(dict.fromkeys(keys[i])) if keys is not None and i < len(keys) else _keys(r)
        self.records: tuple[PlaceRecord, ...] = tuple(by_id.values())
        self._by_id = by_id
        by_key: dict[str, list[PlaceRecord]] = {}
        admin1: dict[str, PlaceRecord] = {}
        for r in self.records:
            ks = keys_of[r.id]
            for k in ks:
                by_key.setdefault(k, []).append(r)
            if r.kind == "admin1":
                for k in ks:
                    admin1.setdefault(k, r)
                admin1.setdefault(r.id.split(":", 1)[1].lower(), r)
        self._by_key = {k: tuple(sorted(v, key=_rank)) for k, v in by_key.items()}
        self._admin1 = admin1
        self._lookup_only: set[str] = set()
        near: dict[str, list[PlaceRecord]] = {}
        hidden: dict[str, list[PlaceRecord]] = {}
        for r, ks in zip(c.near, c.near_keys):
            if r.id in by_id:
                continue
            by_id[r.id] = r
            self._lookup_only.add(r.id)
            for k in dict.fromkeys(ks):
                (near if k not in self._by_key else hidden).setdefault(k, []).append(r)
        self._near = {k: tuple(sorted(v, key=_rank_lookup_only)) for k, v in near.items()}
        self._hidden = {k: tuple(sorted(v, key=_rank_lookup_only)) for k, v in hidden.items()}
        self._n_near = len(self._lookup_only)  # (cue places join ``_lookup_only`` as lookups make them)
        self._near_names = tuple((n, k) for r, ks in zip(c.near, c.near_keys) if r.id in self._lookup_only
                                 for n, k in zip(r.names, ks) if k in self._near)
        self._compiled = c
        self._cue_done: dict[str, tuple[PlaceRecord, ...]] = {}
        self._missed: set[str] = set()

    @classmethod
    def load(cls, extra_paths: Sequence[Path] = (), *, compiled: Path | None = None,
             user_store: Path | None | bool = True) -> "Gazetteer":
        """The compiled places, then the user store (``user_store=False`` skips it), then ``extra_paths``."""
        c = default_records(compiled)
        records = list(c.main)
        layers: list[Path] = []
        if user_store is True:
            layers.append(default_store_dir())
        elif isinstance(user_store, Path):
            layers.append(user_store)
        for p in layers:
            if p.exists():
                records.extend(read_store(p))
        for p in extra_paths:
            p = Path(p)
            if not p.exists():
                raise GazetteerError("gazetteer store not found", source=str(p))
            records.extend(read_store(p))
        return cls(records, c, c.main_keys)

    def __len__(self) -> int:
        return len(self.records) + self._n_near + self._compiled.cue_places

    def get(self, record_id: str) -> PlaceRecord | None:
        return self._by_id.get(record_id)

    def lookup(self, name: str) -> tuple[PlaceRecord, ...]:
        """Every record known by ``name`` (any spelling, with or without ال), best known first; the
        lookup-only places of that name when no record knows it."""
        key = name_key(name)
        return self._by_key.get(key) or (self._lookup_only_of(key) if key else ())

    def _lookup_only_of(self, key: str) -> tuple[PlaceRecord, ...]:
        """The near and cue places of ``key`` together ("الوازعية": villages of Homs and a district of
        Taiz), ranked alike: the report's context chooses among them. Memoized: the same tuple each time."""
        done = self._cue_done.get(key)
        if done is not None:
            return done
        if key in self._missed:
            return ()
        made = list(self._near.get(key, ()))
        for fields in self._compiled.cue_rows(key):
            rid = fields[1]
            r = self._by_id.get(rid)
            if r is None:
                r = self._by_id[rid] = record_of(fields)
                self._lookup_only.add(rid)
            if r.id in self._lookup_only and r not in made:  # (a user record with a compiled id replaced it)
                made.append(r)
        if not made:
            # the words a feed looks up are unbounded, the places are not: misses are kept a while
            if len(self._missed) >= _MISSES:
                self._missed.clear()
            self._missed.add(key)
            return ()
        out = self._cue_done[key] = tuple(sorted(made, key=_rank_lookup_only))
        return out

    def namesakes(self, name: str) -> tuple[PlaceRecord, ...]:
        """The near layer's villages of ``name`` that a lookup does not return, because a main record
        knows the name ("المشيرفة" of Homs and of Raqqa beside the curated one of Hama)."""
        key = name_key(name)
        return self._hidden.get(key, ()) if key in self._by_key else ()

    def near_names(self) -> tuple[tuple[str, str], ...]:
        """(spelling, name key) of the near layer's villages (read bare where a report places them)
        that answer a lookup: the spellings are normalized at build time."""
        return self._near_names

    def lookup_only(self, r: PlaceRecord) -> bool:
        """Whether ``r`` comes from a lookup-only layer (its names are never matched bare)."""
        return r.id in self._lookup_only

    def has_key(self, key: str) -> bool:
        return key in self._by_key or key in self._near or self._compiled.has_cue(key)

    def admin1(self, name_or_code: str) -> PlaceRecord | None:
        """The first-level unit by English/Arabic name, OCHA pcode (SY09) or GeoNames code (SY.07)."""
        s = name_or_code.strip()
        if not s:
            return None
        return self._admin1.get(s.lower()) or self._admin1.get(name_key(s)) or (
            self._admin1.get(name_key(norm(s))) if is_arabic(s) else None)

    def admin1_record_of(self, r: PlaceRecord) -> PlaceRecord | None:
        """The admin1 record a place lies in (same country)."""
        if not r.admin1:
            return None
        for c in self._by_key.get(name_key(r.admin1), ()):
            if c.kind == "admin1" and c.country == r.country:
                return c
        return None


_MISSES = 50_000  # names known to be in no layer, remembered (then forgotten all at once)


def _keys(r: PlaceRecord) -> set[str]:
    return {k for k in (name_key(n) for n in (*r.names, r.name_ar or "", r.name_en or "") if n) if k}


def _rank_lookup_only(r: PlaceRecord) -> tuple[str, str]:
    # namesakes carry no population: a stable order, which context then overrides (place_context)
    return (r.admin1 or "", r.id)


def _rank(r: PlaceRecord) -> tuple[int, int, int]:
    # curated data first, then bigger places; admin units after the town of the same name
    curated = 0 if r.source.startswith("curated") else 1
    kind = 0 if r.kind == "populated" else 1
    return (kind, curated, -r.population)
