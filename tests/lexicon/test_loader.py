"""Lexicon loading: validation reports every problem, user folders layer over packaged ones."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ahdath.errors import LexiconError
from ahdath.lexicon import Lexicon, LexiconSet, check_lexicons, load_lexicons
from ahdath.lexicon.loader import packaged_dir
from ahdath.lexicon.schema import SCHEMAS
from ahdath.text.normalize import norm

PROV = 'provenance: "ahdath tests, written for this test"\n'

BAD_ACTORS = f"""lexicon: actors
language: ar
{PROV}entries:
  - name: "No Id Forces"
    key: OTHER:NoId
    inter: 3
    forms: [كتيبة بلا معرف]
  - id: no_forms
    name: "No Forms"
    key: OTHER:NoForms
    inter: 3
  - id: unknown_field
    name: "Unknown Field"
    key: OTHER:Unknown
    inter: 3
    colour: green
    forms: [لواء الاختبار الملون]
  - id: wrong_type
    name: "Wrong Type"
    key: OTHER:WrongType
    inter: "ثلاثة"
    forms: [فوج الاختبار]
  - id: outside_allowed
    name: "Outside Allowed"
    key: OTHER:Outside
    inter: 12
    forms: [سرايا الاختبار]
  - id: bad_date
    name: "Bad Date"
    key: OTHER:BadDate
    inter: 2
    active_from: 2019-13-01
    forms: [جبهة الاختبار]
  - id: dup_actor
    name: "Dup One"
    key: OTHER:Dup
    inter: 2
    forms: [حركة الاختبار الاولى]
  - id: dup_actor
    name: "Dup Two"
    key: OTHER:Dup
    inter: 2
    forms: [حركة الاختبار الثانية]
  - id: overlap_a
    name: "Overlap A"
    key: OTHER:OverlapA
    inter: 2
    active_from: 2015-01-01
    active_to: 2018-12-31
    forms: [جيش الاختبار]
  - id: overlap_b
    name: "Overlap B"
    key: OTHER:OverlapB
    inter: 2
    active_from: 2018-06-01
    forms: [جيش الإختبار]
  - id: empty_form
    name: "Empty Form"
    key: OTHER:Empty
    inter: 2
    forms: ["ـــ", "كتيبة فارغة"]
  - id: reversed_period
    name: "Reversed"
    key: OTHER:Reversed
    inter: 2
    active_from: 2020-01-01
    active_to: 2019-01-01
    forms: [سرية الاختبار المعكوسة]
  - just a string
"""

NO_PROVENANCE = """lexicon: triggers
language: ar
entries:
  - id: no_provenance
    sub_event_type: Armed clash
    forms: [اشتباك تجريبي]
  - id: bad_sub_event
    sub_event_type: Skirmish
    provenance: "ahdath tests"
    forms: [مناوشة تجريبية]
