"""``ahdath batch --dedup``: cross-report deduplication with the store's rules, as a shuffle.

Two events can only be compared by the store when ``DedupIndex`` files one where the other looks:
the same country, days within ``max_days`` (an undated event: its report's window), and the same
grid cell neighbourhood, place name or admin1 (``dedup._prepare``, ``DedupIndex._cells_around``);
the archive rule adds (country, sub-event type, place name) without a day. Each event is given
the tokens ``(country, place key, time bucket)`` of every place key it files or looks under and
every ``BUCKET_DAYS`` bucket its days reach, plus its archive key. Events sharing a token are
joined (union-find: each partition joins its own events, the driver joins the partitions'
components), so events that could ever be compared end in one group; groups are packed into
buckets, every event is written to its group's bucket (the shuffle), and each bucket is run
through a real store (a temporary SQLite file, ``Store.add_reports``) in the order the reports
were read. The decisions are therefore the store's own: the same rules, the same re-derived
canonical events, the same order. Kin reports (shared wording) are found within a bucket only:
two retellings whose events share no token are not compared (see docs/scaling.md).

Output: ``dedup/events/part-B.parquet``: canonical events (the store's fields, window and
``n_reports``) with ``reports`` (article ids), ``report_hashes``, ``mentions`` (the extractor's
event ids) and ``merge_reasons`` (one per member; the first member's is null). The folder is
built under a temporary name and renamed into place, so it is whole or absent.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ahdath.batch.write import EVENT_FIELDS, atomic_text

BUCKET_DAYS = 16


def _h(token: tuple[Any, ...]) -> int:
    """A token's 64-bit hash, the same in every process (``hash()`` of a str is salted)."""
    return int.from_bytes(hashlib.blake2b(repr(token).encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "big")


class _Union:
    """Union-find over token hashes (path halving, union by size)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            self.size[x] = 1
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb] or (self.size[ra] == self.size[rb] and rb < ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra


def _record(row: dict[str, Any], published: str | None, now: float, rules: Any) -> dict[str, Any]:
    from ahdath.store.unit import dated

    record = {name: row[name] for name in EVENT_FIELDS if name != "evidence"}
    return dated(record, date.fromisoformat(published) if published else None, now, rules)


def event_tokens(record: dict[str, Any], report_hash: str, nth: int, index: Any, rules: Any,
                 ) -> tuple[list[int], tuple[Any, ...] | None, tuple[Any, ...] | None]:
    """An event's blocking tokens, and its archive key as an undated (``weak``) or a dated event."""
    from ahdath.store.dedup import EventKey, _prepare

    key = EventKey.from_row(0, record)
    p = _prepare(key, rules)
    places: list[tuple[str, Any]] = []
    if p.precise:
        places += [("g", cell) for cell in index._cells_around(p.lat, p.lon)]
    if p.place:
        places.append(("n", p.place))
    if p.admin1:
        places.append(("a", p.admin1))
    if p.lo is None or p.hi is None or not places:
        # no date and no window, or no place: the index never finds it (kin aside), nor it anything
        return [_h(("alone", report_hash, nth))], None, None
    md = rules.max_days
    reach = range((p.lo - md) // BUCKET_DAYS, (p.hi + md) // BUCKET_DAYS + 1)
    tokens = [_h((key.iso, kind, value, t)) for kind, value in places for t in reach]
    archive = (key.iso, key.sub_event_type, p.place) if p.precise and p.place else None
    if archive is not None and p.weak:
        tokens.append(_h(("archive", *archive)))
        return tokens, archive, None
    return tokens, None, archive


def _partition_rows(out: Path, pid: str) -> tuple[dict[tuple[int, int], dict[str, Any]], list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    reports = {(r["report_input"], r["report_line"]): r
               for r in pq.read_table(out / "reports" / f"part-{pid}.parquet").to_pylist()}
    rows: list[dict[str, Any]] = []
    for f in sorted((out / "events").glob(f"*/*/part-{pid}.parquet")):
        rows += pq.read_table(f).to_pylist()
    rows.sort(key=lambda r: (r["report_input"], r["report_line"], r["report_event"]))
    return reports, rows


def _tools() -> tuple[Any, Any]:
    from ahdath.store.dedup import DedupIndex
    from ahdath.store.rules import DedupRules

    rules = DedupRules.from_data()
    return rules, DedupIndex(rules)


def block_partition(out: str, pid: str, now: float) -> list[tuple[list[int], list[Any], list[Any], int]]:
    """One partition's components: (tokens, weak archive keys, dated archive keys, events)."""
    rules, index = _tools()
    reports, rows = _partition_rows(Path(out), pid)
    local = _Union()
    per_event: list[tuple[int, tuple[Any, ...] | None, tuple[Any, ...] | None]] = []
    for row in rows:
        rep = reports[(row["report_input"], row["report_line"])]
        tokens, weak, firm = event_tokens(_record(row, rep["published"], now, rules), rep["content_hash"],
                                          row["report_event"], index, rules)
        for t in tokens[1:]:
            local.union(tokens[0], t)
        per_event.append((tokens[0], weak, firm))
    comps: dict[int, tuple[list[Any], list[Any], list[int]]] = {}
    for first, weak, firm in per_event:
        root = local.find(first)
        w, f, n = comps.setdefault(root, ([], [], [0]))
        if weak is not None:
            w.append(weak)
        if firm is not None:
            f.append(firm)
        n[0] += 1
    members: dict[int, list[int]] = defaultdict(list)
    for token in local.parent:
        members[local.find(token)].append(token)
    return [(sorted(members[root]), sorted(set(w), key=repr), sorted(set(f), key=repr), n[0])
            for root, (w, f, n) in sorted(comps.items())]


def shuffle_partition(out: str, pid: str, now: float, bucket_of: dict[int, int], work: str, order: str,
                      ) -> dict[int, int]:
    """Write each event of one partition (with its report) to its group's bucket; returns events per bucket."""
    import pyarrow as pa

    from ahdath.batch.write import _atomic_table, event_schema, report_schema

    rules, index = _tools()
    reports, rows = _partition_rows(Path(out), pid)
    by_bucket: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        rep = reports[(row["report_input"], row["report_line"])]
        tokens, _w, _f = event_tokens(_record(row, rep["published"], now, rules), rep["content_hash"],
                                      row["report_event"], index, rules)
        by_bucket[bucket_of[tokens[0]]].append({**row, **{f"r_{k}": rep[k] for k in _REPORT_KEYS}})
    schema = event_schema()
    rs = report_schema()
    for name in _REPORT_KEYS:
        schema = schema.append(pa.field(f"r_{name}", rs.field(name).type))
    for b, items in sorted(by_bucket.items()):
        # named so that sorting the names gives the partitions in reading order (``order``)
        _atomic_table(pa.Table.from_pylist(items, schema=schema), Path(work) / "_shuffle" / f"bucket-{b}" /
                      f"part-{order}-{pid}.parquet")
    return {b: len(items) for b, items in by_bucket.items()}


_REPORT_KEYS = ("article_id", "text", "published", "url", "title", "source", "content_hash")


def _bucket_reports(files: list[Path]) -> Iterator[tuple[Any, list[Any]]]:
    """A bucket's reports with their events, streamed in reading order: its files are named in partition
    order and each holds its rows in reading order, so no sort and no more than a row batch in memory."""
    import pyarrow.parquet as pq

    from ahdath.model import Article
    from ahdath.store.parquet import event_from_row

    at: tuple[int, int] | None = None
    article: Article | None = None
    found: list[Any] = []
    for f in files:
        for batch in pq.ParquetFile(f).iter_batches(batch_size=2000):
            for r in batch.to_pylist():
                where = (r["report_input"], r["report_line"])
                if where != at:
                    if article is not None:
                        yield article, found
                    published = date.fromisoformat(r["r_published"]) if r["r_published"] else None
                    article = Article(r["r_article_id"], r["r_text"], published, r["r_url"], r["r_title"],
                                      r["r_source"])
                    found, at = [], where
                found.append(event_from_row(r))
    if article is not None:
        yield article, found


def dedup_bucket(work: str, b: int, chunk: int = 200) -> dict[str, Any]:
    """Run one bucket's reports, in reading order, through a temporary store (``Store.add_reports``, a
    chunk at a time); write its canonical events."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy import select

    from ahdath.store.repository import Store
    from ahdath.store.schema import EVENT_FIELD_NAMES, events, mentions, reports

    started = time.perf_counter()
    files = sorted((Path(work) / "_shuffle" / f"bucket-{b}").glob("part-*.parquet"))
    n_reports = n_in = n_out = 0
    folder = tempfile.mkdtemp(prefix="ahdath-dedup-")
    target = Path(work) / "events" / f"part-{b:05d}.parquet"
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex}"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Store.open(f"sqlite:///{folder}/bucket.sqlite", actor="ahdath batch --dedup", access="create") as store:
            items: list[tuple[Any, list[Any]]] = []
            for item in _bucket_reports(files):
                items.append(item)
                n_reports += 1
                n_in += len(item[1])
                if len(items) >= chunk:
                    store.add_reports(items)
                    items = []
            store.add_reports(items)
            with store.engine.connect() as conn, pq.ParquetWriter(tmp, canonical_schema(), compression="zstd") as out:
                last = 0
                while True:  # the canonical events a chunk at a time, each with its members in order
                    canon = [dict(r) for r in conn.execute(
                        select(events).where(events.c.deleted.is_(False), events.c.id > last)
                        .order_by(events.c.id).limit(5000)).mappings()]
                    if not canon:
                        break
                    last = canon[-1]["id"]
                    members: dict[int, list[Any]] = defaultdict(list)
                    for m in conn.execute(select(mentions.c.event_id, mentions.c.local_id, mentions.c.merge_reason,
                                                 reports.c.article_id, reports.c.content_hash)
                                          .join(reports, reports.c.id == mentions.c.report_id)
                                          .where(mentions.c.event_id.in_([c["id"] for c in canon]))
                                          .order_by(mentions.c.id)):
                        members[m.event_id].append(m)
                    out.write_table(pa.Table.from_pylist([_canonical_row(c, members[c["id"]], EVENT_FIELD_NAMES)
                                                          for c in canon], schema=canonical_schema()))
                    n_out += len(canon)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if tmp.exists():
            tmp.unlink()
    return {"bucket": b, "reports": n_reports, "events_in": n_in, "events_out": n_out,
            "seconds": round(time.perf_counter() - started, 3)}


def _canonical_row(c: dict[str, Any], ms: list[Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A canonical event for the output: its id is made from its first report and that report's event
    (the temporary store's numbers mean nothing outside its bucket)."""
    prefix = "".join(ch for ch in c["event_id"] if not ch.isdigit())
    first = ms[0]
    digest = hashlib.blake2b(f"{first.content_hash}|{first.local_id}".encode(), digest_size=6).hexdigest()
    return {"event_id": f"{prefix}-{digest}", **{k: c[k] for k in fields},
            "date_lo": c["date_lo"], "date_hi": c["date_hi"], "date_basis": c["date_basis"],
            "n_reports": c["n_reports"], "reports": [m.article_id for m in ms],
            "report_hashes": [m.content_hash for m in ms], "mentions": [m.local_id for m in ms],
            "merge_reasons": [m.merge_reason for m in ms]}


def canonical_schema() -> Any:
    import pyarrow as pa

    from ahdath.batch.write import _FLOAT, _INT
    from ahdath.store.schema import EVENT_FIELD_NAMES

    fields = [pa.field("event_id", pa.string())]
    for name in EVENT_FIELD_NAMES:
        fields.append(pa.field(name, pa.int64() if name in _INT else pa.float64() if name in _FLOAT else pa.string()))
    fields += [pa.field("date_lo", pa.string()), pa.field("date_hi", pa.string()), pa.field("date_basis", pa.string()),
               pa.field("n_reports", pa.int64()), pa.field("reports", pa.list_(pa.string())),
               pa.field("report_hashes", pa.list_(pa.string())), pa.field("mentions", pa.list_(pa.string())),
               pa.field("merge_reasons", pa.list_(pa.string()))]
    return pa.schema(fields)


def _buckets(groups: dict[int, int], n_buckets: int) -> dict[int, int]:
    """Groups (root -> events) packed into ``n_buckets``: largest first, each to the lightest bucket."""
    load = [0] * n_buckets
    placed: dict[int, int] = {}
    for root, size in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])):
        b = min(range(n_buckets), key=lambda i: (load[i], i))
        placed[root] = b
        load[b] += size
    return placed


