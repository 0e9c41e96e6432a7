"""Score predicted events against gold annotations (``corpus/SCORING.md``)."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from ahdath.errors import EvaluationError
from ahdath.evaluate.assignment import max_weight_matching
from ahdath.evaluate.rules import Rules

# SCORING.md weights: a compatible pair is worth 1, plus these bonuses
W_LOCATION, W_SUBTYPE, W_ACTOR = 0.5, 0.25, 0.25
DIGITS = 3


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """Counts for one report (the ``--detail`` lines)."""

    article_id: str
    pred: int
    gold: int
    matched: int
    strict: int


@dataclass(frozen=True, slots=True)
class Scores:
    """The summary figures, named and rounded as the reference scorer prints them."""

    articles: int
    gold_events: int
    pred_events: int
    matched: int
    event_p: float
    event_r: float
    event_f1: float
    strict_f1: float
    sub_event_acc: float
    location_acc: float
    actors_acc: float
    date_acc: float
    date_n: int
    fatalities_acc: float
    fatalities_n: int
    relevance_f1: float
    relevance_p: float
    relevance_r: float
    per_article: tuple[ArticleScore, ...] = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict[str, int | float]:
        """Summary fields in print order (``per_article`` left out)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "per_article"}

    def summary_line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.as_dict().items())


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Gold annotations by report id, from every ``*.json`` in ``gold_dir`` (sorted by file name)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvaluationError("gold folder not found", source=str(gold_dir))
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise EvaluationError("no *.json gold files", source=str(gold_dir))
    golds: dict[str, dict[str, Any]] = {}
    for f in files:
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EvaluationError(f"unreadable gold file: {_one_line(exc)}", source=str(f)) from exc
        if not isinstance(d, dict) or "id" not in d or not isinstance(d.get("events"), list):
            raise EvaluationError("gold file needs an 'id' and an 'events' list", source=str(f))
        if not all(isinstance(e, dict) and "event_type" in e for e in d["events"]):
            raise EvaluationError("every gold event needs an 'event_type'", source=str(f))
        golds[str(d["id"])] = d
    return golds


def read_predictions(path: Path | str) -> Iterator[dict[str, Any]]:
    """Events from a JSONL file (``-`` reads stdin); blank lines are skipped."""
    name = str(path)
    try:
        if name == "-":
            lines: Iterable[str] = sys.stdin
        else:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"unreadable predictions: {_one_line(exc)}", source=name) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"line {n}: bad JSON ({exc.msg})", source=name) from exc
        if not isinstance(e, dict):
            raise EvaluationError(f"line {n}: an event must be a JSON object", source=name)
        yield e


def read_ids(path: Path) -> set[str]:
    """Whitespace-separated report ids."""
    try:
        return set(Path(path).read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"unreadable id list: {_one_line(exc)}", source=str(path)) from exc


def _one_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _date(s: Any) -> date | None:
    try:
        return date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


def _pred_date(p: Mapping[str, Any]) -> date | None:
    return _date(p.get("event_date") or p.get("date"))


def _pred_loc(p: Mapping[str, Any]) -> str:
    return p.get("location_ar") or p.get("location") or ""


