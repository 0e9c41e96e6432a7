"""``manifest.json``: what a batch output holds and how it was made.

Inputs with their hashes, the engine, lexicon and gazetteer versions, the reading settings, the
partitions finished (the ``_parts`` records summarised), counts and wall time per run. A re-run
of the same command reads it to check that the output folder was made with the same versions and
settings (mixing two would make one dataset of two engines) and skips the finished partitions.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ahdath.batch.plan import PlannedInput
from ahdath.batch.worker import Settings
from ahdath.batch.write import atomic_text
from ahdath.errors import UsageError
from ahdath.provenance import tree_digest

FORMAT = 1
NAME = "manifest.json"


def versions(settings: Settings) -> dict[str, str]:
    """The engine's version and digests of the lexicons and gazetteer a run reads."""
    from ahdath import __version__

    data = Path(__file__).resolve().parents[1] / "data"
    return {"engine": __version__,
            "lexicon": tree_digest([data / "lexicon", *map(Path, settings.lexicon_dirs)]),
            "gazetteer": tree_digest([data / "gazetteer", *map(Path, settings.gazetteer_paths)]),
            "dedup_rules": tree_digest([data / "store" / "dedup.yaml"])}


def read(out: Path) -> dict[str, Any] | None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: not a folder (--out names the output folder)")
    path = out / NAME
    if not path.exists():
        return None
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable batch manifest ({exc})") from None
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        raise UsageError(f"{path}: not a batch manifest of this ahdath (format {FORMAT})")
    return found


def check_same(previous: dict[str, Any] | None, made: dict[str, str], settings: Settings, out: Path) -> None:
    """Refuse to add to an output made by other versions or settings: its events would not be one dataset."""
    if previous is None:
        return
    if previous.get("versions") != made:
        raise UsageError(f"{out} holds the output of another engine, lexicon or gazetteer "
                         f"({previous.get('versions')}); give a new --out")
    if previous.get("settings") != settings.as_dict():
        raise UsageError(f"{out} holds the output of other reading settings ({previous.get('settings')}); "
                         "give a new --out")


def build(previous: dict[str, Any] | None, made: dict[str, str], settings: Settings,
          inputs: Sequence[PlannedInput], records: dict[str, dict[str, Any]], run: dict[str, Any]) -> dict[str, Any]:
    known = {i["url"]: i for i in (previous or {}).get("inputs", [])}
    for i in inputs:
        known[i.url] = {"url": i.url, "sha256": i.sha256, "size": i.size, "partitions": i.partitions}
    parts = {pid: {k: r.get(k) for k in ("input", "mode", "start", "end", "reports", "events", "failed", "seconds",
                                         "cpu_s", "worker")} for pid, r in sorted(records.items())}
    counts = {"partitions": len(parts), "reports": sum(p["reports"] for p in parts.values()),
              "events": sum(p["events"] for p in parts.values()),
              "failures": sum(p["failed"] for p in parts.values())}
    return {"format": FORMAT, "versions": made, "settings": settings.as_dict(), "inputs": list(known.values()),
            "counts": counts, "partitions": parts, "runs": [*(previous or {}).get("runs", []), run]}


def write(out: Path, manifest: dict[str, Any]) -> None:
    atomic_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", out / NAME)


def write_failures(out: Path, records: dict[str, dict[str, Any]]) -> int:
    """``failures.jsonl``: every failed line of every finished partition (input, line, reason), in input order."""
    rows = sorted((f for r in records.values() for f in r.get("failures", ())),
                  key=lambda f: (f["input_no"], f["line"], f["source"]))
    atomic_text("".join(json.dumps({"input": f["input"], "line": f["line"], "code": f["code"],
                                    "reason": f["reason"]}, ensure_ascii=False) + "\n" for f in rows),
                out / "failures.jsonl")
    return len(rows)
