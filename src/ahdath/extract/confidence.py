"""Confidence: the share of events like this one that the scorer finds right.

``extract.record`` scores each record's evidence (a strong trigger, how its clause ties it to an
occasion, a named agent and target, a resolved place, its own day, a stated toll); merging adds
a little for each mention folded in. That score orders events but is not a probability. This
stage reads it with what the final record shows (which fields have words behind them, how the
place was found, the kind of event, how many incidents the report tells) through a logistic
model whose weights are data (``data/confidence.yaml``, fitted on the shared corpora by
``benchmarks/calibration.py --fit``), so that 0.8 means "right about 8 times in 10". Every
feature has a name, so ``ahdath extract --explain`` can say what raised or lowered it.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Mapping

from ahdath.extract.logistic import read_weights, sigmoid
from ahdath.model import Event

_LO, _HI = 0.01, 0.99  # no event is certain, none impossible
_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots")


def _tag(e: Event, tag: str) -> bool:
    return tag in (e.tags or "")


# name -> what it reads off a record (and the number of events of its report)
FEATURES: dict[str, Callable[[Event, int], float]] = {
    "evidence": lambda e, n: e.confidence,
    "agent_named": lambda e, n: float("actor1" in e.evidence.spans),
    "target_named": lambda e, n: float("actor2" in e.evidence.spans),
    "agent_unknown": lambda e, n: float(e.actor1 is None or e.actor1.startswith("Unidentified")),
    "civilians_hit": lambda e, n: float((e.actor2 or "").startswith("Civilians")),
    "own_day": lambda e, n: float("date" in e.evidence.spans),
    "toll": lambda e, n: float("fatalities" in e.evidence.spans),
    "mentions": lambda e, n: float(min(len(e.evidence.spans.get("trigger", ())), 3) - 1),
    "place_from_context": lambda e, n: float(_tag(e, "place_from_context")),
    "place_unresolved": lambda e, n: float(_tag(e, "unresolved_place") or _tag(e, "no_place")),
    "place_coarse": lambda e, n: float((e.geo_precision or 3) >= 3),
    "no_governorate": lambda e, n: float(e.admin1 is None),
    "report_incidents": lambda e, n: min(n, 10) / 10,
    **{f"type:{t}": (lambda t: lambda e, n: float(e.event_type == t))(t) for t in _TYPES},
}


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """Logistic weights over ``FEATURES``; empty weights report the evidence score as it is."""

    weights: Mapping[str, float]
    bias: float = 0.0

    @classmethod
    def identity(cls) -> "ConfidenceModel":
        """No model: the evidence score is the confidence (what ``--fit`` starts from)."""
        return cls({})

    @classmethod
    def packaged(cls) -> "ConfidenceModel":
        return cls.from_path(Path(str(resources.files("ahdath") / "data" / "confidence.yaml")))

    @classmethod
    def from_path(cls, path: Path) -> "ConfidenceModel":
        weights, bias, _doc = read_weights(path, "confidence model", FEATURES)
        return cls(weights, bias)

    def features(self, e: Event, n_events: int) -> dict[str, float]:
        return {name: FEATURES[name](e, n_events) for name in self.weights}

    def contributions(self, e: Event, n_events: int) -> list[tuple[str, float]]:
        """Each feature's share of the log-odds, largest first (what ``--explain`` prints)."""
        parts = [(k, round(self.weights[k] * v, 3)) for k, v in self.features(e, n_events).items() if v]
        return sorted(parts, key=lambda kv: -abs(kv[1]))

    def __call__(self, e: Event, n_events: int) -> float:
        if not self.weights:
            return e.confidence
        # (each feature read as ``features`` reads them, in the same order, with no dict between)
        z = self.bias + sum(w * FEATURES[k](e, n_events) for k, w in self.weights.items())
        p = sigmoid(z)
        return round(min(_HI, max(_LO, p)), 3)
