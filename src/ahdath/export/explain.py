"""``ahdath extract --explain``: per report, what came out and what was left out, and why.

Plain text for people, one block per report: each event kept (with what raised or lowered its
confidence), then each candidate dropped or folded, with the stage that decided, its reason and
the words of the report it was about (original text, offsets into it).
"""
from __future__ import annotations

from typing import Sequence, TextIO

from ahdath.extract.trace import Decision
from ahdath.model import Event

_WORDS = 90  # characters of the report shown per line


def _snippet(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= _WORDS else one[:_WORDS - 1] + "…"


def write_explanation(article_id: str, events: Sequence[Event], decisions: Sequence[Decision],
                      contributions: Sequence[Sequence[tuple[str, float]]], out: TextIO) -> None:
    """``contributions``: per event, the features that moved its confidence (largest first)."""
    out.write(f"== {article_id}: {len(events)} event(s), {len(decisions)} candidate(s) left out or folded\n")
    for e, parts in zip(events, contributions):
        why = ", ".join(f"{k} {v:+.2f}" for k, v in parts[:4])
        out.write(f"  kept     {e.event_id}  {e.sub_event_type} at {e.location_ar or '?'} on {e.event_date or '?'}"
                  f"  confidence {e.confidence}  ({why})\n")
    for d in decisions:
        out.write(f"  {d.action:8} {d.stage:10} {d.subject}: {d.reason}\n"
                  f"           [{d.start}:{d.end}] {_snippet(d.text)}\n")
