"""Deduplication rules: the data in ``ahdath/data/store/dedup.yaml``, loaded and validated.

``DedupRules.from_data`` reports every problem of a rules file at once (one ``StoreError``),
so a user editing the file sees all their mistakes in one run.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ahdath.errors import StoreError
from ahdath.text.normalize import norm

SCORE_PARTS = ("type", "date", "place", "actors", "fatalities")
SCORE_FACTORS = ("compatible_type", "coarse_place", "named_place", "swapped_actors", "generic_actor",
                 "unknown_actors", "actor2_differs", "approximate_date", "undated", "kin_date", "same_state",
                 "archived")
_FIELDS = ("provenance", "max_days", "max_km", "undated_window_days", "kin_containment", "sub_event_types",
           "compatible_sub_event_types", "unordered_actor_types", "generic_actors", "state_forces", "score")
MAX_WINDOW_DAYS = 31  # an undated event is filed under each day of its window: a month at most
# grid cells span twice max_km, so the circle around a point touches about 4 cells, not 9: fewer
# lookups, and at conflict-event densities the bigger cells rarely hold more candidates


def data_path() -> Path:
    """The packaged rules file."""
    return Path(str(resources.files("ahdath") / "data" / "store" / "dedup.yaml"))


def _fold(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()) if text else ""


def _fold_place(text: str | None) -> str:
    # the project's normalizer folds Arabic spelling variants (hamza, ta marbuta) of names as written
    return " ".join(norm(text).casefold().split()) if text else ""


@dataclass(frozen=True, slots=True)
class DedupRules:
    """Validated rules of ``dedup.yaml`` (see the file's header for what each field means)."""

    max_days: int
    max_km: float
    undated_window_days: int  # an undated event happened within this many days up to its report's day
    kin_containment: float  # share of wording that makes two reports one story retold
    event_type_of: Mapping[str, str]  # sub-event type -> event type
    partners: Mapping[str, frozenset[str]]  # sub-event type -> compatible sub-event types (itself excluded)
    unordered_actor_types: frozenset[str]
    generic_actor: re.Pattern[str]  # matches folded generic actor names
    state_forces: tuple[re.Pattern[str], ...]  # folded names of a state's forces; group "state" is the state
    weights: Mapping[str, float]
    factors: Mapping[str, float]
    provenance: str
    source: str | None = None
    # answers of ``is_generic_actor`` by name: the same few dozen actor names are asked about for
    # every event a store merges (a cache, not part of the rules)
    _generic_memo: dict[str | None, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_data(cls, path: Path | str | None = None) -> "DedupRules":
        """Load and validate the rules file (default: the packaged ``dedup.yaml``)."""
        where = Path(path) if path is not None else data_path()
        try:
            data = yaml.safe_load(where.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise StoreError(f"cannot read dedup rules: {exc}".splitlines()[0], source=str(where)) from exc
        return cls.from_mapping(data, source=str(where))

    @classmethod
    def from_mapping(cls, data: Any, source: str | None = None) -> "DedupRules":
        """Validate parsed rules; a ``StoreError`` lists every problem found, not just the first."""
        problems = _problems(data)
        if problems:
            n = len(problems)
            raise StoreError(f"invalid dedup rules ({n} problem{'s' if n > 1 else ''}): " + "; ".join(problems),
                             source=source)
        event_type_of = {sub: et for et, subs in data["sub_event_types"].items() for sub in subs}
        partners: dict[str, set[str]] = {}
        for a, b in data["compatible_sub_event_types"]:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        alternatives = [re.escape(_fold(t)).replace(re.escape("{country}"), r"[^()]+") for t in data["generic_actors"]]
        generic = re.compile("(?:" + "|".join(alternatives) + ")" if alternatives else "(?!)")
        # one pattern a name: a group name may occur once in a pattern, and each names the state
        state_forces = tuple(re.compile(re.escape(_fold(t)).replace(re.escape("{state}"), "(?P<state>.+)"))
                             for t in data["state_forces"])
        score = data["score"]
        return cls(max_days=int(data["max_days"]), max_km=float(data["max_km"]),
                   undated_window_days=int(data["undated_window_days"]),
                   kin_containment=float(data["kin_containment"]),
                   event_type_of=MappingProxyType(event_type_of),
                   partners=MappingProxyType({k: frozenset(v) for k, v in partners.items()}),
                   unordered_actor_types=frozenset(data["unordered_actor_types"]), generic_actor=generic,
                   state_forces=state_forces,
                   weights=MappingProxyType({k: float(score["weights"][k]) for k in SCORE_PARTS}),
                   factors=MappingProxyType({k: float(score[k]) for k in SCORE_FACTORS}),
                   provenance=data["provenance"], source=source)

    def compatible_sub_event_types(self, sub_event_type: str) -> frozenset[str]:
        """The sub-event types an event of this sub-event type may merge with, itself included."""
        return self.partners.get(sub_event_type, frozenset()) | {sub_event_type}

    def compatible_event_types(self, event_type: str) -> frozenset[str]:
        """Event types whose events may merge with one of ``event_type`` (for the candidate query)."""
        out = {event_type}
        for sub, et in self.event_type_of.items():
            if et == event_type:
                out.update(self.event_type_of.get(p, et) for p in self.partners.get(sub, ()))
        return frozenset(out)

    def state_of(self, name: str | None) -> str | None:
        """The state whose forces ``name`` names ("syria (2000-2024)"), else None."""
        folded = _fold(name)
        for pattern in self.state_forces if folded else ():
            m = pattern.fullmatch(folded)
            if m:
                return m.group("state")
        return None

    def is_generic_actor(self, name: str | None) -> bool:
        """Empty, or a name that says the actor is not known (agrees with any actor)."""
        known = self._generic_memo.get(name)
        if known is None:
            folded = _fold(name)
            known = not folded or self.generic_actor.fullmatch(folded) is not None
            if len(self._generic_memo) < 100_000:
                self._generic_memo[name] = known
        return known


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _problems(data: Any) -> list[str]:
    if not isinstance(data, Mapping):
        return ["the file must be a mapping of fields (provenance, max_days, max_km, ...)"]
    out = [f"unknown field '{k}'" for k in data if k not in _FIELDS]
    out += [f"missing field '{k}'" for k in _FIELDS if k not in data]
    if "provenance" in data and not (isinstance(data["provenance"], str) and data["provenance"].strip()):
        out.append("provenance must be a non-empty string")
    md = data.get("max_days")
    if "max_days" in data and not (isinstance(md, int) and not isinstance(md, bool) and md >= 0):
        out.append(f"max_days must be an integer >= 0, got {md!r}")
    mk = data.get("max_km")
    if "max_km" in data and not (_is_number(mk) and mk > 0):
        out.append(f"max_km must be a number > 0, got {mk!r}")
    wd = data.get("undated_window_days")
    if "undated_window_days" in data and not (isinstance(wd, int) and not isinstance(wd, bool)
                                              and 0 <= wd <= MAX_WINDOW_DAYS):
        out.append(f"undated_window_days must be an integer from 0 to {MAX_WINDOW_DAYS}, got {wd!r}")
    kc = data.get("kin_containment")
    if "kin_containment" in data and not (_is_number(kc) and 0 < kc <= 1):
        out.append(f"kin_containment must be a number above 0 and at most 1, got {kc!r}")
    known_subs: set[str] = set()
    known_types: set[str] = set()
    types = data.get("sub_event_types")
    if "sub_event_types" in data:
        if not isinstance(types, Mapping) or not types:
            out.append("sub_event_types must map each event type to its list of sub-event types")
        else:
            for et, subs in types.items():
                known_types.add(str(et))
                if not isinstance(subs, list) or not subs or not all(isinstance(s, str) and s for s in subs):
                    out.append(f"sub_event_types.{et} must be a non-empty list of names, got {subs!r}")
                    continue
                for s in subs:
                    if s in known_subs:
                        out.append(f"sub-event type '{s}' is listed twice in sub_event_types")
                    known_subs.add(s)
    pairs = data.get("compatible_sub_event_types")
    if "compatible_sub_event_types" in data:
        if not isinstance(pairs, list):
            out.append("compatible_sub_event_types must be a list of pairs")
            pairs = []
        for n, pair in enumerate(pairs, 1):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)):
                out.append(f"compatible_sub_event_types #{n} must be a pair of names, got {pair!r}")
                continue
            if pair[0] == pair[1]:
                out.append(f"compatible_sub_event_types #{n} pairs '{pair[0]}' with itself")
            out += [f"compatible_sub_event_types #{n}: unknown sub-event type '{s}'"
                    for s in pair if known_subs and s not in known_subs]
    unordered = data.get("unordered_actor_types")
    if "unordered_actor_types" in data:
        if not isinstance(unordered, list) or not all(isinstance(t, str) for t in unordered):
            out.append(f"unordered_actor_types must be a list of event types, got {unordered!r}")
        else:
            out += [f"unordered_actor_types: unknown event type '{t}'"
                    for t in unordered if known_types and t not in known_types]
    generic = data.get("generic_actors")
    if "generic_actors" in data:
        if not isinstance(generic, list) or not all(isinstance(g, str) and g.strip() for g in generic):
            out.append(f"generic_actors must be a list of non-empty names, got {generic!r}")
        else:
            out += [f"generic_actors: '{g}' has a placeholder other than {{country}}"
                    for g in generic if re.search(r"\{(?!country\})", g)]
    forces = data.get("state_forces")
    if "state_forces" in data:
        if not isinstance(forces, list) or not all(isinstance(g, str) and g.count("{state}") == 1 for g in forces):
            out.append(f"state_forces must be a list of names, each holding {{state}} once, got {forces!r}")
    if "score" in data:
        out += _score_problems(data["score"])
    return out


def _score_problems(score: Any) -> list[str]:
    if not isinstance(score, Mapping):
        return ["score must be a mapping (weights and factors)"]
    allowed = {"weights", *SCORE_FACTORS}
    out = [f"unknown field 'score.{k}'" for k in score if k not in allowed]
    weights = score.get("weights")
    if not isinstance(weights, Mapping):
        out.append(f"score.weights must map {', '.join(SCORE_PARTS)} to numbers")
    else:
        out += [f"unknown field 'score.weights.{k}'" for k in weights if k not in SCORE_PARTS]
        for k in SCORE_PARTS:
            if k not in weights:
                out.append(f"missing field 'score.weights.{k}'")
            elif not (_is_number(weights[k]) and weights[k] >= 0):
                out.append(f"score.weights.{k} must be a number >= 0, got {weights[k]!r}")
        if all(_is_number(weights.get(k)) for k in SCORE_PARTS) and sum(weights[k] for k in SCORE_PARTS) <= 0:
            out.append("score.weights must not all be 0")
    for k in SCORE_FACTORS:
        if k not in score:
            out.append(f"missing field 'score.{k}'")
        elif not (_is_number(score[k]) and 0 <= score[k] <= 1):
            out.append(f"score.{k} must be a number between 0 and 1, got {score[k]!r}")
    cp = score.get("coarse_place")
    if _is_number(cp) and cp >= 0.5:
        # two precise places at max_km score 0.5; a coarse match must rank below any of them
        out.append(f"score.coarse_place must be below 0.5 (a precise place at max_km scores 0.5), got {cp!r}")
    return out