"""


@pytest.fixture
def broken_dir(lexicon_dir):
    folder, write = lexicon_dir
    write("actors.yaml", BAD_ACTORS)
    write("triggers.yaml", NO_PROVENANCE)
    write("broken.yaml", "lexicon: cues\nentries: [\n  - id: x\n")
    write("weapons.yaml", f"lexicon: weapons\n{PROV}entries: []\n")
    write("notalist.yaml", f"lexicon: cues\n{PROV}entries: {{a: 1}}\n")
    return folder


def _find(problems: list[str], file: str, *needles: str) -> list[str]:
    return [p for p in problems if file in p and all(n in p for n in needles)]


EXPECTED = [
    ("actors.yaml", "entry 1", "missing required field 'id'"),
    ("actors.yaml", "(no_forms)", "missing required field 'forms'"),
    ("actors.yaml", "(unknown_field)", "unknown field 'colour'"),
    ("actors.yaml", "(wrong_type)", "field 'inter'", "expected an integer"),
    ("actors.yaml", "(outside_allowed)", "field 'inter'", "12 is not one of"),
    ("actors.yaml", "(bad_date)", "field 'active_from'", "2019-13-01"),
    ("actors.yaml", "duplicate id 'dup_actor'"),
    ("actors.yaml", "'overlap_a'", "'overlap_b'", "overlapping periods"),
    ("actors.yaml", "(empty_form)", "empty after normalization"),
    ("actors.yaml", "'reversed_period'", "active_from is after active_to"),
    ("actors.yaml", "entry 13", "expected a mapping, got str"),
    ("triggers.yaml", "(no_provenance)", "no provenance"),
    ("triggers.yaml", "(bad_sub_event)", "field 'sub_event_type'", "'Skirmish' is not one of"),
    ("broken.yaml", "not valid YAML"),
    ("weapons.yaml", "'lexicon' must be one of", "'weapons'"),
    ("notalist.yaml", "'entries' must be a list"),
]


def test_loader_check_reports_every_problem(broken_dir: Path) -> None:
    problems = check_lexicons([broken_dir])
    for file, *needles in EXPECTED:
        assert _find(problems, str(broken_dir / file), *needles), (file, needles, problems)
    # the packaged folder itself is clean, so every problem is in the broken folder
    assert all(str(broken_dir) in p for p in problems)
    assert len(problems) == len(set(problems))


def test_loader_load_raises_with_all_problems(broken_dir: Path) -> None:
    with pytest.raises(LexiconError) as info:
        load_lexicons([broken_dir])
    err = info.value
    assert err.code == "E200"
    assert set(err.problems) == set(check_lexicons([broken_dir]))
    assert len(err.problems) >= len(EXPECTED)
    assert "[E200]" in str(err) and "lexicon problem" in str(err)


def test_loader_missing_and_empty_folders(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    problems = check_lexicons([tmp_path / "absent", empty])
    assert _find(problems, "absent", "lexicon folder not found")
    assert _find(problems, "empty", "no *.yaml lexicon files")


def test_loader_file_provenance_must_be_text(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("cues.yaml", "lexicon: cues\nprovenance: 12\nentries:\n  - id: c\n    cue: hedge\n    forms: [ربما]\n")
    problems = check_lexicons([folder])
    assert _find(problems, "cues.yaml", "'provenance' must be a non-empty string")
    assert _find(problems, "cues.yaml", "(c)", "no provenance")


def test_loader_duplicate_id_across_files_of_one_folder(lexicon_dir) -> None:
    folder, write = lexicon_dir
    entry = "  - id: same_cue\n    cue: hedge\n    forms: [{}]\n"
    write("a.yaml", f"lexicon: cues\n{PROV}entries:\n" + entry.format("يرجح"))
    write("b.yaml", f"lexicon: cues\n{PROV}entries:\n" + entry.format("يعتقد"))
    problems = check_lexicons([folder])
    assert _find(problems, "b.yaml", "also in", "a.yaml", "duplicate id 'same_cue'")


def test_loader_numbers_form_names_one_value(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("numbers.yaml", f"""lexicon: numbers
{PROV}entries:
  - id: n_a
    value: 3
    kind: cardinal
    forms: [ثلاثة]
  - id: n_b
    value: 4
    kind: cardinal
    forms: [ثلاثه]
""")
    assert _find(check_lexicons([folder]), "numbers.yaml", "'n_b' is also a form of 'n_a'")


def test_loader_user_folder_overrides_and_adds(lexicon_dir, lexicons: LexiconSet) -> None:
    folder, write = lexicon_dir
    packaged = lexicons["cues"].entries[0]
    write("my_cues.yaml", f"""lexicon: cues
language: ar
{PROV}entries:
  - id: {packaged.id}
    cue: {packaged.get("cue")}
    forms: [عبارة تجريبية خاصة]
  - id: brand_new_cue
    cue: hedge
    provenance: "entry-level provenance wins"
    forms: ["#أنباء_غير_مؤكدة", "يُزعم"]
