"""Field comparisons of SCORING.md: place names, governorates, actor keys.

All word lists come from ``ahdath/data/evaluate/*.yaml``; ``Rules.packaged()``
compiles them once.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ahdath.errors import EvaluationError
from ahdath.text.normalize import norm

if TYPE_CHECKING:
    from ahdath.lexicon import LexiconSet

_NOT_LATIN = re.compile(r"[^a-z]")
_NAME_SPLIT = re.compile(r"[\s\-_]+")
MIN_CONTAIN = 3  # shorter names would "contain" each other by accident
ARTICLE_MIN_WORD = 4  # "ال" is stripped only from words longer than three letters


def data_dir() -> Path:
    """Folder of the packaged scoring data files."""
    return Path(str(resources.files("ahdath") / "data" / "evaluate"))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EvaluationError(f"cannot read scoring data: {exc}".splitlines()[0], source=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("provenance"), str):
        raise EvaluationError("scoring data must be a mapping with a provenance string", source=str(path))
    return data


@dataclass(frozen=True, slots=True)
class PlaceRules:
    """Arabic place-name equivalence and governorate spelling variants."""

    prefixes: frozenset[str]
    article: str
    admin1_variants: Mapping[str, str]  # folded spelling -> canonical governorate
    admin1_suffix: re.Pattern[str]
    home_country: str = "Syria"

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "PlaceRules":
        adm = data["admin1"]
        variants = {v: canon for canon, vs in adm["variants"].items() for v in vs}
        suffix = re.compile("(" + "|".join(map(re.escape, adm["suffixes"])) + ")$")
        loc = data["location"]
        return cls(frozenset(norm(p) for p in loc["prefixes"]), norm(loc["article"]), variants, suffix,
                   data.get("home_country", "Syria"))

    def name_key(self, name: str | None) -> str:
        """Comparable form of an Arabic place name (see SCORING.md)."""
        if not name:
            return ""
        words = norm(name).split(" ")
        if len(words) > 1 and words[0] in self.prefixes:
            words = words[1:]
        art = self.article
        parts = (w for w in _NAME_SPLIT.split(" ".join(words)) if w)
        return "".join(w[len(art):] if w.startswith(art) and len(w) >= ARTICLE_MIN_WORD else w for w in parts)

    def same_place(self, pred: str | None, gold: str | None) -> bool:
        """Equal names, or one contains the other (both at least three letters)."""
        a, b = self.name_key(pred), self.name_key(gold)
        if not a or not b:
            return False
        return a == b or (min(len(a), len(b)) >= MIN_CONTAIN and (a in b or b in a))

    def admin1_key(self, name: str | None) -> str | None:
        """Canonical governorate for any accepted spelling; unknown names fold to letters a-z."""
        if not name:
            return None
        k = _NOT_LATIN.sub("", unicodedata.normalize("NFKD", name).lower())
        k = self.admin1_suffix.sub("", k)
        return self.admin1_variants.get(k, k)


@dataclass(frozen=True, slots=True)
class ActorKeys:
    """ACLED-style actor names to guideline keys: known keys, keyword rules, then exact names."""

    keys: frozenset[str]
    rules: tuple[tuple[str, str], ...]  # (lower-cased keyword, key), first match wins
    names: Mapping[str, str] = field(default_factory=dict)  # casefolded exact name -> key
    other_prefix: str = "OTHER:"

    @classmethod
    def from_data(cls, data: Mapping[str, Any], names: Mapping[str, str] | None = None) -> "ActorKeys":
        rules = tuple((str(kw).lower(), str(key)) for kw, key in data["rules"])
        keys = frozenset(k for _, k in rules) | frozenset(data.get("keys", ()))
        return cls(keys, rules, dict(names or {}), str(data.get("other_prefix", "OTHER:")))

    def with_names(self, names: Iterable[tuple[str, str]]) -> "ActorKeys":
        """A copy that also maps these exact ``(name, key)`` pairs (used after the keyword rules)."""
        merged = dict(self.names)
        for name, key in names:
            merged.setdefault(name.casefold().strip(), key)
        return ActorKeys(self.keys | frozenset(merged.values()), self.rules, merged, self.other_prefix)

    def with_lexicons(self, lexicons: "LexiconSet") -> "ActorKeys":
        """Add the ``name -> key`` pairs of an actor lexicon (``LexiconSet``)."""
        pairs = [(str(e.get("name")), str(e.get("key"))) for e in lexicons["actors"].entries
                 if e.get("name") and e.get("key")]
        return self.with_names(pairs)

    def key(self, name: str | None) -> str | None:
        if not name:
            return None
        if name in self.keys or name.startswith(self.other_prefix):
            return name
        low = name.lower()
        for needle, key in self.rules:
            if needle in low:
                return key
        # the keyword rules come first so figures agree with the reference scorer
        # wherever it recognises a name; the lexicon only adds names it does not
        return self.names.get(name.casefold().strip(), self.other_prefix + name)


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything the scorer compares with."""

    places: PlaceRules
    actors: ActorKeys

    @classmethod
    def from_dir(cls, folder: Path) -> "Rules":
        places = _read_yaml(folder / "places.yaml")
        actors = _read_yaml(folder / "actor_keys.yaml")
        try:
            return cls(PlaceRules.from_data(places), ActorKeys.from_data(actors))
        except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
            raise EvaluationError(f"malformed scoring data: {exc!r}", source=str(folder)) from exc

    @classmethod
    def packaged(cls) -> "Rules":
        return _packaged()

    def with_lexicons(self, lexicons: "LexiconSet") -> "Rules":
        return Rules(self.places, self.actors.with_lexicons(lexicons))


@lru_cache(maxsize=1)
def _packaged() -> Rules:
    return Rules.from_dir(data_dir())
