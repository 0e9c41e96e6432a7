#!/usr/bin/env python3
"""Memory and time of one very long report: bytes of peak memory per input character and seconds
per MB of text, at several sizes (default 1, 5 and 10 MB of UTF-8).

Prints figures; asserts nothing (targets are in benchmarks/README.md). Each size runs in a fresh
process, so one size's peak does not hide the next one's.

    .venv/bin/python benchmarks/limits.py [--sizes 1,5,10] [--profile]

The text is generated: news sentences written for this benchmark, repeated with varied numbers,
places, days and sides, in paragraphs of a few sentences (a long report, as a scraped archive
page or a merged feed gives).
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PLACES = ("كفرنبل", "معرة النعمان", "سراقب", "أريحا", "جسر الشغور", "خان شيخون", "دوما", "حرستا", "داريا",
          "تلبيسة", "الرستن", "درعا", "طفس", "بصرى الشام", "منبج", "الباب", "عفرين", "دير الزور", "الميادين",
          "البوكمال", "تعز", "مأرب", "الحديدة", "صعدة", "الموصل", "الرمادي", "الفلوجة", "سرت", "بنغازي")
REGIONS = ("بريف إدلب الجنوبي", "بريف دمشق", "بريف حمص الشمالي", "بريف درعا الغربي", "بريف حلب الشرقي",
           "شرقي سوريا", "جنوبي اليمن", "شمالي العراق", "غربي ليبيا")
SIDES = ("قوات النظام", "فصائل المعارضة", "قوات سوريا الديمقراطية", "تنظيم الدولة الإسلامية", "جماعة الحوثي",
         "القوات الحكومية", "الجيش العراقي", "مسلحون مجهولون", "الطيران الحربي الروسي", "قوات التحالف")
DAYS = ("السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")
MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول")

TEMPLATES = (
    "قتل {n} مدنيين وأصيب {m} آخرون بجروح، صباح يوم {day} {d} {month} {year}، جراء قصف مدفعي شنته {a} "
    "على الأحياء السكنية في مدينة {p} {r}.",
    "وأفاد مراسل الوكالة أن أكثر من {m} قذيفة سقطت على {p} وأطرافها، ما أدى إلى دمار كبير في منازل المدنيين.",
    "ودارت اشتباكات عنيفة بين {a} و{b} على محور {p} {r}، أسفرت عن مقتل {n} عناصر من {b}.",
    "وشن الطيران الحربي {m} غارات جوية على بلدة {p} {r}، ما أدى إلى مقتل {n} أشخاص بينهم طفلان.",
    "واعتقلت {a} {n} شبان خلال حملة دهم في {p} يوم {day} الماضي، بحسب ناشطين محليين.",
    "وخرج مئات المتظاهرين في {p} للمطالبة بالإفراج عن المعتقلين وتحسين الخدمات.",
    "وانفجرت عبوة ناسفة بسيارة عسكرية تابعة لـ{a} على الطريق الواصل بين {p} و{q}، ما أسفر عن مقتل {n} عناصر.",
    "وقالت مصادر طبية إن حصيلة القتلى ارتفعت إلى {m} قتيلا، في حين لا يزال {n} مفقودين تحت الأنقاض.",
    "وأعلنت {a} سيطرتها على قرية {p} {r} بعد معارك استمرت {n} ساعات مع {b}.",
    "وفي سياق متصل، استهدف قناص تابع لـ{a} مزارعا في أطراف {p}، ما أدى إلى إصابته بجروح خطيرة.",
)


def generate(n_bytes: int, seed: int = 7) -> str:
    """About ``n_bytes`` of UTF-8 news text: paragraphs of three to six generated sentences."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n_bytes:
        para = []
        for _ in range(rng.randint(3, 6)):
            p, q = rng.sample(PLACES, 2)
            a, b = rng.sample(SIDES, 2)
            s = rng.choice(TEMPLATES).format(
                n=rng.randint(2, 9), m=rng.randint(10, 60), p=p, q=q, a=a, b=b, r=rng.choice(REGIONS),
                day=rng.choice(DAYS), d=rng.randint(1, 28), month=rng.choice(MONTHS), year=rng.randint(2012, 2023))
            para.append(s)
        text = " ".join(para) + "\n\n"
        parts.append(text)
        size += len(text.encode("utf-8"))
    return "".join(parts)


# one size, in a fresh interpreter: RSS is read after loading and generating, then after extracting
CHILD = """
import gc, json, resource, sys, time
sys.path.insert(0, {bench!r})
from limits import generate
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline
limits = {{"max_report_bytes": None, "time_budget": None}}  # (no limits: what it costs is the point)
pipeline = Pipeline.from_options(Options(**{{k: v for k, v in limits.items() if k in Options.__dataclass_fields__}}))
gc.freeze()
pipeline.extract_text(generate(20_000, seed=1), published="2019-03-12")  # warm the memos
text = generate({n_bytes})
gc.collect()
scale = 1 if sys.platform == "darwin" else 1024
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
before = rss()
peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
t, c = time.perf_counter(), time.process_time()
events = pipeline.extract_article(Article("long", text, None, None))
wall, cpu = time.perf_counter() - t, time.process_time() - c
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
print(json.dumps({{"chars": len(text), "bytes": len(text.encode("utf-8")), "events": len(events),
                   "wall": wall, "cpu": cpu, "peak_delta": peak - max(before, peak_before) if peak > peak_before else 0,
                   "peak": peak, "base": before}}))
"""


def run_size(mb: float) -> dict[str, float]:
    code = CHILD.format(bench=str(Path(__file__).resolve().parent), n_bytes=int(mb * 1_000_000))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"{mb} MB run failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def profile(mb: float) -> None:
    """cProfile of one size in this process (the slowest functions by own time)."""
    import cProfile
    import gc
    import pstats

    from ahdath.pipeline import Options, Pipeline

    pipeline = Pipeline.from_options(Options())
    gc.freeze()
    text = generate(int(mb * 1_000_000))
    prof = cProfile.Profile()
    prof.enable()
    pipeline.extract_text(text, published="2019-03-12")
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,5,10", help="MB of UTF-8 text, comma-separated")
    ap.add_argument("--profile", type=float, default=None, metavar="MB",
                    help="instead, profile one size in this process")
    args = ap.parse_args(argv)
    if args.profile:
        profile(args.profile)
        return 0
    print(f"{'size':>6} {'chars':>10} {'events':>7} {'peak MB':>8} {'B/char':>7} {'s':>7} {'s/MB':>6}")
    for mb in (float(s) for s in args.sizes.split(",")):
        r = run_size(mb)
        per_mb = r["wall"] / (r["bytes"] / 1_000_000)
        print(f"{mb:>5g}M {r['chars']:>10,} {r['events']:>7,} {r['peak_delta'] / 2**20:>8.0f} "
              f"{r['peak_delta'] / r['chars']:>7.1f} {r['wall']:>7.1f} {per_mb:>6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
