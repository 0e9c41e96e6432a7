"""Victim lists after a death word: counts, singular and dual person nouns joined by "و"
("امرأتان وأربعة أطفال" = 6), the counted subject before a plural verb ("13 شخصا ... قتلوا"),
a count before a death noun ("ستة قتلى"). Numbers that are not people (years, kilometres,
the wounded) never enter a list."""
from __future__ import annotations

from ahdath.resolve import death_forms
from ahdath.resolve.fatality_cues import (
    DEATH_NOUN_SINGLE, HURT, INDEFINITE, KILLED_AND_INJURED, LEFT_STOP, LIST_ADD, LIST_STOP, MODS, NON_PERSON,
    OTHERS, SUBSET, VICTIM, VICTIM_DUAL, VICTIM_ONE, VICTIM_SINGLE,
)
from ahdath.resolve.fatality_window import Cue, Figure, Item, Window
from ahdath.text.numbers import NumberMention

# How many words a list item ("مقاتلين من كتائب المعارضة السورية") may run before "و" adds the next one.
_ITEM_SPAN = 7
# How many words of a subject may stand between a death verb and its counted victims.
_SUBJECT_SPAN = 3
# How far left a plural death verb looks for its counted subject.
_LEFT_SPAN = 10
_ACCUSATIVE = "ا"  # the indefinite accusative ending: "شخصا" is the object of the verb, not its subject


def person_ok(w: Window, m: NumberMention) -> bool:
    """The number counts people: not years, kilometres, the wounded or the captured."""
    if m.value <= 0 or m.first in w.consumed:
        return False
    if m.first in w.nouns:
        return True  # "قتل مدنيان اليوم": a dual is its own noun, whatever word follows
    # after punctuation the next word is not what the number counts ("قتل اثنان، اليوم")
    nxt = w.cue_at.get(m.last) if m.last < w.last and w.gap(m.last) <= 1 else None
    if nxt is not None and OTHERS in nxt.cues:  # "5 آخرين بجروح": what follows "others" tells
        end = nxt.last
        nxt = w.cue_at.get(end) if end < w.last and w.gap(end) <= 1 else None
    if nxt is not None and not nxt.cues.isdisjoint({NON_PERSON, KILLED_AND_INJURED}):
        return False
    if nxt is not None and not nxt.conj and not nxt.cues.isdisjoint(HURT):
        return False  # "20 جريحا"; "وأصيب" after it starts a new clause
    after = w.cue_at.get(m.last + 1) if nxt is None and m.last + 1 < w.last and w.gap(m.last) <= 1 else None
    if after is not None and not after.conj and not after.cues.isdisjoint(HURT):
        return False  # "5 آخرين بجروح"
    text = w.tokens[m.first].text
    if m.last == m.first + 1 and len(text) == 4 and text.isdigit() and 1900 <= m.value <= 2100:
        # a year unless people follow ("2000 شخص")
        return nxt is not None and not nxt.cues.isdisjoint({VICTIM, VICTIM_SINGLE})
    return True


def item(w: Window, i: int) -> Item | None:
    """A victim-list entry starting at token ``i``: a count, or one singular victim."""
    i = w.skip_mods(i)
    if i >= w.last:
        return None
    m = w.num_at.get(i)
    if m is not None:
        # "عشرات": a vague plural is no figure (ACLED)
        ok = not m.vague and person_ok(w, m)
        return Item(m.value, False, m.first, (m.start, m.end), m.last) if ok else None
    c = w.cue_at.get(i)
    if c is None:
        tok = w.tokens[i]
        if death_forms.nisba_dual(tok.text):  # "فلسطينيان", "مدنيتان": a dual of any nisba noun
            return Item(2, False, i, (tok.start, tok.end), i + 1)
        return None
    if VICTIM_SINGLE in c.cues or (VICTIM_ONE in c.cues and not c.definite):
        return Item(1, True, i, (c.start, c.end), c.last)
    if VICTIM_DUAL in c.cues:
        return Item(2, False, i, (c.start, c.end), c.last)
    if VICTIM in c.cues and c.cues.isdisjoint(HURT):  # "إصابة ستة" is no victim list
        m = w.num_at.get(c.last)  # "مقتل الشبان الثلاثة": a number word after the noun
        if m is not None and not w.tokens[m.first].text[0].isdigit() and person_ok(w, m):
            return Item(m.value, False, m.first, (m.start, m.end), m.last)
    return None