""")
    assert check_lexicons([folder]) == []
    merged = load_lexicons([folder])
    cues = merged["cues"].by_id()
    assert cues[packaged.id].forms == ("عباره تجريبيه خاصه",)
    assert cues[packaged.id].origin == str(folder / "my_cues.yaml")
    new = cues["brand_new_cue"]
    assert new.forms == ("انباء غير موكده", "يزعم")  # hashtag and underscores read as words
    assert new.raw_forms == ("#أنباء_غير_مؤكدة", "يُزعم")
    assert new.provenance == "entry-level provenance wins"
    assert len(merged["cues"].entries) == len(lexicons["cues"].entries) + 1
    assert merged.sources[-1] == str(folder)


def test_loader_user_actor_clashing_with_packaged_is_reported(lexicon_dir, lexicons: LexiconSet) -> None:
    folder, write = lexicon_dir
    # a form of an actor of no particular theatre, given to another such actor: nothing tells them apart
    actor = next(e for e in lexicons["actors"].entries if not e.get("active_from") and not e.get("active_to")
                 and not e.get("priority") and not e.get("country"))
    write("actors.yaml", f"""lexicon: actors
{PROV}entries:
  - id: clash_test
    name: "Clash"
    key: OTHER:Clash
    inter: 3
    forms: ["{actor.raw_forms[0]}"]
""")
    assert _find(check_lexicons([folder]), "actors.yaml", "'clash_test'", "overlapping periods")
    with pytest.raises(LexiconError):
        load_lexicons([folder])


def test_loader_packaged_lexicons_are_clean() -> None:
    assert check_lexicons() == []


def test_loader_packaged_entries_are_normalized(lexicons: LexiconSet) -> None:
    assert Path(packaged_dir()).is_dir()
    assert set(lexicons.lexicons) == set(SCHEMAS)
    for kind in SCHEMAS:
        lex = lexicons[kind]
        assert isinstance(lex, Lexicon) and lex.entries
        for e in lex.entries:
            assert e.kind == kind and e.provenance and e.forms
            assert all(f == norm(f) and f for f in e.forms)
            # written forms, then the forms its lemmas generate (each with its readings)
            assert all(f in e.readings for f in e.forms[len(e.raw_forms):])
            assert len(e.raw_forms) >= len([f for f in e.forms if f not in e.readings])
            for name in ("active_from", "active_to"):
                assert e.get(name) is None or isinstance(e.get(name), dt.date)


def test_loader_lexicon_set_helpers(lexicons: LexiconSet) -> None:
    assert lexicons["no_such_kind"].entries == ()
    air = lexicons.cue_forms("air")
    assert air and all(f == norm(f) for f in air)
    by_cue = lexicons["cues"].by_field("cue")
    assert sum(len(v) for v in by_cue.values()) == len(lexicons["cues"].entries)


LEMMA_TRIGGERS = f"""lexicon: triggers
language: ar
{PROV}entries:
  - id: lemma_clash
    sub_event_type: Armed clash
    lemmas:
      - {{root: شبك, form: 8, passive: false}}
      - {{noun: معركة, plural: [معارك]}}
    forms: [تبادل إطلاق النار]
  - id: lemma_needs
    sub_event_type: Arrests
    lemmas:
      - {{root: لقي, form: 4}}
    needs: [القبض]
    needs_within: 3
  - id: lemma_alone
    sub_event_type: Remote explosive/landmine/IED
    weak: true
    alone_with: [place, toll]
    lemmas:
      - {{root: فجر, form: 7, passive: false}}
"""

BAD_LEMMAS = f"""lexicon: triggers
language: ar
{PROV}entries:
  - id: short_root
    sub_event_type: Armed clash
    lemmas:
      - {{root: شب, form: 8}}
      - {{root: قتل, form: 1}}
  - id: not_a_list
    sub_event_type: Armed clash
    lemmas: {{root: شبك, form: 8}}
  - id: within_alone
    sub_event_type: Arrests
    needs_within: 3
    forms: [اعتقال تجريبي]
  - id: needs_phrase
    sub_event_type: Arrests
    needs: [القبض على]
    forms: [ألقى]
  - id: bad_alone
    sub_event_type: Remote explosive/landmine/IED
    alone_with: [actor]
    forms: [انفجار تجريبي]
  - id: neither
    sub_event_type: Armed clash
