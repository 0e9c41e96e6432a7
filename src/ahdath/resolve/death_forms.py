"""Inflected spellings of the death words in ``fatality_cues.yaml``.

A deliberately small stand-in for a general morphology generator: the cue
file names a word once (a verb in the perfect, third person masculine
singular; a noun), and these functions spell the forms whose grammatical
number tells how many died: "قتل" (one), "قتلا" (two), "قتلوا" (several,
counted elsewhere). Only regular patterns are produced; an irregular form is
written out in the cue file. Forms are returned unnormalized (the caller runs
``norm``), because alef maqsura and ya must still be told apart here.

The module keeps one job and one interface (``inflect(form, how)`` giving
``(form, number)`` pairs) so it can be swapped for the project's general
generator without touching the counter.
"""
from __future__ import annotations

from typing import Iterator

# Grammatical number of a generated form: one person, two, or a plural (no count of its own).
ONE, TWO, MANY = "one", "two", "many"
# How an entry of the cue file is inflected (its ``inflect`` field).
VERB, POSSESSIVE, NOUN = "verb", "possessive", "noun"
HOW = (VERB, POSSESSIVE, NOUN)

# Letters that make the suffixes (morphemes, composed below, not a word list).
_TA_MARBUTA, _ALEF_MAQSURA, _YA, _HA = "ة", "ى", "ي", "ه"
_ALEF, _TA, _WAW, _MIM, _NUN, _HAMZA, _LAM, _FA, _BA = "ا", "ت", "و", "م", "ن", "ء", "ل", "ف", "ب"
_ARTICLE = _ALEF + _LAM
# Third-person pronoun suffixes: ه, then the marks of feminine, dual and plural.
_HIS, _HER, _THEIR_TWO, _THEIR, _THEIR_F = _HA, _HA + _ALEF, _HA + _MIM + _ALEF, _HA + _MIM, _HA + _NUN
_PRONOUNS = ((ONE, _HIS), (ONE, _HER), (TWO, _THEIR_TWO), (MANY, _THEIR), (MANY, _THEIR_F))
# The verb's subject endings, paired with the pronoun that agrees with each.
_AGREE = {("m", ONE): _HIS, ("f", ONE): _HER, ("m", TWO): _THEIR_TWO, ("f", TWO): _THEIR_TWO,
          ("m", MANY): _THEIR, ("f", MANY): _THEIR_F}
# Perfect-tense subject endings: she, they two (m, f), they (m, f).
_SHE, _THEY_TWO, _THEY_TWO_F, _THEY, _THEY_F = _TA, _ALEF, _TA + _ALEF, _WAW + _ALEF, _NUN
# Dual endings of nouns: nominative, oblique.
_DUAL, _DUAL_OBLIQUE = _ALEF + _NUN, _YA + _NUN


def inflect(form: str, how: str) -> list[tuple[str, str]]:
    """Every spelling of ``form`` with its grammatical number, the form itself first."""
    if how == VERB:
        return list(dict.fromkeys(_verb(form)))
    if how == POSSESSIVE:
        return list(dict.fromkeys(_possessive(form)))
    if how == NOUN:
        return list(dict.fromkeys(_noun(form)))
    raise ValueError(f"unknown inflection {how!r}; expected one of {HOW}")


def _perfect(verb: str) -> Iterator[tuple[str, str, str]]:
    """(form, gender, number) of a perfect verb with a third-person subject."""
    if verb.endswith(_ALEF_MAQSURA):  # قضى، ارتقى: قضت، قضيا، قضوا، قضين
        stem = verb[:-1]
        yield from ((verb, "m", ONE), (stem + _SHE, "f", ONE), (stem + _YA + _THEY_TWO, "m", TWO),
                    (stem + _THEY_TWO_F, "f", TWO), (stem + _THEY, "m", MANY), (stem + _YA + _THEY_F, "f", MANY))
    elif verb.endswith(_YA):  # لقي، توفي: لقيت، لقيا، لقوا
        yield from ((verb, "m", ONE), (verb + _SHE, "f", ONE), (verb + _THEY_TWO, "m", TWO),
                    (verb + _THEY_TWO_F, "f", TWO), (verb[:-1] + _THEY, "m", MANY), (verb + _THEY_F, "f", MANY))
    else:  # قتل، استشهد: قتلت، قتلا، قتلتا، قتلوا، قتلن
        yield from ((verb, "m", ONE), (verb + _SHE, "f", ONE), (verb + _THEY_TWO, "m", TWO),
                    (verb + _THEY_TWO_F, "f", TWO), (verb + _THEY, "m", MANY), (verb + _THEY_F, "f", MANY))


