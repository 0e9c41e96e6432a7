"""Inputs and readers for the batch tests: reports written for these tests (tests/store/synthetic.py's
towns and templates, plus a few of our own), as JSONL, gzip JSONL and Parquet."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from synthetic import write_reports  # noqa: E402

EXTRA = (
    # no id (its id comes from the file name and line) and no date
    {"text": "قتل ثلاثة مدنيين جراء قصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب الجنوبي.",
     "source": "Outlet 9"},
    {"id": "extra-2", "published": "2024-05-02", "source": "Outlet 8",
     "text": "اعتقلت قوات الأمن التركية خمسة أشخاص في مدينة غازي عنتاب بتهمة الانتماء إلى تنظيم الدولة."},
)


def reports_jsonl(path: Path, n_days: int = 4, outlets: int = 3) -> list[str]:
    """A JSONL file of reports; returns its lines."""
    write_reports(path, n_days=n_days, outlets=outlets)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines += [json.dumps(r, ensure_ascii=False) for r in EXTRA]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def gzip_copy(src: Path, dst: Path) -> Path:
    with gzip.open(dst, "wb") as f:
        f.write(src.read_bytes())
    return dst


def parquet_copy(src: Path, dst: Path, row_group_size: int = 7) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    cols = ("id", "text", "published", "url", "title", "source")
    table = pa.table({c: [r.get(c) for r in rows] for c in cols}, schema=pa.schema([(c, pa.string()) for c in cols]))
    pq.write_table(table, dst, row_group_size=row_group_size)
    return dst


def batch_events(out: Path, folder: str = "events") -> list[dict[str, Any]]:
    """Every event row of a batch output, evidence parsed, as ``extract --format jsonl`` gives them."""
    import pyarrow.parquet as pq

    rows = []
    for f in sorted((out / folder).rglob("*.parquet")):
        if f.name.startswith("."):
            continue
        for row in pq.read_table(f).to_pylist():
            row["evidence"] = json.loads(row["evidence"])
            rows.append(row)
    return rows


def strip_locators(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("report_input", "report_line", "report_event")} for r in rows]


def ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
