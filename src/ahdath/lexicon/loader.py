"""Load, validate and merge lexicon files.

Validation collects every problem (file, entry id, field, value) before
failing, so ``ahdath lexicon check`` shows an editor all of them at once.
A user's lexicon folder is layered over the packaged one: an entry with the
same kind and id replaces the packaged entry, new ids are added.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from ahdath.errors import LexiconError
from ahdath.lexicon.morphology import Lemma, Reading, inflect_all, parse_lemma
from ahdath.lexicon.schema import COMMON, SCHEMAS, SUB_TO_TYPE, FieldSpec
from ahdath.lexicon.stems import stem_problem
from ahdath.text.normalize import norm

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is several times faster


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as strings.

    PyYAML turns "2019-13-01" into a ValueError that aborts the whole file; as a
    string it reaches ``_check_value`` and is reported against its entry.
    """

    yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
        for ch, rs in _Base.yaml_implicit_resolvers.items()
    }


def packaged_dir() -> Path:
    """The lexicon folder shipped inside the package."""
    return Path(str(resources.files("ahdath") / "data" / "lexicon" / "ar"))


@dataclass(frozen=True, slots=True)
class Entry:
    """One validated lexicon entry; ``forms`` are normalized (the written ones, then those
    its lemmas generate), ``raw_forms`` as written; ``readings``: how each generated form reads
    (tense, voice, future ...); a written form has none."""

    kind: str
    id: str
    forms: tuple[str, ...]
    raw_forms: tuple[str, ...]
    fields: Mapping[str, Any]
    provenance: str
    origin: str  # file it came from
    readings: Mapping[str, tuple[Reading, ...]] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All entries of one kind."""

    kind: str
    entries: tuple[Entry, ...]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def by_field(self, name: str) -> dict[Any, list[Entry]]:
        out: dict[Any, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.get(name), []).append(e)
        return out


@dataclass(frozen=True, slots=True)
class LexiconSet:
    """Every lexicon kind, loaded from the packaged folder plus user folders."""

    lexicons: Mapping[str, Lexicon]
    sources: tuple[str, ...] = field(default=())

    def __getitem__(self, kind: str) -> Lexicon:
        return self.lexicons.get(kind, Lexicon(kind, ()))

    def cue_forms(self, cue: str) -> tuple[str, ...]:
        """Normalized forms of every ``cues`` entry whose ``cue`` is ``cue``."""
        return tuple(f for e in self["cues"].entries if e.get("cue") == cue for f in e.forms)


def _check_value(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    typ, _required, allowed = spec
    if value is None:
        return None, None
    if typ == "str":
        if not isinstance(value, str) or not value.strip():
            return None, f"expected a non-empty string, got {value!r}"
    elif typ == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"expected an integer, got {value!r}"
    elif typ == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"expected a number, got {value!r}"
        value = float(value)
    elif typ == "bool":
        if not isinstance(value, bool):
            return None, f"expected true/false, got {value!r}"
    elif typ == "date":
        if isinstance(value, _dt.date):
            pass
        else:
            try:
                value = _dt.date.fromisoformat(str(value))
            except ValueError:
                return None, f"expected a date YYYY-MM-DD, got {value!r}"
    elif typ == "list[str]":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            return None, f"expected a non-empty list of strings, got {value!r}"
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                return None, f"{bad[0]!r} is not one of {sorted(map(str, allowed))}"
            return value, None
    elif typ == "lemmas":
        if not isinstance(value, list) or not value:
            return None, f"expected a non-empty list of lemmas, got {value!r}"
        return value, None  # each lemma is checked by ``_lemmas``
    if allowed is not None and value not in allowed:
        return None, f"{value!r} is not one of {sorted(map(str, allowed))}"
    return value, None


def _read_file(path: Path, problems: list[str]) -> list[Entry]:
    where = str(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{where}: cannot read: {exc}")
        return []
    except yaml.YAMLError as exc:
        problems.append(f"{where}: not valid YAML: {' '.join(str(exc).split())}")
        return []
    if not isinstance(doc, dict):
        problems.append(f"{where}: expected a mapping with 'lexicon' and 'entries'")
        return []
    kind = doc.get("lexicon")
    if kind not in SCHEMAS:
        problems.append(f"{where}: 'lexicon' must be one of {sorted(SCHEMAS)}, got {kind!r}")
        return []
    file_prov = doc.get("provenance")
    if file_prov is not None and (not isinstance(file_prov, str) or not file_prov.strip()):
        problems.append(f"{where}: 'provenance' must be a non-empty string, got {file_prov!r}")
        file_prov = None
    entries = doc.get("entries")
    if not isinstance(entries, list):
        problems.append(f"{where}: 'entries' must be a list")
        return []
    spec = {**COMMON, **SCHEMAS[kind]}
    out: list[Entry] = []
    for n, raw in enumerate(entries, 1):
        label = f"{where}: entry {n}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: expected a mapping, got {type(raw).__name__}")
            continue
        if isinstance(raw.get("id"), str):
            label = f"{where}: entry {n} ({raw['id']})"
        ok = True
        values: dict[str, Any] = {}
        for name in raw:
            if name not in spec:
                problems.append(f"{label}: unknown field {name!r} for lexicon {kind!r}")
                ok = False
        for name, fspec in spec.items():
            if name not in raw or raw[name] is None:
                if name == "forms" and raw.get("lemmas") is not None and "lemmas" in spec:
                    continue  # the lemmas give the forms
                if fspec[1]:
                    problems.append(f"{label}: missing required field {name!r}")
                    ok = False
                continue
            value, err = _check_value(fspec, raw[name])
            if err:
                problems.append(f"{label}: field {name!r}: {err}")
                ok = False
            values[name] = value
        prov = values.get("provenance") or file_prov
        if not prov:
            problems.append(f"{label}: no provenance (give it on the entry or the file)")
            ok = False
        if not ok:
            continue
        raw_forms = tuple(values.pop("forms", None) or ())
        forms = tuple(dict.fromkeys(norm(f.replace("_", " ").lstrip("#")) for f in raw_forms))
        if any(not f for f in forms):
            problems.append(f"{label}: a form is empty after normalization")
            continue
        if values.get("needs") is not None:
            needs = tuple(dict.fromkeys(norm(w) for w in values["needs"]))
            if any(len(w.split()) != 1 for w in needs):
                problems.append(f"{label}: field 'needs': each item must be one word")
                continue
            values["needs"] = needs
        elif values.get("needs_within") is not None:
            problems.append(f"{label}: 'needs_within' without 'needs'")
            continue
        readings: dict[str, tuple[Reading, ...]] = {}
        if values.get("lemmas") is not None:
            lemmas = _lemmas(values["lemmas"], label, problems)
            if lemmas is None:
                continue
            readings = inflect_all(lemmas)
            forms = tuple(dict.fromkeys(forms + tuple(readings)))
        out.append(Entry(kind, values.pop("id"), forms, raw_forms,
                         {k: v for k, v in values.items() if k not in ("provenance",)}, str(prov), where,
                         readings))
    return out


def _lemmas(specs: list[Any], label: str, problems: list[str]) -> list[Lemma] | None:
    """The parsed lemmas of an entry, or None (with every problem reported) when any is bad."""
    out: list[Lemma] = []
    bad = False
    for k, spec in enumerate(specs, 1):
        lemma, errs = parse_lemma(spec)
        for err in errs:
            problems.append(f"{label}: lemma {k}: {err}")
        if lemma is None:
            bad = True
        else:
            out.append(lemma)
    return None if bad else out


def _cross_checks(kind: str, entries: Sequence[Entry], problems: list[str], *, ids: bool = True) -> None:
    if ids:
        seen: dict[str, Entry] = {}
        for e in entries:
            other = seen.get(e.id)
            if other is not None:
                where = e.origin if other.origin == e.origin else f"{e.origin} (also in {other.origin})"
                problems.append(f"{where}: duplicate id {e.id!r} in lexicon {kind!r}")
            seen[e.id] = e
    if kind == "actors":
        _actor_checks(entries, problems)
    elif kind == "status":
        for e in entries:
            for sub in e.get("spares") or ():
                if sub not in SUB_TO_TYPE:
                    problems.append(f"{e.origin}: entry {e.id!r}: spares {sub!r}, which is not a sub-event type")
    elif kind in ("domains", "senses"):
        # their forms may hold stems ("مبارا*"), which other kinds do not read
        for e in entries:
            for f in e.forms:
                why = stem_problem(f)
                if why:
                    problems.append(f"{e.origin}: entry {e.id!r}: {why}")
            if kind == "senses" and e.get("before") is None and e.get("after") is None:
                problems.append(f"{e.origin}: entry {e.id!r}: give 'before', 'after' or both")
        if kind == "domains":
            # a domain cue counts once: a form in two entries would count twice or for two fields
            by_form: dict[str, Entry] = {}
            for e in entries:
                for f in e.forms:
                    other = by_form.setdefault(f, e)
                    if other is not e:
                        problems.append(f"{e.origin}: form {f!r} of {e.id!r} is also a form of {other.id!r}")
    elif kind in ("numbers", "time"):
        # one form, one value: the number and date readers cannot choose between two
        by_form: dict[str, Entry] = {}
        for e in entries:
            for f in e.forms:
                other = by_form.get(f)
                if other is not None and other.id != e.id:
                    problems.append(f"{e.origin}: form {f!r} of {e.id!r} is also a form of {other.id!r}")
                by_form[f] = e


def _actor_checks(entries: Sequence[Entry], problems: list[str]) -> None:
    from ahdath.geo.sources import load_admin_table

    units = {spec["name"] for country in load_admin_table().admin1.values() for spec in country.values()}
    by_form: dict[str, list[Entry]] = {}
    for e in entries:
        for a in e.get("areas") or ():
            if a not in units:
                problems.append(f"{e.origin}: entry {e.id!r}: area {a!r} is not a first-level unit of admin1.yaml")
        a0, a1 = e.get("active_from"), e.get("active_to")
        if a0 and a1 and a0 > a1:
            problems.append(f"{e.origin}: entry {e.id!r}: active_from is after active_to")
        for f in e.forms:
            by_form.setdefault(f, []).append(e)
    for f, es in by_form.items():
        for i, a in enumerate(es):
            for b in es[i + 1:]:
                a0, a1 = a.get("active_from") or _dt.date.min, a.get("active_to") or _dt.date.max
                b0, b1 = b.get("active_from") or _dt.date.min, b.get("active_to") or _dt.date.max
                # entries of different theatres are told apart by the report's country
                if a0 <= b1 and b0 <= a1 and a.get("priority", 0) == b.get("priority", 0) \
                        and a.get("country") == b.get("country"):
                    problems.append(f"{b.origin}: form {f!r} names both {a.id!r} and {b.id!r} in overlapping "
                                    "periods (give them different priority, periods or countries)")


def _collect(dirs: Iterable[Path], problems: list[str]) -> dict[str, dict[str, Entry]]:
    merged: dict[str, dict[str, Entry]] = {}
    for d in dirs:
        d = Path(d)
        if not d.is_dir():
            problems.append(f"{d}: lexicon folder not found")
            continue
        files = sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml"))
        if not files:
            problems.append(f"{d}: no *.yaml lexicon files")
        per_kind: dict[str, list[Entry]] = {}
        for path in files:
            for e in _read_file(path, problems):
                per_kind.setdefault(e.kind, []).append(e)
        for kind, entries in per_kind.items():
            _cross_checks(kind, entries, problems)
            layer = merged.setdefault(kind, {})
            for e in entries:
                layer[e.id] = e  # a later folder overrides by id
    return merged


def _validate(dirs: Sequence[Path]) -> tuple[dict[str, dict[str, Entry]], list[str]]:
    problems: list[str] = []
    merged = _collect(dirs, problems)
    if "actors" in merged:
        # a user's actor may clash with a packaged one that has another id
        _cross_checks("actors", list(merged["actors"].values()), problems, ids=False)
    if "senses" in merged:
        # a sense cue reads named trigger entries: a typo would silently read none
        known = set(merged.get("triggers", {}))
        for e in merged["senses"].values():
            for t in e.get("triggers") or ():
                if t not in known:
                    problems.append(f"{e.origin}: entry {e.id!r}: unknown trigger id {t!r}")
    if "triggers" in merged:
        # a trigger told only with a cue kind: a kind no cue has would silently drop it everywhere
        kinds = {str(e.get("cue")) for e in merged.get("cues", {}).values()}
        for e in merged["triggers"].values():
            kind = e.get("told_with")
            if kind is not None and kind not in kinds:
                problems.append(f"{e.origin}: entry {e.id!r}: told_with names no cue kind: {kind!r}")
    return merged, list(dict.fromkeys(problems))


def check_lexicons(extra_dirs: Sequence[Path] = ()) -> list[str]:
    """Every problem in the packaged lexicons plus ``extra_dirs``; empty when all is well."""
    merged, problems = _validate([packaged_dir(), *[Path(d) for d in extra_dirs]])
    problems += [f"lexicon kind {kind!r} has no entries" for kind in SCHEMAS if kind not in merged]
    return problems


def load_lexicons(extra_dirs: Sequence[Path] = ()) -> LexiconSet:
    """Load and validate; raise ``LexiconError`` listing every problem."""
    dirs = [packaged_dir(), *[Path(d) for d in extra_dirs]]
    merged, problems = _validate(dirs)
    if problems:
        raise LexiconError(f"{len(problems)} lexicon problem(s); first: {problems[0]}", problems=problems)
    return LexiconSet({k: Lexicon(k, tuple(v.values())) for k, v in merged.items()}, tuple(map(str, dirs)))