def _verb(phrase: str) -> Iterator[tuple[str, str]]:
    """A verb phrase: the first word conjugated; a later word ending in the pronoun "ه"
    agrees with the subject ("لقي حتفه" -> "لقيت حتفها", "لقوا حتفهم")."""
    head, *rest = phrase.split(" ")
    for form, gender, number in _perfect(head):
        words = [form]
        for w in rest:
            words.append(w[:-1] + _AGREE[gender, number] if w.endswith(_HA) and len(w) > 2 else w)
        yield " ".join(words), number


def _possessive(noun: str) -> Iterator[tuple[str, str]]:
    """A noun with a third-person pronoun: "مقتل" -> "مقتله" (one) ... "مقتلهم" (several)."""
    stem = noun[:-1] + _TA if noun.endswith(_TA_MARBUTA) else noun
    for number, suffix in _PRONOUNS:
        yield stem + suffix, number


def _noun(noun: str) -> Iterator[tuple[str, str]]:
    """A singular person noun, its accusative, its duals and both with a pronoun ("طفل" ->
    "طفلا", "طفله", "طفلان", "طفلين", "طفلاه", "طفليه"; "طفلة" -> "طفلتها", "طفلتان", "طفلتيه").

    Unvowelled, the oblique dual of a masculine noun with a sound plural is spelled like that
    plural ("مقاتلين", "مدنيين", "مقاتليه"); participles (م...) and nisbas (...ي) take sound
    plurals, so their oblique dual is not spelled out.
    """
    yield noun, ONE
    feminine = noun.endswith(_TA_MARBUTA)
    stem = noun[:-1] + _TA if feminine else noun
    if not feminine and not noun.endswith((_ALEF, _HAMZA, _ALEF_MAQSURA)):
        yield noun + _ALEF, ONE
    for _number, suffix in _PRONOUNS:  # "قائدها", "ابنته": one person, whoever owns him
        if feminine or suffix != _HA:  # unvowelled "مسلحه" is "مسلحة" (armed), not "his gunman"
            yield stem + suffix, ONE
    oblique = feminine or not (noun.startswith(_MIM) or noun.endswith(_YA))
    yield stem + _DUAL, TWO
    if oblique:
        yield stem + _DUAL_OBLIQUE, TWO
    for _number, suffix in _PRONOUNS:  # "طفلاه", "طفليها", "ابنتيه": the dual's ن drops before a pronoun
        yield stem + _ALEF + suffix, TWO
        # unvowelled "شخصيه" is "شخصية" (a figure), not "his two persons"
        if oblique and (feminine or suffix != _HA):
            yield stem + _YA + suffix, TWO


def definite(word: str) -> bool:
    """The article, after a proclitic or not ("الجيش", "والقوات", "للأمن")."""
    if word.startswith(_ARTICLE) or word.startswith(_LAM + _LAM):
        return True
    return word[:1] in (_WAW, _FA, _BA, _LAM) and word[1:].startswith(_ARTICLE)


def sound_plural(word: str) -> bool:
    """A masculine sound plural ending ("مسلحين", "مدنيون"); short words are left alone ("حسين")."""
    return len(word) >= 6 and word.endswith((_YA + _NUN, _WAW + _NUN))


def nisba_dual(word: str) -> bool:
    """The dual of a nisba noun or adjective ("عراقيان", "مدنيتان", "سوريتين"), after a stem of
    three letters or more; "يين" is left out: it is also the plural."""
    if word[:1] in (_WAW, _FA) and len(word) > 6:
        word = word[1:]
    if word.startswith(_ARTICLE):
        word = word[2:]
    for suffix in (_YA + _DUAL, _YA + _TA + _DUAL, _YA + _TA + _DUAL_OBLIQUE):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return True
    return False
