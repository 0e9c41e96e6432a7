"""Scoring extracted events against gold annotations, as ``corpus/SCORING.md`` defines it."""
from ahdath.evaluate.assignment import max_weight_matching, min_cost_assignment
from ahdath.evaluate.rules import ActorKeys, PlaceRules, Rules
from ahdath.evaluate.scoring import (
    ArticleScore,
    Scores,
    load_gold,
    matched_flags,
    read_ids,
    read_predictions,
    score,
    score_gold,
)

__all__ = [
    "ActorKeys", "ArticleScore", "PlaceRules", "Rules", "Scores", "load_gold", "max_weight_matching",
    "matched_flags", "min_cost_assignment", "read_ids", "read_predictions", "score", "score_gold",
]
