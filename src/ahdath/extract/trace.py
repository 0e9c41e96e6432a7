"""What the engine left out or folded, and why: the record ``ahdath extract --explain`` prints.

Stages append ``Decision`` records to a list the caller passes in (None: nothing is kept, at
no cost). Offsets are into the original report text, like evidence spans.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Decision:
    """One candidate dropped or folded. ``stage`` names the module that decided."""

    stage: str  # status | domain | sense | assemble | merge | history | confidence
    action: str  # dropped | folded
    subject: str  # what it was about: a sub-event type, or an event's summary
    reason: str
    start: int  # the words it was about, in the original text
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "action": self.action, "subject": self.subject, "reason": self.reason,
                "start": self.start, "end": self.end, "text": self.text}
