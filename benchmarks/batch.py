#!/usr/bin/env python3
"""``ahdath batch`` on Dask: throughput with one and two workers against ``extract`` alone, peak
memory per worker, output size, and the cost of ``--dedup`` and of ``ingest --from-parquet``.

Prints figures (and writes them as JSON with --json); asserts nothing. Targets (benchmarks/README.md):
two workers >= 1.7x one worker; per-worker throughput within 20% of ``extract``; peak memory per
worker under 300 MB. The figures are interleaved (extract, one worker, two workers, repeated), so a
machine whose load changes meanwhile weighs on each alike; the load average is printed with each.

    .venv/bin/python benchmarks/batch.py [--reports 20000] [--repeat 2] [--dedup] [--load]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

# Reports written for this benchmark: a handful of newswire shapes, filled with towns, sides, tolls
# and days, so the engine meets the variety of a feed rather than one text again and again.
TOWNS = ("معرة النعمان", "سراقب", "أريحا", "جسر الشغور", "خان شيخون", "كفرنبل", "طفس", "نوى", "الميادين",
         "البوكمال", "دير الزور", "الرقة", "منبج", "الباب", "عفرين", "تل رفعت", "درعا", "بصرى الشام", "تدمر", "حماة")
NUMBERS = ("ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "عشرة")
TEMPLATES = (
    "قتل {n} مدنيين، اليوم، جراء غارات جوية شنتها طائرات حربية روسية على مدينة {town}.\n"
    "وقال الدفاع المدني إن فرقه انتشلت الضحايا من تحت الأنقاض.",
    "استهدفت طائرات حربية روسية بغارات جوية مدينة {town} اليوم، ما أدى إلى مقتل {n} مدنيين بينهم أطفال، "
    "بحسب ناشطين محليين.",
    "قصفت قوات النظام بالمدفعية الثقيلة أطراف بلدة {town}، ما أسفر عن إصابة {n} أشخاص بجروح متفاوتة.",
    "اندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على محور {town}، وقتل فيها {n} عناصر من الطرفين.",
    "انفجرت عبوة ناسفة زرعها مجهولون في سيارة عسكرية قرب {town}، ما أدى إلى مقتل {n} جنود.",
    "خرج مئات المتظاهرين في {town} اليوم للمطالبة بالإفراج عن المعتقلين ورفع الحصار عن المدينة.",
    "اعتقلت قوات الأمن {n} شبان في مداهمات نفذتها في أحياء {town} فجر اليوم، وفق مصادر محلية.",
    "أعلن المرصد أن {n} مدنيين قتلوا برصاص مسلحين مجهولين في ريف {town} الشرقي مساء أمس.",
)
CLOSINGS = ("", "\nوتشهد المنطقة تصعيدا عسكريا منذ أسابيع.", "\nولم تعلق الجهات الرسمية على الحادثة.",
            "\nوأفاد مراسلنا بأن فرق الإسعاف نقلت المصابين إلى المشافي القريبة.")


def generate(path: Path, n: int, seed: int = 7) -> int:
    """``n`` JSONL reports over two years and twenty outlets; returns the bytes written."""
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            day = start + timedelta(days=rng.randrange(730))
            text = rng.choice(TEMPLATES).format(n=rng.choice(NUMBERS), town=rng.choice(TOWNS)) + rng.choice(CLOSINGS)
            text += f"\n(رقم المادة {i})"
            o = rng.randrange(20)
            f.write(json.dumps({"id": f"b{i}", "published": day.isoformat(), "source": f"Outlet {o}",
                                "url": f"https://outlet{o}.example/{day}/{i}", "text": text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


def load() -> float:
    return os.getloadavg()[0]


def extract_rate(src: Path, one: Path, env: dict[str, str]) -> dict[str, float]:
    """``ahdath extract`` in a fresh process on ``src`` and on one report: the difference is extraction
    alone (start-up and loading cancel out)."""
    def run(p: Path) -> tuple[float, float]:
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "ahdath", "extract", "-f", "jsonl", "-o", os.devnull, str(p)],
                       check=True, env=env, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter() - t, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    base, base_cpu = run(one)
    whole, whole_cpu = run(src)
    return {"wall_s": whole, "startup_s": base, "extract_s": whole - base, "extract_cpu_s": whole_cpu - base_cpu}


def batch_run(src: Path, out: Path, workers: int, partition_size: int, n: int, dedup: bool = False) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    from ahdath.batch.run import BatchOptions, run_batch

    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        started = time.perf_counter() - t0
        result = run_batch(BatchOptions(inputs=(str(src),), out=out, scheduler=cluster.scheduler_address,
                                        partition_size=partition_size, dedup=dedup))
        scale = 1 if sys.platform == "darwin" else 1024
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    parts = manifest["partitions"].values()
    task_s = sum(p["seconds"] for p in parts)
    cpu_s = sum(p["cpu_s"] for p in parts)
    size = sum(f.stat().st_size for f in (out / "events").rglob("*.parquet"))
    reports_size = sum(f.stat().st_size for f in (out / "reports").rglob("*.parquet"))
    return {"workers": workers, "cluster_start_s": started, "wall_s": result.wall_s,
            "extract_phase_s": result.extract_s, "reports_per_s": n / result.wall_s,
            "reports_per_s_extract_phase": n / result.extract_s,
            "per_worker_reports_per_s": n / task_s, "task_s": task_s,
            "per_worker_reports_per_cpu_s": n / cpu_s, "task_cpu_s": cpu_s, "partitions": result.ran,
            "events": result.events, "peak_rss_mb": max(peaks.values()) * scale / 2**20,
            "events_parquet_bytes": size, "reports_parquet_bytes": reports_size,
            "dedup": result.dedup}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=256 << 10)
    ap.add_argument("--dedup", action="store_true", help="also time --dedup and ingest --from-parquet (once)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    work = Path(tempfile.mkdtemp(prefix="ahdath-batch-bench-"))
    try:
        src = work / "reports.jsonl"
        size = generate(src, args.reports)
        one = work / "one.jsonl"
        one.write_text(src.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        print(f"input: {args.reports} reports, {size / 2**20:.1f} MB; cores: {os.cpu_count()}; "
              f"partition size {args.partition_size} bytes")
        rows: list[dict[str, Any]] = []
        for r in range(args.repeat):
            for what in ("extract", "batch-1", "batch-2"):
                before = load()
                if what == "extract":
                    fig = extract_rate(src, one, env)
                    fig["reports_per_s"] = args.reports / fig["extract_s"]
                    fig["reports_per_cpu_s"] = args.reports / fig["extract_cpu_s"]
                else:
                    fig = batch_run(src, work / "out", int(what[-1]), args.partition_size, args.reports)
                fig.update(run=r, what=what, load_before=before, load_after=load())
                rows.append(fig)
                shown = {k: round(v, 2) if isinstance(v, float) else v for k, v in fig.items() if k != "dedup"}
                print(json.dumps(shown, ensure_ascii=False), flush=True)
        summary = _summary(rows)
        if args.dedup:
            summary["dedup"] = _dedup_and_load(src, work, args, env)
        print(json.dumps(summary, indent=1))
        if args.json:
            args.json.write_text(json.dumps({"rows": rows, "summary": summary}, indent=1) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _best(rows: list[dict[str, Any]], what: str, key: str) -> float:
    return max(r[key] for r in rows if r["what"] == what)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ext = _best(rows, "extract", "reports_per_s")
    one_wall, two_wall = _best(rows, "batch-1", "reports_per_s"), _best(rows, "batch-2", "reports_per_s")
    one_x, two_x = (_best(rows, "batch-1", "reports_per_s_extract_phase"),
                    _best(rows, "batch-2", "reports_per_s_extract_phase"))
    per_worker = _best(rows, "batch-1", "per_worker_reports_per_s")
    ext_cpu = _best(rows, "extract", "reports_per_cpu_s")
    per_worker_cpu = max(r["per_worker_reports_per_cpu_s"] for r in rows if r["what"] != "extract")
    return {"extract_reports_per_s": ext, "extract_reports_per_cpu_s": ext_cpu,
            "per_worker_over_extract_cpu": per_worker_cpu / ext_cpu,
            "speedup_2_over_1_end_to_end": two_wall / one_wall, "speedup_2_over_1_extract_phase": two_x / one_x,
            "per_worker_over_extract": per_worker / ext,
            "peak_rss_mb_per_worker": max(r["peak_rss_mb"] for r in rows if r["what"] != "extract"),
            "events_parquet_bytes_per_event": max(r["events_parquet_bytes"] / r["events"] for r in rows if r.get("events")),
            "reports_parquet_bytes_per_report": max(r["reports_parquet_bytes"] / r["events"] for r in rows if r.get("events")),
            "load_range": [min(r["load_before"] for r in rows), max(r["load_after"] for r in rows)],
            "targets": {"speedup >= 1.7": two_x / one_x >= 1.7, "per worker within 20% of extract": per_worker >= 0.8 * ext,
                        "peak < 300 MB": max(r["peak_rss_mb"] for r in rows if r["what"] != "extract") < 300}}


def _dedup_and_load(src: Path, work: Path, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    fig = batch_run(src, work / "out", 2, args.partition_size, args.reports, dedup=True)
    db = work / "store.sqlite"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ahdath", "ingest", "--db", f"sqlite:///{db}", "-q", "--from-parquet",
                    str(work / "out")], check=True, env=env)
    load_s = time.perf_counter() - t
    db2 = work / "store2.sqlite"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ahdath", "ingest", "--db", f"sqlite:///{db2}", "-q", str(src)],
                   check=True, env=env)
    ingest_s = time.perf_counter() - t
    return {"dedup": fig["dedup"], "from_parquet_s": load_s, "from_parquet_reports_per_s": args.reports / load_s,
            "ingest_s": ingest_s, "ingest_reports_per_s": args.reports / ingest_s}


if __name__ == "__main__":
    main()