def _next_item(w: Window, i: int, stop: int) -> Item | None:
    """The next entry joined by "و" or "إضافة إلى" within a few words of ``i``."""
    k, words = i, 0
    while k < stop and words < _ITEM_SPAN:
        c = w.cue_at.get(k)
        if c is not None and LIST_ADD in c.cues:
            return item(w, c.last)
        if k > w.first and w.gap(k) > 1:
            # punctuation ends the list, unless "إضافة إلى" carries it on, an item joined by
            # "و" follows it ("مقتل 21 من عناصر النظام، و14 آخرين") or it is the comma of
            # "طفلة، امرأتان وأربعة أطفال" (an item followed by a "و" item)
            tok = w.tokens[k].text
            if tok == "و" and k + 1 < stop and w.gap(k + 1) <= 1:
                return item(w, k + 1)
            it = item(w, k)
            if it is not None and it.end <= stop and tok[0] == "و" and len(tok) > 1:
                return it
            if it is not None and it.end < stop and _next_item_joined(w, it.end, stop):
                return it
            return None
        tok = w.tokens[k].text
        m = w.num_at.get(k)
        if m is not None:
            joined = w.conj_before(k) or (tok[0] == "و" and m.start > w.tokens[k].start)
            return item(w, k) if joined else None
        if tok == "و":
            return item(w, k + 1)
        if c is not None:
            if c.conj and not c.cues.isdisjoint(MODS | {VICTIM_SINGLE, VICTIM_ONE, VICTIM_DUAL}):
                return item(w, k)
            if not c.cues.isdisjoint(LIST_STOP):
                return None
            if not c.cues.isdisjoint(MODS):
                k = c.last
                continue
        if tok[0] == "و":
            return None  # "واعتقال", "ودمار": a new coordinated phrase
        k += 1
        words += 1
    return None


def _next_item_joined(w: Window, i: int, stop: int) -> bool:
    """An item joined by "و" follows right after token ``i`` (no punctuation)."""
    if i >= stop or w.gap(i) > 1:
        return False
    tok = w.tokens[i].text
    if tok == "و":
        return item(w, i + 1) is not None
    m = w.num_at.get(i)
    c = w.cue_at.get(i)
    if m is not None:
        return tok[0] == "و" and m.start > w.tokens[i].start and item(w, i) is not None
    return c is not None and c.conj and item(w, i) is not None


def victims(w: Window, i: int, stop: int, cue: Cue) -> Figure | None:
    """The victim list a death word governs, starting at token ``i``."""
    i = w.skip_mods(i)
    if i >= stop or w.has(i, INDEFINITE):
        return None
    it = item(w, i)
    if it is None:
        it = _item_after_subject(w, i, stop)
    items: list[Item] = []
    while it is not None and it.end <= stop:
        items.append(it)
        it = _next_item(w, it.end, stop)
    if not items:
        return None
    spans = ((cue.start, cue.end), *(x.span for x in items))
    return Figure(sum(x.value for x in items), all(x.implied for x in items),
                   frozenset(x.key for x in items), spans)


