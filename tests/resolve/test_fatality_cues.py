"""Fatality cue kinds from the cue file, inflected forms included (ahdath.resolve.fatality_cues)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ahdath.lexicon import check_lexicons, load_lexicons
from ahdath.resolve.fatality_cues import (
    DEATH, DEATH_AFTER, DEATH_DUAL, DEATH_ONE, DEATH_SINGLE, LIFE_MANY, LIFE_ONE, VICTIM, VICTIM_DUAL,
    VICTIM_SINGLE, cue_pairs,
)
from ahdath.text.normalize import norm

_PROV = 'provenance: "test fixture"\n'


def _kinds(pairs: list[tuple[str, str]], form: str) -> set[str]:
    f = norm(form)
    return {k for p, k in pairs if p == f}


def _write(folder: Path, entries: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "test_cues.yaml").write_text(f"lexicon: cues\nlanguage: ar\n{_PROV}entries:\n{entries}",
                                           encoding="utf-8")
    return folder


@pytest.mark.parametrize("form, kinds", [
    # a verb: its subject's number says how many died
    ("قتل", {DEATH, DEATH_ONE}),
    ("قتلا", {DEATH_DUAL}),
    ("قتلوا", {DEATH, DEATH_AFTER}),
    ("استشهدت", {DEATH, DEATH_ONE}),
    # a whole idiom with one subject is one dead
    ("لقيت حتفها", {DEATH_SINGLE}),
    ("لقوا مصرعهم", {DEATH_AFTER}),
    # a death noun with a pronoun
    ("مقتلهما", {DEATH_DUAL}),
    ("استشهادهم", {DEATH_AFTER}),
    # a word for life with a pronoun
    ("حياته", {LIFE_ONE}),
    ("أرواحهم", {LIFE_MANY}),
    # person nouns and their duals
    ("طفلتين", {VICTIM_DUAL}),
    ("شخصا", {VICTIM_SINGLE}),
])
def test_fatality_cues_packaged_forms(lexicons, form: str, kinds: set[str]) -> None:
    assert kinds <= _kinds(cue_pairs(lexicons), form)


def test_fatality_cues_dual_spelled_like_a_plural_stays_plural(tmp_path: Path) -> None:
    folder = _write(tmp_path / "lex", """  - id: test_person
    cue: victim_single
    inflect: noun
    forms: [حارس]
  - id: test_plural
    cue: victim
    forms: [حارسين]
""")
    pairs = cue_pairs(load_lexicons([folder]))
    assert _kinds(pairs, "حارسان") == {VICTIM_DUAL}
    assert _kinds(pairs, "حارسين") == {VICTIM}


def test_fatality_cues_unknown_inflection_is_reported(tmp_path: Path) -> None:
    folder = _write(tmp_path / "lex", """  - id: test_bad
    cue: death
    inflect: adverb
    forms: [قتل]
""")
    assert any("test_bad" in p and "'inflect'" in p for p in check_lexicons([folder]))
