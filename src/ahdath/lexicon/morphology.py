"""Arabic inflection of lexicon lemmas, worked out once when a lexicon loads.

A lexicon entry may declare lemmas beside (or instead of) surface forms::

    lemmas:
      - {root: شبك, form: 8}                 # a verb by root and form (وزن): اشتبك يشتبك اشتباك ...
      - {root: قتل, form: 1, masdar: [قتل]}  # form I: its verbal noun is not predictable, so it is listed
      - {root: عود, form: 10}                # hollow: استعاد يستعيد استعيد يستعاد استعادة ...
      - {root: خوف, form: 1, vowel: a}       # form I: the imperfect vowel (قال يقول, باع يبيع, خاف يخاف)
      - {noun: مظاهرة, plural: [مظاهرات]}    # a noun: dual, plurals, pronoun suffixes

Verb keys: ``root`` (three or four radicals; hamza as ء, weak radicals as و ي), ``form`` (1-8, 10;
1-2 for four radicals), ``vowel`` (form I's imperfect vowel a, i, u; a weak root defaults to its
weak letter's: قال يقول, رمى يرمي), ``masdar`` (form I: the verbal nouns, listed; derived forms:
the regular one unless a list or false is given), ``masdar_plural`` (default true: اشتباكات),
``masdar_suffixes`` (default false: a verbal noun with a pronoun, "اعتقاله", mostly recalls an act
told before), ``passive`` (default true; false for an intransitive verb), ``objects`` (object
pronouns on a transitive verb, default as ``passive``), ``imperfect`` (false where the present is
a homograph of another verb: form IV "يضرب" is form I "hits"), ``except`` (generated forms that
are common other words: "فجر" is dawn). Noun keys: ``noun``, ``plural`` (written out; a sound
masculine plural in the nominative), ``dual``, ``suffixes`` (both default true), ``except``.

News text is written without short vowels, so what is generated is the written skeleton: the
active and the passive of a sound verb are one string (قتل is قَتَل and قُتِل), and that string
carries both readings. Hollow, defective, doubled, assimilated and hamzated verbs write some
voices and persons differently, and those strings come from the rules of their class.

What a verb yields: the perfect and the imperfect of the third person (masculine and feminine
singular, dual, masculine plural), active and passive, the imperfect's subjunctive plural (يقصفوا),
object pronouns (اغتاله، استهدفتها), the future (س + imperfect: a plan, not a report, and marked
so), and the form's verbal noun, which inflects as a noun. A noun yields its singular, indefinite
accusative (هجوما), dual (both cases), plurals (a sound masculine plural gains its oblique), and
the third-person pronoun suffixes on singular and plural (جثته، سيطرتها). Each form carries its
readings (``Reading``: part, aspect, voice, future, suffix, number, indefinite accusative) for
later stages.

The proclitics (و ف ب ل ك ال لل) are not generated: ``ahdath.text.tokens.clitic_forms`` reads
them at match time for every lexicon, which keeps matchers small (``extract.mentions`` then keeps
a verb reading only under the clitics a verb takes). The first and second persons and the
feminine plural are left out: news reports are told in the third person, and each form left out
is a form that cannot match noise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ahdath.text.normalize import norm

_LETTERS = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+$")
_HAMZAS = str.maketrans({"أ": "ء", "إ": "ء", "ؤ": "ء", "ئ": "ء", "آ": "ء", "ى": "ي"})
_WEAK = "وي"
_UNSEATED = re.compile(r"(?<![اوي])ء|^ء")
# the third-person pronoun suffix: ه and its gender and number ending (ه ها هما هم هن)
_SUFFIXES = tuple("ه" + end for end in ("", "ا", "ما", "م", "ن"))  # اغتياله، سيطرتها، قصفهم
_OBJECTS = _SUFFIXES[:2] + _SUFFIXES[3:4]  # objects a transitive verb carries in news: اغتاله، استهدفتها، قصفهم
# the subject's number of each form ``_perfect`` and ``_imperfect`` give, in their order
_PERFECT_NUMBERS = ("singular", "singular", "dual", "dual", "plural")
_IMPERFECT_NUMBERS = _PERFECT_NUMBERS + ("plural",)
_VOWELS = {"a": "ا", "i": "ي", "u": "و"}
_FORMS = {3: (1, 2, 3, 4, 5, 6, 7, 8, 10), 4: (1, 2)}
_VERB_KEYS = frozenset({"root", "form", "vowel", "masdar", "masdar_plural", "masdar_suffixes", "passive", "objects",
                        "imperfect", "except", "note"})
_NOUN_KEYS = frozenset({"noun", "plural", "dual", "suffixes", "except", "note"})


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a generated form. ``part``: verb, masdar (a verbal noun) or noun."""

    part: str
    aspect: str | None = None  # perfect, imperfect (verbs)
    voice: str | None = None  # active, passive (verbs)
    future: bool = False  # س + imperfect: planned or threatened, not reported
    suffix: bool = False  # a pronoun suffix is attached (اغتياله: his assassination)
    number: str = "singular"  # of a noun, or of a verb's subject: singular, dual, plural
    indefinite_accusative: bool = False  # هجوما: takes neither the article nor a preposition


