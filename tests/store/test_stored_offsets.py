"""The store keeps each report as given: the evidence of its mentions slices the stored text, after
ingest and after ``reextract`` alike (a report the reader cleaned: CRLF, blank lines holding spaces)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from ahdath.ingest import read_inputs
from ahdath.model import Article
from ahdath.store import Store
from ahdath.store.schema import mentions, reports

REPORT = ("قصف مدفعي على كفرنبل\r\n \r\n\r\n"
          "قتل ثلاثة مدنيين صباح اليوم الثلاثاء جراء قصف مدفعي شنته قوات النظام على بلدة كفرنبل بريف إدلب.\r\n"
          " \r\nوأصيب خمسة آخرون بجروح في قصف مماثل على مدينة معرة النعمان.\r\n")


def _spans_slice(store: Store) -> int:
    with store.engine.connect() as conn:
        texts = {r.id: r.text for r in conn.execute(select(reports.c.id, reports.c.text))}
        checked = 0
        for m in conn.execute(select(mentions.c.report_id, mentions.c.record)):
            record = m.record if isinstance(m.record, dict) else json.loads(m.record)
            ev, text = record["evidence"], texts[m.report_id]
            assert text[ev["start"]:ev["end"]] == ev["text"]
            for spans in ev["spans"].values():
                for s in spans:
                    assert text[s["start"]:s["end"]] == s["text"]
                    checked += 1
    return checked


def test_stored_offsets_slice_the_report_after_ingest_and_reextract(tmp_path: Path) -> None:
    from ahdath.cli.main import main

    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.encode("utf-8"))
    items = list(read_inputs([path]))
    assert isinstance(items[0], Article) and items[0].origin is not None  # the reader cleans this report
    db = f"sqlite:///{tmp_path / 'events.db'}"
    assert main(["ingest", str(path), "--db", db, "--quiet"]) == 0
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(select(reports.c.text)).scalar_one() == REPORT  # kept as given
        assert _spans_slice(store) > 4
    finally:
        store.close()
    assert main(["reextract", "--db", db, "--quiet"]) == 0  # cleans the stored report again
    store = Store.open(db)
    try:
        assert _spans_slice(store) > 4
    finally:
        store.close()