def partitions_digest(pids: list[str]) -> str:
    """What a dedup output was made from (the versions and settings are the manifest's, checked on every run)."""
    return hashlib.sha256(",".join(sorted(pids)).encode()).hexdigest()[:16]


def run_dedup(client: Any, out: Path, records: dict[str, dict[str, Any]], n_workers: int) -> dict[str, Any]:
    """The three steps (block, shuffle, deduplicate) over the finished partitions; returns figures for the manifest."""
    started = time.perf_counter()
    now = time.time()
    pids = sorted(records)
    digest = partitions_digest(pids)
    work = out / f".dedup.tmp-{uuid.uuid4().hex}"
    work.mkdir(parents=True)
    try:
        comps = client.gather(client.map(block_partition, [str(out)] * len(pids), pids, [now] * len(pids),
                                         key=[f"ahdath-block-{p}" for p in pids]))
        uf = _Union()
        firsts: list[tuple[int, int]] = []  # (a token of the component, its events)
        weak_keys: set[tuple[Any, ...]] = set()
        firm: list[tuple[int, list[Any]]] = []
        for part in comps:
            for tokens, weak, dated, n in part:
                for t in tokens[1:]:
                    uf.union(tokens[0], t)
                firsts.append((tokens[0], n))
                weak_keys.update(tuple(w) for w in weak)
                if dated:
                    firm.append((tokens[0], dated))
        for token, keys in firm:  # a dated event joins the undated ones of its place only where there are some
            for k in keys:
                if tuple(k) in weak_keys:
                    uf.union(token, _h(("archive", *k)))
        groups: dict[int, int] = defaultdict(int)
        for token, n in firsts:
            groups[uf.find(token)] += n
        n_buckets = max(1, min(len(groups), 4 * max(1, n_workers)))
        placed = _buckets(dict(groups), n_buckets)
        bucket_of = {t: placed[uf.find(t)] for t in uf.parent}
        shared = client.scatter(bucket_of, broadcast=True)
        blocked = time.perf_counter()
        orders = [f"{records[p]['input_no']:06d}-{records[p]['start']:015d}" for p in pids]
        client.gather(client.map(shuffle_partition, [str(out)] * len(pids), pids, [now] * len(pids),
                                 [shared] * len(pids), [str(work)] * len(pids), orders,
                                 key=[f"ahdath-shuffle-{p}" for p in pids]))
        shuffled = time.perf_counter()
        results = client.gather(client.map(dedup_bucket, [str(work)] * n_buckets, list(range(n_buckets)),
                                           key=[f"ahdath-dedup-{work.name}-{b}" for b in range(n_buckets)]))
        shutil.rmtree(work / "_shuffle", ignore_errors=True)
        figures = {"partitions_digest": digest, "groups": len(groups), "largest_group": max(groups.values(), default=0), "buckets": n_buckets,
                   "events_in": sum(r["events_in"] for r in results),
                   "canonical_events": sum(r["events_out"] for r in results),
                   "block_s": round(blocked - started, 3), "shuffle_s": round(shuffled - blocked, 3),
                   "dedup_s": round(time.perf_counter() - shuffled, 3),
                   "largest_bucket_s": max((r["seconds"] for r in results), default=0.0)}
        atomic_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", work / "summary.json")
        final = out / "dedup"
        if final.exists():
            shutil.rmtree(final)
        os.replace(work, final)
        return figures
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def read_canonical(out: Path) -> Iterable[dict[str, Any]]:
    import pyarrow.parquet as pq

    for f in sorted((out / "dedup" / "events").glob("part-*.parquet")):
        yield from pq.read_table(f).to_pylist()