@dataclass(frozen=True, slots=True)
class VerbLemma:
    root: str  # radicals, hamza written ء, ى written ي
    form: int
    vowel: str  # the imperfect's stem vowel (form I): a, i or u
    masdar: tuple[str, ...] | None  # None: the form's regular verbal noun
    masdar_plural: bool
    masdar_suffixes: bool
    passive: bool  # transitive: a passive, and object pronouns unless ``objects`` is false
    objects: bool
    imperfect: bool
    exclude: tuple[str, ...]  # normalized forms not to produce (a homograph of a common word)


@dataclass(frozen=True, slots=True)
class NounLemma:
    noun: str
    plurals: tuple[str, ...]
    dual: bool
    suffixes: bool
    exclude: tuple[str, ...]


Lemma = VerbLemma | NounLemma
Readings = dict[str, tuple[Reading, ...]]


# -- parsing ----------------------------------------------------------------------------

def _word(value: Any) -> str | None:
    """A single Arabic word as written (diacritics dropped), or None."""
    if not isinstance(value, str):
        return None
    w = "".join(ch for ch in value.strip() if not ("\u064b" <= ch <= "\u065f" or ch in "\u0670\u0640"))
    return w if _LETTERS.match(w) else None


def _words(value: Any, what: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.append(f"{what}: expected a non-empty list of words, got {value!r}")
        return ()
    out = []
    for v in value:
        w = _word(v)
        if w is None:
            problems.append(f"{what}: {v!r} is not one Arabic word")
        else:
            out.append(w)
    return tuple(out)


def _flag(spec: Mapping[str, Any], key: str, default: bool, problems: list[str]) -> bool:
    value = spec.get(key, default)
    if not isinstance(value, bool):
        problems.append(f"{key!r}: expected true/false, got {value!r}")
        return default
    return value


def parse_lemma(spec: Any) -> tuple[Lemma | None, list[str]]:
    """A lemma from its YAML mapping, and every problem with it (the lemma is None when any)."""
    problems: list[str] = []
    if not isinstance(spec, dict):
        return None, [f"expected a mapping with 'root' and 'form', or 'noun', got {spec!r}"]
    if ("root" in spec) == ("noun" in spec):
        return None, ["give either 'root' (a verb, with 'form') or 'noun'"]
    keys = _VERB_KEYS if "root" in spec else _NOUN_KEYS
    for k in spec:
        if k not in keys:
            problems.append(f"unknown key {k!r} (allowed: {', '.join(sorted(keys))})")
    exclude = tuple(norm(w) for w in _words(spec["except"], "'except'", problems)) if "except" in spec else ()
    lemma: Lemma | None
    if "root" in spec:
        lemma = _parse_verb(spec, exclude, problems)
    else:
        noun = _word(spec["noun"])
        if noun is None:
            problems.append(f"'noun': {spec['noun']!r} is not one Arabic word")
        plurals = _words(spec["plural"], "'plural'", problems) if "plural" in spec else ()
        dual, suffixes = _flag(spec, "dual", True, problems), _flag(spec, "suffixes", True, problems)
        lemma = NounLemma(noun, plurals, dual, suffixes, exclude) if noun else None
    if lemma is not None and exclude:
        made = inflect(lemma, exclude=False)
        problems += [f"'except': {w!r} is not a form of this lemma" for w in exclude if w not in made]
    return (None if problems else lemma), problems


def _parse_verb(spec: Mapping[str, Any], exclude: tuple[str, ...], problems: list[str]) -> VerbLemma | None:
    raw = _word(spec["root"])
    root = raw.translate(_HAMZAS) if raw else ""
    if len(root) not in _FORMS:
        problems.append(f"'root': {spec['root']!r} is not a root of three or four letters")
        return None
    if "ا" in root or "ة" in root:
        problems.append(f"'root': {spec['root']!r} holds a letter that is no radical (ا ة): write the weak "
                        "radical (و ي) or the hamza (ء)")
        return None
    form = spec.get("form")
    if isinstance(form, bool) or not isinstance(form, int) or form not in _FORMS[len(root)]:
        allowed = ", ".join(map(str, _FORMS[len(root)]))
        problems.append(f"'form': {form!r} is not a form of a {len(root)}-letter root (one of {allowed})")
        return None
    vowel = spec.get("vowel")
    if vowel is not None and vowel not in _VOWELS:
        problems.append(f"'vowel': {vowel!r} is not one of a, i, u")
    if vowel is not None and form != 1:
        problems.append("'vowel' is the imperfect vowel of form I; derived forms have fixed vowels")
    if vowel is None:  # the usual class of each weak root: قال يقول، باع يبيع، دعا يدعو، رمى يرمي
        weak = root[1] if _hollow(root, form) else root[2] if root[2] in _WEAK else ""
        vowel = {"و": "u", "ي": "i"}.get(weak, "a")
    masdar: tuple[str, ...] | None = None
    if "masdar" in spec:
        m = spec["masdar"]
        if m is False:
            masdar = ()
        elif m is True:
            masdar = None
        else:
            masdar = _words(m, "'masdar'", problems)
    elif form == 1 and len(root) == 3:
        problems.append("'masdar': form I verbal nouns are not predictable: list them, or write masdar: false")
    passive = _flag(spec, "passive", True, problems)
    objects = _flag(spec, "objects", passive, problems)
    imperfect = _flag(spec, "imperfect", True, problems)
    plural = _flag(spec, "masdar_plural", True, problems)
    suffixes = _flag(spec, "masdar_suffixes", False, problems)
    return VerbLemma(root, form, str(vowel), masdar, plural, suffixes, passive, objects, imperfect, exclude)


# -- verbs ------------------------------------------------------------------------------

def _hollow(root: str, form: int) -> bool:
    # forms II, III, V, VI keep a weak middle radical as a consonant (قوّم، عاون)
    return len(root) == 3 and root[1] in _WEAK and root[2] not in _WEAK and form in (1, 4, 7, 8, 10)


def _seat(c: str, seat: str) -> str:
    """A radical as written: hamza on the seat its vowel context gives (أ ئ ؤ), others as they are."""
    return seat if c == "ء" else c


@dataclass(frozen=True, slots=True)
class _Stems:
    perfect: str  # third person masculine singular
    imperfect: str  # what follows the person prefix
    passive_perfect: str
    passive_imperfect: str
    masdar: tuple[str, ...]
    defective: bool  # ends in a weak letter that inflection drops or changes
    dual_w: str  # the letter a defective perfect shows before the dual ending (رميا، دعوا)


def _ifta(c1: str) -> tuple[str, str]:
    """Form VIII: the first radical and the infixed ت as written, after assimilation."""
    if c1 in "وي":
        return "", "ت"  # اتّصل
    if c1 == "ت":
        return "", "ت"  # اتّبع
    if c1 in "طد":
        return c1, ""  # اطّلع، ادّعى
    if c1 in "صضظ":
        return c1, "ط"  # اصطدم، اضطرّ
    if c1 in "زذ":
        return c1, "د"  # ازدحم
    return _seat(c1, "ئ"), "ت"  # اغتال، ائتلف


def _stems(v: VerbLemma) -> _Stems:
    r = v.root
    if len(r) == 4:
        c1, c2, c3, c4 = r
        base = c1 + c2 + c3 + c4
        if v.form == 1:  # سيطر يسيطر سيطرة
            return _Stems(base, base, base, base, (base + "ة",), False, "")
        return _Stems("ت" + base, "ت" + base, "ت" + base, "ت" + base, ("ت" + base,), False, "")
    c1, c2, c3 = r
    f = v.form
    hollow = _hollow(r, f)
    defective = c3 in _WEAK
    doubled = c2 == c3 and f in (1, 4, 7, 8, 10)
    assimilated = c1 == "و"
    a = _seat(c3, "أ")  # a final hamza after a fatha
    i = _seat(c3, "ئ")  # ... after a kasra
    if f == 1:
        vowel = _VOWELS[v.vowel]
        h1 = _seat(c1, "أ")
        h2 = _seat(c2, "أ")
        lead = "" if assimilated and v.vowel != "u" else h1  # وقع يقع
        # the passive imperfect keeps a first و (يُوجَد), the active drops it
        if doubled:
            return _Stems(c1 + c2, lead + c2, c1 + c2, h1 + c2, (), False, "")
        if hollow:
            return _Stems(c1 + "ا" + c3, lead + vowel + c3, c1 + "ي" + c3, h1 + "ا" + c3, (), False, "")
        if defective:
            end = {"u": "ا", "i": "ى", "a": "ي"}[v.vowel]  # دعا، رمى، نسي
            impf_end = {"u": "و", "i": "ي", "a": "ى"}[v.vowel]
            return _Stems(h1 + c2 + end, lead + c2 + impf_end, h1 + c2 + "ي", h1 + c2 + "ى", (), True,
                          "و" if v.vowel == "u" else "ي")
        last = i if v.vowel == "i" else a
        return _Stems(h1 + h2 + a, lead + h2 + last, h1 + _seat(c2, "ئ") + i, h1 + h2 + a, (), False, "")
    if f == 2:
        if defective:
            return _Stems(c1 + c2 + "ى", c1 + c2 + "ي", c1 + c2 + "ي", c1 + c2 + "ى", ("ت" + c1 + c2 + "ية",),
                          True, "ي")
        return _Stems(c1 + c2 + a, c1 + c2 + i, c1 + c2 + i, c1 + c2 + a, ("ت" + c1 + c2 + "ي" + c3,), False, "")
    if f == 3:
        if defective:
            return _Stems(c1 + "ا" + c2 + "ى", c1 + "ا" + c2 + "ي", c1 + "و" + c2 + "ي", c1 + "ا" + c2 + "ى",
                          ("م" + c1 + "ا" + c2 + "اة",), True, "ي")
        return _Stems(c1 + "ا" + c2 + a, c1 + "ا" + c2 + i, c1 + "و" + c2 + i, c1 + "ا" + c2 + a,
                      ("م" + c1 + "ا" + c2 + c3 + "ة",), False, "")
    if f == 4:
        if c1 == "ء":  # آمن يؤمن إيمان
            return _Stems("آ" + c2 + c3, "ؤ" + c2 + c3, "أو" + c2 + c3, "ؤ" + c2 + c3, ("إي" + c2 + "ا" + c3,),
                          False, "")
        if doubled:  # أمدّ يمدّ إمداد
            return _Stems("أ" + c1 + c2, c1 + c2, "أ" + c1 + c2, c1 + c2, ("إ" + c1 + c2 + "ا" + c3,), False, "")
        if hollow:  # أقام يقيم أقيم يقام إقامة
            return _Stems("أ" + c1 + "ا" + c3, c1 + "ي" + c3, "أ" + c1 + "ي" + c3, c1 + "ا" + c3,
                          ("إ" + c1 + "ا" + c3 + "ة",), False, "")
        if defective:  # ألقى يلقي إلقاء; أولى إيلاء
            masdar = "إي" + c2 + "اء" if assimilated else "إ" + c1 + c2 + "اء"
            return _Stems("أ" + c1 + c2 + "ى", c1 + c2 + "ي", "أ" + c1 + c2 + "ي", c1 + c2 + "ى", (masdar,), True, "ي")
        masdar = "إي" + c2 + "ا" + c3 if assimilated else "إ" + c1 + c2 + "ا" + (c3 if c3 != "ء" else "ء")
        return _Stems("أ" + c1 + c2 + a, c1 + c2 + i, "أ" + c1 + c2 + i, c1 + c2 + a, (masdar,), False, "")
    if f == 5:
        if defective:  # تلقّى يتلقّى تلقٍّ
            return _Stems("ت" + c1 + c2 + "ى", "ت" + c1 + c2 + "ى", "ت" + c1 + c2 + "ي", "ت" + c1 + c2 + "ى",
                          ("ت" + c1 + c2 + "ي",), True, "ي")
        return _Stems("ت" + c1 + c2 + a, "ت" + c1 + c2 + a, "ت" + c1 + c2 + i, "ت" + c1 + c2 + a,
                      ("ت" + c1 + c2 + a,), False, "")
    if f == 6:
        if defective:
            return _Stems("ت" + c1 + "ا" + c2 + "ى", "ت" + c1 + "ا" + c2 + "ى", "ت" + c1 + "و" + c2 + "ي",
                          "ت" + c1 + "ا" + c2 + "ى", ("ت" + c1 + "ا" + c2 + "ي",), True, "ي")
        return _Stems("ت" + c1 + "ا" + c2 + a, "ت" + c1 + "ا" + c2 + a, "ت" + c1 + "و" + c2 + i,
                      "ت" + c1 + "ا" + c2 + a, ("ت" + c1 + "ا" + c2 + a,), False, "")
    if f == 7:
        if doubled:  # انشقّ ينشقّ انشقاق
            return _Stems("ان" + c1 + c2, "ن" + c1 + c2, "ان" + c1 + c2, "ن" + c1 + c2,
                          ("ان" + c1 + c2 + "ا" + c3,), False, "")
        if hollow:  # انقاد ينقاد انقياد
            return _Stems("ان" + c1 + "ا" + c3, "ن" + c1 + "ا" + c3, "ان" + c1 + "ي" + c3, "ن" + c1 + "ا" + c3,
                          ("ان" + c1 + "يا" + c3,), False, "")
        if defective:
            return _Stems("ان" + c1 + c2 + "ى", "ن" + c1 + c2 + "ي", "ان" + c1 + c2 + "ي", "ن" + c1 + c2 + "ى",
                          ("ان" + c1 + c2 + "اء",), True, "ي")
        return _Stems("ان" + c1 + c2 + a, "ن" + c1 + c2 + i, "ان" + c1 + c2 + i, "ن" + c1 + c2 + a,
                      ("ان" + c1 + c2 + "ا" + c3,), False, "")
    if f == 8:
        k, t = _ifta(c1)
        if doubled:  # احتجّ يحتجّ احتجاج
            return _Stems("ا" + k + t + c2, k + t + c2, "ا" + k + t + c2, k + t + c2,
                          ("ا" + k + t + c2 + "ا" + c3,), False, "")
        if hollow:  # اغتال يغتال اغتيل اغتيال
            return _Stems("ا" + k + t + "ا" + c3, k + t + "ا" + c3, "ا" + k + t + "ي" + c3, k + t + "ا" + c3,
                          ("ا" + k + t + "يا" + c3,), False, "")
        if defective:  # اعتدى يعتدي اعتداء
            return _Stems("ا" + k + t + c2 + "ى", k + t + c2 + "ي", "ا" + k + t + c2 + "ي", k + t + c2 + "ى",
                          ("ا" + k + t + c2 + "اء",), True, "ي")
        return _Stems("ا" + k + t + c2 + a, k + t + c2 + i, "ا" + k + t + c2 + i, k + t + c2 + a,
                      ("ا" + k + t + c2 + "ا" + c3,), False, "")
    # form X
    if doubled:  # استمرّ يستمرّ استمرار
        return _Stems("است" + c1 + c2, "ست" + c1 + c2, "است" + c1 + c2, "ست" + c1 + c2,
                      ("است" + c1 + c2 + "ا" + c3,), False, "")
    if hollow:  # استعاد يستعيد استعيد يستعاد استعادة
        return _Stems("است" + c1 + "ا" + c3, "ست" + c1 + "ي" + c3, "است" + c1 + "ي" + c3, "ست" + c1 + "ا" + c3,
                      ("است" + c1 + "ا" + c3 + "ة",), False, "")
    if defective:  # استدعى يستدعي استدعاء; استولى استيلاء
        masdar = "استي" + c2 + "اء" if assimilated else "است" + c1 + c2 + "اء"
        return _Stems("است" + c1 + c2 + "ى", "ست" + c1 + c2 + "ي", "است" + c1 + c2 + "ي", "ست" + c1 + c2 + "ى",
                      (masdar,), True, "ي")
    masdar = "استي" + c2 + "ا" + c3 if assimilated else "است" + c1 + c2 + "ا" + c3
    return _Stems("است" + c1 + c2 + a, "ست" + c1 + c2 + i, "است" + c1 + c2 + i, "ست" + c1 + c2 + a,
                  (masdar,), False, "")


def _perfect(stem: str, defective: bool, dual_w: str, passive: bool) -> list[str]:
    """3ms, 3fs, 3md, 3fd, 3mp of a perfect stem."""
    if not defective:
        return [stem, stem + "ت", stem + "ا", stem + "تا", stem + "وا"]
    d = stem[:-1]
    if passive or stem.endswith("ي"):  # رُمي رُميت رُميا رُموا; نسي نسيت نسيا نسوا
        return [d + "ي", d + "يت", d + "يا", d + "يتا", d + "وا"]
    return [stem, d + "ت", d + dual_w + "ا", d + "تا", d + "وا"]  # رمى رمت رميا رمتا رموا


def _imperfect(stem: str) -> list[str]:
    """3ms, 3fs, 3md, 3fd, 3mp and the subjunctive/jussive 3mp of an imperfect stem."""
    if stem[-1] in "يوى":  # يرمي يرميان يرمون، يدعو يدعوان يدعون، يتلقى يتلقيان يتلقون
        d, w = stem[:-1], ("ي" if stem[-1] == "ى" else stem[-1])
        return ["ي" + stem, "ت" + stem, "ي" + d + w + "ان", "ت" + d + w + "ان", "ي" + d + "ون", "ي" + d + "وا"]
    return ["ي" + stem, "ت" + stem, "ي" + stem + "ان", "ت" + stem + "ان", "ي" + stem + "ون", "ي" + stem + "وا"]


def _with_object(word: str) -> list[str]:
    """An active verb with an object pronoun (اغتاله، اغتالته، اغتالوه، ألقاه، يستهدفها)."""
    if word.endswith("وا"):
        word = word[:-1]  # the plural's silent alif goes before a pronoun
    elif word.endswith("ى"):
        word = word[:-1] + "ا"
    return [word + o for o in _OBJECTS]


def _verb(v: VerbLemma) -> list[tuple[str, Reading]]:
    s = _stems(v)
    out: list[tuple[str, Reading]] = []
    perfect = _perfect(s.perfect, s.defective, s.dual_w, False)
    out += [(w, Reading("verb", "perfect", "active", number=n)) for w, n in zip(perfect, _PERFECT_NUMBERS)]
    if v.passive:
        passive = _perfect(s.passive_perfect, s.defective, s.dual_w, True)
        out += [(w, Reading("verb", "perfect", "passive", number=n)) for w, n in zip(passive, _PERFECT_NUMBERS)]
    if v.objects:  # a transitive verb's object may be a pronoun
        out += [(w, Reading("verb", "perfect", "active", suffix=True, number=_PERFECT_NUMBERS[k]))
                for k in (0, 1, 4) for w in _with_object(perfect[k])]
    voices = [("active", s.imperfect)] + ([("passive", s.passive_imperfect)] if v.passive else [])
    for voice, stem in voices:
        for w, n in zip(_imperfect(stem), _IMPERFECT_NUMBERS):
            if v.imperfect:
                out.append((w, Reading("verb", "imperfect", voice, number=n)))
            # the future is generated even where the present is not: it marks a plan, which
            # blocks the words of the incident it announces ("ستشن الطائرات غارات")
            out.append(("س" + w, Reading("verb", "imperfect", voice, future=True, number=n)))
    if v.imperfect:
        if v.objects:
            out += [(w, Reading("verb", "imperfect", "active", suffix=True))
                    for p in _imperfect(s.imperfect)[:2] for w in _with_object(p)]
    masdars = s.masdar if v.masdar is None else v.masdar
    derived = v.masdar is None
    for m in masdars:
        # the verbal nouns of the derived forms take the sound feminine plural (اشتباكات، اعتداءات)
        plural = (m[:-1] + "ات" if m.endswith("ة") else m + "ات",) if derived or m.endswith("ة") else ()
        out += _noun(m, plural if v.masdar_plural else (), True, v.masdar_suffixes, "masdar")
    return out


# -- nouns ------------------------------------------------------------------------------

def _with_suffixes(stem: str, part: str, number: str) -> list[tuple[str, Reading]]:
    if stem.endswith("ة"):
        stems = [stem[:-1] + "ت"]  # مظاهرة -> مظاهرتهم
    elif stem.endswith("اء"):
        stems = [stem[:-1] + seat for seat in ("ؤ", "ئ", "ء")]  # إلقاؤه، إلقائه، إلقاءه
    elif stem.endswith("ى"):
        stems = [stem[:-1] + "ا"]  # فتوى -> فتواه
    else:
        stems = [stem]
    return [(s + suf, Reading(part, suffix=True, number=number)) for s in stems for suf in _SUFFIXES]


def _noun(sg: str, plurals: Iterable[str], dual: bool, suffixes: bool, part: str) -> list[tuple[str, Reading]]:
    r = Reading(part)
    out = [(sg, r)]
    if not sg.endswith(("ة", "ا", "ى", "ء")):
        out.append((sg + "ا", Reading(part, indefinite_accusative=True)))  # هجوما، انتحاريا
    if dual and not sg.endswith(("ى", "ا")):
        base = sg[:-1] + "ت" if sg.endswith("ة") else sg
        du = Reading(part, number="dual")
        out += [(base + "ان", du), (base + "ين", du)]
    pls: list[str] = []
    for p in plurals:
        pls.append(p)
        if p.endswith("ون"):
            pls.append(p[:-2] + "ين")  # the oblique of a sound masculine plural
    out += [(p, Reading(part, number="plural")) for p in pls]
    if suffixes:
        out += _with_suffixes(sg, part, "singular")
        # a sound masculine plural drops its ن before a pronoun (متظاهروهم): rare in news, left out
        for p in pls:
            if not p.endswith(("ون", "ين")):
                out += _with_suffixes(p, part, "plural")
    return out


# -- all together -----------------------------------------------------------------------

def inflect(lemma: Lemma, *, exclude: bool = True) -> Readings:
    """Normalized form -> its readings, in generation order (deterministic)."""
    pairs = _verb(lemma) if isinstance(lemma, VerbLemma) else _noun(
        lemma.noun, lemma.plurals, lemma.dual, lemma.suffixes, "noun")
    out: dict[str, list[Reading]] = {}
    for raw, reading in pairs:
        # a radical hamza the stem rules left unseated sits on alif, except after a long vowel
        # (اعتداءات); قرأ + ا is written قرآ
        form = norm(_UNSEATED.sub("أ", raw).replace("أا", "آ"))
        rs = out.setdefault(form, [])
        if reading not in rs:
            rs.append(reading)
    if exclude and lemma.exclude:
        for w in lemma.exclude:
            out.pop(w, None)
    return {f: tuple(rs) for f, rs in out.items()}


def inflect_all(lemmas: Iterable[Lemma]) -> Readings:
    """The forms of several lemmas, readings of a shared form merged."""
    out: dict[str, tuple[Reading, ...]] = {}
    for lemma in lemmas:
        for form, rs in inflect(lemma).items():
            have = out.get(form, ())
            out[form] = have + tuple(r for r in rs if r not in have)
    return out


def only_future(readings: Iterable[Reading]) -> bool:
    """Whether every reading of a form is a future (a form read another way may report an event)."""
    rs = list(readings)
    return bool(rs) and all(r.future for r in rs)