class _Judge:
    """Pairwise comparisons for one run, with the rules bound once."""

    def __init__(self, rules: Rules) -> None:
        self.places = rules.places
        self.actors = rules.actors
        self.home = rules.places.home_country.strip().lower()

    def compatible(self, p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
        if p.get("event_type") != g["event_type"]:
            return False
        gc = (g.get("country") or self.places.home_country).strip().lower()
        if gc != self.home:
            # abroad, province spellings vary too much: the country decides
            if (p.get("country") or "").strip().lower() != gc:
                return False
        else:
            ga = self.places.admin1_key(g.get("admin1"))
            if ga and self.places.admin1_key(p.get("admin1")) != ga:
                return False
        gd = _date(g.get("date"))
        if gd:
            pd = _pred_date(p)
            if not pd or abs((pd - gd).days) > 1:
                return False
        return True

    def actor_set(self, e: Mapping[str, Any]) -> set[str]:
        return {k for k in (self.actors.key(e.get("actor1")), self.actors.key(e.get("actor2"))) if k is not None}

    def same_place(self, p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
        return self.places.same_place(_pred_loc(p), g.get("location_ar"))

    def weight(self, p: Mapping[str, Any], g: Mapping[str, Any]) -> float:
        w = 1.0
        w += W_LOCATION * self.same_place(p, g)
        w += W_SUBTYPE * (p.get("sub_event_type") == g.get("sub_event_type"))
        w += W_ACTOR * (self.actors.key(p.get("actor1")) in self.actor_set(g))
        return w

    def match(self, preds: list[dict[str, Any]], golds: list[dict[str, Any]],
              strict: bool = False) -> list[tuple[int, int]]:
        if not preds or not golds:
            return []
        weights = [[self.weight(p, g) if self.compatible(p, g) and (not strict or self.same_place(p, g)) else 0.0
                    for g in golds] for p in preds]
        return max_weight_matching(weights)


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _as_event_dict(e: Any) -> dict[str, Any]:
    if isinstance(e, dict):
        return e
    if hasattr(e, "to_dict"):  # ahdath.model.Event straight from the pipeline
        return e.to_dict()
    raise EvaluationError(f"a prediction must be a mapping, not {type(e).__name__}")


def matched_flags(golds: Mapping[str, Mapping[str, Any]], predictions: Iterable[Any], *,
                  rules: Rules | None = None) -> list[bool | None]:
    """Per prediction, in order: whether the scorer matches it to a gold event (None for a
    report without gold). What a confidence table is measured against."""
    judge = _Judge(rules or Rules.packaged())
    preds = [_as_event_dict(e) for e in predictions]
    by_article: dict[str, list[int]] = {}
    for k, e in enumerate(preds):
        by_article.setdefault(str(e.get("article_id")), []).append(k)
    flags: list[bool | None] = [None] * len(preds)
    for aid, ks in by_article.items():
        g = golds.get(aid)
        if g is None:
            continue
        pairs = judge.match([preds[k] for k in ks], list(g["events"]))
        hit = {i for i, _j in pairs}
        for i, k in enumerate(ks):
            flags[k] = i in hit
    return flags


def score(gold_dir: Path, predictions: Iterable[Any], ids: set[str] | None = None, *,
          rules: Rules | None = None) -> Scores:
    """Score ``predictions`` (event dicts or ``Event``s) against the gold in ``gold_dir``."""
    return score_gold(load_gold(gold_dir), predictions, ids, rules=rules)


def score_gold(golds: Mapping[str, Mapping[str, Any]], predictions: Iterable[Any], ids: set[str] | None = None,
               *, rules: Rules | None = None) -> Scores:
    """Like ``score`` with gold already loaded (``load_gold``)."""
    judge = _Judge(rules or Rules.packaged())
    if ids is not None:
        golds = {k: v for k, v in golds.items() if k in ids}
    preds: dict[str, list[dict[str, Any]]] = {k: [] for k in golds}
    for raw in predictions:
        e = _as_event_dict(raw)
        bucket = preds.get(str(e.get("article_id")))
        if bucket is not None:  # events of reports without gold are not scored
            bucket.append(e)

    tp = tps = npred = ngold = sub = loc = act = date_n = date_ok = fat_n = fat_ok = 0
    rel = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    detail: list[ArticleScore] = []
    for aid, g in golds.items():
        P, G = preds[aid], list(g["events"])
        npred += len(P)
        ngold += len(G)
        pr, gr = bool(P), bool(g.get("relevant", bool(G)))
        rel["tp" if pr and gr else "fp" if pr else "fn" if gr else "tn"] += 1
        pairs = judge.match(P, G)
        strict = len(judge.match(P, G, strict=True))
        tp += len(pairs)
        tps += strict
        for i, j in pairs:
            p, ge = P[i], G[j]
            sub += p.get("sub_event_type") == ge.get("sub_event_type")
            loc += judge.same_place(p, ge)
            pa, ga = judge.actor_set(p), judge.actor_set(ge)
            # the predicted pair must cover the gold pair (at most two actors each)
            act += pa == ga or (ga <= pa and len(pa) <= 2)
            if ge.get("date"):
                date_n += 1
                date_ok += _pred_date(p) == _date(ge["date"])
            if ge.get("fatalities") is not None:
                fat_n += 1
                fat_ok += p.get("fatalities") == ge["fatalities"]
        detail.append(ArticleScore(aid, len(P), len(G), len(pairs), strict))

    ep, er, ef = _prf(tp, npred, ngold)
    _, _, sf = _prf(tps, npred, ngold)
    rp, rr, rf = _prf(rel["tp"], rel["tp"] + rel["fp"], rel["tp"] + rel["fn"])
    denom = max(tp, 1)
    return Scores(
        articles=len(golds), gold_events=ngold, pred_events=npred, matched=tp,
        event_p=round(ep, DIGITS), event_r=round(er, DIGITS), event_f1=round(ef, DIGITS),
        strict_f1=round(sf, DIGITS),
        sub_event_acc=round(sub / denom, DIGITS), location_acc=round(loc / denom, DIGITS),
        actors_acc=round(act / denom, DIGITS),
        date_acc=round(date_ok / max(date_n, 1), DIGITS), date_n=date_n,
        fatalities_acc=round(fat_ok / max(fat_n, 1), DIGITS), fatalities_n=fat_n,
        relevance_f1=round(rf, DIGITS), relevance_p=round(rp, DIGITS), relevance_r=round(rr, DIGITS),
        per_article=tuple(detail),
    )