"""


def test_loader_lemmas_generate_forms_with_readings(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("extra_triggers.yaml", LEMMA_TRIGGERS)
    assert check_lexicons([folder]) == []
    entries = load_lexicons([folder])["triggers"].by_id()
    clash = entries["lemma_clash"]
    assert clash.forms[0] == norm("تبادل إطلاق النار")  # written forms first
    assert {"اشتبكت", "يشتبكون", "اشتباكات", "معارك", "معركتين"} <= set(clash.forms)
    assert clash.raw_forms == ("تبادل إطلاق النار",)
    assert all(f in clash.readings for f in clash.forms[1:])
    assert norm("تبادل إطلاق النار") not in clash.readings
    assert {r.voice for r in clash.readings["اشتبكت"]} == {"active"}
    needs = entries["lemma_needs"]
    assert needs.get("needs") == ("القبض",) and needs.get("needs_within") == 3
    assert "القت" in needs.forms  # no written forms: the lemma gives them all
    assert entries["lemma_alone"].get("alone_with") == ["place", "toll"]


def test_loader_bad_lemma_specs_are_reported(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("bad_triggers.yaml", BAD_LEMMAS)
    problems = check_lexicons([folder])
    for needles in [("(short_root)", "lemma 1", "three or four letters"),
                    ("(short_root)", "lemma 2", "form I verbal nouns"),
                    ("(not_a_list)", "field 'lemmas'", "list of lemmas"),
                    ("(within_alone)", "'needs_within' without 'needs'"),
                    ("(needs_phrase)", "'needs'", "one word"),
                    ("(bad_alone)", "field 'alone_with'", "'actor' is not one of"),
                    ("(neither)", "missing required field 'forms'")]:
        assert _find(problems, "bad_triggers.yaml", *needles), (needles, problems)
    with pytest.raises(LexiconError):
        load_lexicons([folder])


def test_loader_lemmas_only_where_the_kind_allows(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("cues.yaml", f"lexicon: cues\n{PROV}entries:\n  - id: c\n    cue: hedge\n"
                       "    lemmas:\n      - {root: زعم, form: 1, masdar: [زعم]}\n")
    problems = check_lexicons([folder])
    assert _find(problems, "cues.yaml", "(c)", "unknown field 'lemmas'")
    assert _find(problems, "cues.yaml", "(c)", "missing required field 'forms'")


def test_loader_told_with_names_a_cue_kind(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("triggers.yaml", f"""lexicon: triggers
{PROV}entries:
  - id: deal_test
    sub_event_type: Agreement
    told_with: no_such_cue_kind
    forms: [ميثاق تجريبي]
  - id: deal_ok
    sub_event_type: Agreement
    told_with: concluded
    forms: [ميثاق آخر]
""")
    problems = check_lexicons([folder])
    assert _find(problems, "triggers.yaml", "'deal_test'", "told_with names no cue kind")
    assert not _find(problems, "'deal_ok'")


def test_loader_predicates_roles_and_lemmas(lexicon_dir) -> None:
    folder, write = lexicon_dir
    write("predicates.yaml", f"lexicon: predicates\n{PROV}entries:\n"
                             "  - id: say\n    role: speech\n    lemmas:\n      - {root: قول, form: 1, vowel: u, masdar: false}\n"
                             "  - id: odd\n    role: verdict\n    forms: [حكم]\n")
    problems = check_lexicons([folder])
    assert _find(problems, "predicates.yaml", "(odd)", "field 'role'", "'verdict' is not one of")
    assert not _find(problems, "predicates.yaml", "(say)")
