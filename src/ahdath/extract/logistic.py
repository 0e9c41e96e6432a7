"""The two small logistic models of the engine (confidence, sentence status) read their weights
the same way: a YAML file with ``bias``, ``weights`` by feature name and, for a gate, a
``threshold``; every feature must be one the model computes. One reader, one squashing."""
from __future__ import annotations

import math
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from ahdath.errors import LexiconError

_CLIP = 30.0  # log-odds past this are certain enough; exp() stays finite


def read_weights(path: Path, what: str, known: Collection[str]) -> tuple[dict[str, float], float, dict[str, Any]]:
    """(weights, bias, the whole document) of the model file ``path``; ``what`` names it in errors."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in (doc.get("weights") or {}).items()}
        bias = float(doc.get("bias") or 0.0)
    except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        raise LexiconError(f"{what} {path} is unreadable: {exc}") from exc
    unknown = sorted(set(weights) - set(known))
    if unknown:
        raise LexiconError(f"{what} {path}: unknown features {unknown}")
    return weights, bias, doc


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-_CLIP, min(_CLIP, z))))