def _item_after_subject(w: Window, i: int, stop: int) -> Item | None:
    """"قتلت القوات الأمريكية 6 أشخاص": a count of people after a short subject; "قتلت القوات
    الأمريكية شخصا": one person, the object by its accusative ending.

    Only a number followed by a person noun qualifies, so a date or a
    place after the verb ("قتل في 15 آذار") is never taken for victims.
    """
    for k in range(i, min(i + _SUBJECT_SPAN + 1, stop)):
        if w.gap(k) > 1 and k > i:
            return None
        m = w.num_at.get(k)
        if m is not None:
            if k == i or not w.has(m.last, frozenset({VICTIM, VICTIM_SINGLE})):
                return None
            return item(w, k)
        c = w.cue_at.get(k)
        if c is not None and k > i and VICTIM_SINGLE in c.cues and w.tokens[c.last - 1].text.endswith(_ACCUSATIVE):
            return item(w, k)
        if c is not None or w.tokens[k].text[0] == "و":
            return None
    return None


def left(w: Window, c: Cue) -> Figure | None:
    """"13 شخصا بينهم نساء قتلوا": the counted subject before a plural death verb."""
    lo = max(w.first, c.first - _LEFT_SPAN)
    k = c.first - 1
    if k >= w.first and w.gap(k + 1) > 1:
        return None
    while k >= lo:
        m = w.num_end.get(k + 1)
        if m is not None:
            sub = w.cue_end.get(m.first)
            if sub is not None and SUBSET in sub.cues:
                k = sub.first - 1  # "بينهم 4": part of an earlier count
                continue
            head = _list_head(w, m, lo)
            return victims(w, head.first, c.first, c)
        p = w.cue_end.get(k + 1)
        if p is not None:
            if INDEFINITE in p.cues or not p.cues.isdisjoint(LEFT_STOP):
                return None
            k = p.first - 1
            continue
        k -= 1
    return None


def _list_head(w: Window, m: NumberMention, lo: int) -> NumberMention:
    """Walk back over "و"-joined counts to the first ("امرأتان وأربعة أطفال")."""
    while True:
        tok = w.tokens[m.first].text
        joined = w.conj_before(m.first) or (tok[0] == "و" and m.start > w.tokens[m.first].start)
        if not joined:
            return m
        prev = None
        for k in range(m.first - 1, max(lo, m.first - _ITEM_SPAN) - 1, -1):
            if w.has(k, LIST_STOP):
                break
            prev = w.num_end.get(k)
            if prev is not None:
                break
        if prev is None:
            return m
        m = prev


def noun_count(w: Window, c: Cue) -> Figure | None:
    """"ستة قتلى", "18 قتيلا", "قتيلين", "سقوط قتيل"."""
    m = w.num_at.get(c.first)
    if m is not None and m.last == c.last:  # a dual noun is its own count
        return Figure(m.value, False, frozenset({m.first}), ((m.start, m.end),))
    m = w.num_end.get(c.first)
    if m is not None:
        if m.first in w.consumed or m.value <= 0 or m.vague:  # "عشرات القتلى": no figure
            return None
        return Figure(m.value, False, frozenset({m.first}), ((m.start, m.end), (c.start, c.end)))
    if DEATH_NOUN_SINGLE in c.cues and not c.definite:
        return Figure(1, True, frozenset({c.first}), ((c.start, c.end),))
    return None


def bracket(w: Window, first: int, stop: int, loss: Cue) -> Figure | None:
    """The victims between a verb of losing and its plural "lives": every count joined by "و"
    ("فقدان سبعة عناصر من قوى الأمن وطفلين لحياتهم" = 9)."""
    items: list[Item] = []
    k = first
    while k < stop:
        c = w.cue_at.get(k)
        if c is not None and not c.cues.isdisjoint({SUBSET, INDEFINITE} | HURT):
            break
        joined = not items or w.conj_before(k) or w.tokens[k].text[0] == "و"
        it = item(w, k) if joined and (k in w.num_at or c is not None) else None
        if it is not None and it.end <= stop:
            items.append(it)
            k = it.end
            continue
        k += 1
    if not items:
        return None
    return Figure(sum(x.value for x in items), all(x.implied for x in items), frozenset(x.key for x in items),
                   ((loss.start, loss.end), *(x.span for x in items)))
